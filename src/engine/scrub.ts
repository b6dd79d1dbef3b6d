/**
 * The scrubber: reads every stored chunk and recipe, checks each against its address, and
 * quarantines what does not match, so corruption is found before a reader meets it. It runs
 * on the daemon's main thread in small steps that keep the mount responsive: one chunk at a
 * time is copied out of LMDB (a memcpy) and hashed off the thread (the addon's hashAsync),
 * and an optional rate in bytes/s spaces the steps out. `deriva scrub` runs one pass now;
 * `--scrub-interval` runs passes in the background.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { recipeAddressOfDcf } from '../core/address.js';
import type { Integrity, IntegrityLogger } from '../compute/integrity.js';
import { hashAsync } from '../native/index.js';
import type { QuarantineKind } from '../store/quarantine.js';
import type { Store } from '../store/store.js';

/** What one pass found. */
export interface ScrubReport {
  /** Chunks and recipes checked. */
  objects: number;
  ok: number;
  corrupt: number;
  /** Bytes read and hashed. */
  bytes: number;
  durationMs: number;
  /** What this pass quarantined. */
  quarantined: Array<{ kind: QuarantineKind; addr: string }>;
}

export interface ScrubOptions {
  /** Read at most this many bytes per second (default: as fast as it goes). */
  readonly rate?: number;
  /** Test hook: awaited after each object is checked, with the count so far (holds a pass part-way). */
  readonly afterObject?: (objects: number) => Promise<void> | void;
}

/** Where scrubbing stands, for `deriva status`. */
export interface ScrubProgress {
  /** The pass under way: checked so far, of `total` objects when it started. */
  readonly current?: ScrubReport & { readonly total: number };
  /** The last pass that finished. */
  readonly last?: ScrubReport & { readonly finishedAt: number };
}

/** Objects listed per LMDB range read. */
const SLICE = 64;

export class Scrubber {
  private current: (ScrubReport & { total: number }) | undefined;
  private last: (ScrubReport & { finishedAt: number }) | undefined;
  /** Aborted by {@link stop}: ends the background loop and any pass under way. */
  private readonly stopping = new AbortController();
  private background: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly integrity: Integrity,
    private readonly log: IntegrityLogger,
  ) {}

  /** Runs a pass every `intervalMs` (the first one an interval after start) until stopped. */
  startBackground(intervalMs: number, rate: number | undefined): void {
    const { signal } = this.stopping;
    this.background ??= (async () => {
      while (!signal.aborted) {
        // An unref'd timer: a scrub waiting for its turn never keeps the process alive.
        await sleep(intervalMs, undefined, { signal, ref: false }).catch(() => {});
        if (signal.aborted) return;
        await this.run({ rate }).catch((err: unknown) => this.log.error({ err }, 'background scrub failed'));
      }
    })();
  }

  /** Stops the background loop and any pass under way; resolves once they have. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.background;
  }

  progress(): ScrubProgress {
    return { current: this.current && { ...this.current }, last: this.last };
  }

  /** One pass over every chunk, then every recipe. */
  async run(options: ScrubOptions = {}): Promise<ScrubReport> {
    // Closing the engine stops a pass between two objects; it then reports what it checked.
    const { signal } = this.stopping;
    const started = performance.now();
    const { chunks, recipes } = this.store.stats();
    const report: ScrubReport & { total: number } = {
      objects: 0, ok: 0, corrupt: 0, bytes: 0, durationMs: 0, quarantined: [], total: chunks + recipes,
    };
    this.current = report;
    const pace = async (): Promise<void> => {
      report.durationMs = performance.now() - started;
      const due = options.rate ? (report.bytes / options.rate) * 1000 : 0;
      if (due > report.durationMs) await sleep(due - report.durationMs, undefined, { signal }).catch(() => {});
    };
    try {
      for await (const addr of this.keys((after) => this.store.addresses.chunksAfter(after, SLICE), signal)) {
        await this.checkChunk(addr, report);
        await options.afterObject?.(report.objects);
        await pace();
      }
      for await (const addr of this.keys((after) => this.store.addresses.recipesAfter(after, SLICE), signal)) {
        await this.checkRecipe(addr, report);
        await options.afterObject?.(report.objects);
      }
    } finally {
      this.current = undefined;
    }
    report.durationMs = performance.now() - started;
    const { total: _, ...done } = report;
    if (!signal.aborted) this.last = { ...done, finishedAt: Date.now() };
    return done;
  }

  /** Keys slice by slice, read afresh each slice so the pass never holds an LMDB snapshot long. */
  private async *keys(slice: (after: Buffer | undefined) => Buffer[], signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
    let after: Buffer | undefined;
    for (let keys = slice(after); keys.length > 0; keys = slice(after)) {
      for (const key of keys) {
        if (signal?.aborted) return;
        yield key;
      }
      after = keys[keys.length - 1];
    }
  }

  private async checkChunk(addr: Buffer, report: ScrubReport): Promise<void> {
    const bytes = this.store.rawChunk(addr);
    if (bytes === undefined) return; // quarantined or removed since it was listed
    report.objects++;
    report.bytes += bytes.length;
    const intact = (await hashAsync(bytes)).equals(addr);
    // quarantineChunk hashes again inside its transaction: a chunk rewritten meanwhile stays.
    if (intact || !(await this.store.quarantineChunk(addr))) report.ok++;
    else this.found(report, 'chunk', addr);
  }

  private async checkRecipe(addr: Buffer, report: ScrubReport): Promise<void> {
    const dcf = this.store.rawRecipe(addr);
    if (dcf === undefined) return;
    report.objects++;
    report.bytes += dcf.length;
    if (recipeAddressOfDcf(dcf).bytes.equals(addr) || !(await this.store.quarantineRecipe(addr))) report.ok++;
    else this.found(report, 'recipe', addr);
  }

  private found(report: ScrubReport, kind: QuarantineKind, addr: Buffer): void {
    report.corrupt++;
    report.quarantined.push({ kind, addr: addr.toString('hex') });
    this.integrity.record({ kind, [kind]: addr.toString('hex'), by: 'scrub' }, `corrupt ${kind} quarantined by scrub`);
  }
}
