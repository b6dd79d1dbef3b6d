/**
 * Runs garbage collection (store/gc.ts) beside live traffic. Between mark and sweep, writes go
 * on; the sweep then also keeps whatever became a root meanwhile (pins and refs now), whatever
 * is being read or computed now, and everything put or registered since the mark. Runs are
 * serialized.
 */
import { CAddr } from '../core/caddr.js';
import type { Leases } from '../compute/leases.js';
import type { GcReport } from '../store/gc.js';
import type { Store } from '../store/store.js';
import { currentRoots } from './gc-roots.js';

export interface GcOptions {
  /** Report what would be deleted, deleting nothing. */
  readonly dryRun?: boolean;
  /** Test hook: awaited between mark and sweep. */
  readonly afterMark?: () => Promise<void>;
}

export class Collector {
  private created?: Buffer[];
  private last: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly leases: Leases,
    /** Told which leaves and recipes a collection deleted (to purge in-memory caches). */
    private readonly onDeleted: (addrs: readonly CAddr[]) => void,
  ) {}

  /** Records a leaf put or recipe registered, which a collection under way must keep. */
  noteCreated(addr: CAddr): void {
    this.created?.push(addr.bytes);
  }

  run(options: GcOptions = {}): Promise<GcReport> {
    const run = this.last.catch(() => {}).then(() => this.collect(options));
    this.last = run;
    return run;
  }

  private async collect(options: GcOptions): Promise<GcReport> {
    const before = this.leases.writeMark();
    const created: Buffer[] = [];
    this.created = created;
    try {
      const marked = this.store.gcMark(currentRoots(this.store));
      await options.afterMark?.();
      const quiet = () => {
        const now = this.leases.writeMark();
        return before.inFlight === 0 && now.inFlight === 0 && now.started === before.started;
      };
      const { addrs, ...report } = await this.store.gcSweep(marked, this.extraRoots(created), quiet, options.dryRun ?? false);
      this.onDeleted(addrs.map((a) => CAddr.fromBytes(a)));
      return report;
    } finally {
      this.created = undefined;
    }
  }

  /** Roots that may have appeared since the mark; evaluated inside the sweep's transaction. */
  private *extraRoots(created: readonly Buffer[]): Generator<Buffer> {
    yield* currentRoots(this.store);
    for (const hex of this.leases.busy()) yield Buffer.from(hex, 'hex');
    yield* created;
  }
}
