/**
 * The cache budget: keeps the bytes held only by cached outputs within `budget`, evicting by
 * policy when over. Read statistics are batched in memory and written in one transaction per
 * second (and before each eviction), never one LMDB write per read.
 */
import type { CAddr } from '../core/caddr.js';
import type { Leases } from '../compute/leases.js';
import type { EngineObserver } from '../metrics/observer.js';
import type { EvictionPolicy, PendingReads } from '../store/eviction.js';
import type { Store } from '../store/store.js';

/** How often batched read statistics are written. */
const FLUSH_INTERVAL_MS = 1000;

export class CacheBudget {
  private pending: PendingReads = new Map();
  private flushing: Promise<void> = Promise.resolve();
  private evicting?: Promise<void>;
  private readonly timer: NodeJS.Timeout;
  /** Outputs evicted since start. */
  evictions = 0;

  constructor(
    private readonly store: Store,
    private readonly leases: Leases,
    readonly budget: number | undefined,
    readonly policy: EvictionPolicy,
    /** Told of each evicted output and its size. */
    private readonly observer: Pick<EngineObserver, 'onEviction'>,
  ) {
    this.timer = setInterval(() => void this.flush().catch(() => {}), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /** Notes a read of `fraction` of a recipe's output. */
  recordRead(addr: CAddr, fraction: number): void {
    const key = addr.bytes.toString('latin1');
    const entry = this.pending.get(key);
    if (entry) {
      entry.reads += fraction;
      entry.lastAccess = Date.now();
    } else this.pending.set(key, { reads: fraction, lastAccess: Date.now() });
  }

  /** Writes the batched statistics. */
  flush(): Promise<void> {
    if (this.pending.size === 0) return this.flushing;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.flushing.then(() => this.store.flushReads(batch));
    return this.flushing;
  }

  /** Resolves once cached bytes are within the budget (evicting if needed; one run at a time). */
  async enforce(): Promise<void> {
    if (this.budget === undefined) return;
    while (this.evicting) await this.evicting;
    this.store.refresh(); // workers add cached bytes too
    if (this.store.cachedBytes() <= this.budget) return;
    this.evicting = this.evict(this.budget).finally(() => (this.evicting = undefined));
    await this.evicting;
  }

  private async evict(budget: number): Promise<void> {
    await this.flush();
    const { evicted } = await this.store.evict(budget, this.policy, this.leases.busy());
    this.evictions += evicted.length;
    for (const { size } of evicted) this.observer.onEviction(size);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    while (this.evicting) await this.evicting;
    await this.flush();
  }
}
