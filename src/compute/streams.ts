/**
 * The streaming computations in progress, one per address: every reader of an address (range
 * reads from the mount or gRPC, and whole materializations) shares the one run computing it.
 * A run leaves this table when it has recorded its output, failed or been abandoned; the next
 * reader then finds the stored output, or starts a new run.
 */
import type { CAddr } from '../core/caddr.js';
import { formatFunctionId } from '../core/function-id.js';
import { plainParams, type Recipe } from '../core/recipe.js';
import type { EngineObserver } from '../metrics/observer.js';
import type { Store } from '../store/store.js';
import type { FailureLog } from './failure-log.js';
import type { StreamingFunction } from './function.js';
import { boundInput } from './inputs.js';
import type { InvalidationGate } from './invalidation-gate.js';
import type { Leases } from './leases.js';
import type { Materialized } from './outcome.js';
import type { ComputePool } from './pool.js';
import { StreamRun } from './stream-run.js';

/** A run paused with nobody reading is abandoned after this long, by default. */
export const DEFAULT_STREAM_IDLE_MS = 60_000;

/** How a run reads its input: bytes of any value, computing what they need (the range reader). */
export interface ValueReader {
  /** Fills `target` from `offset` on; the count, short at the end of the value. */
  readInto(addr: CAddr, offset: number, target: Uint8Array): Promise<number>;
  /** An upper bound on a value's size, computing as little as possible. */
  sizeBound(addr: CAddr): Promise<number>;
}

export interface StreamRunsContext {
  readonly store: Store;
  /** A run counts as a write in flight for its whole life (garbage collection asks). */
  readonly leases: Leases;
  readonly pool: ComputePool;
  /** Told of each output a run records. */
  readonly observer: EngineObserver;
  readonly idleMs: number;
  /** A run takes a ticket when it starts; its output is cached only if the gate allows. */
  readonly gate: InvalidationGate;
  /** Told how each run ended, for the failed state that `stat` reports. */
  readonly failures: FailureLog;
  /** Called once a run has recorded its output (the cache grew). */
  onRecorded(): void;
}

export class StreamRuns {
  private readonly runs = new Map<string, StreamRun>();
  /** Every run not yet ended, including those {@link forget} detached from their address. */
  private readonly live = new Set<StreamRun>();
  private runsStarted = 0;
  private reader: ValueReader | undefined;

  constructor(private readonly ctx: StreamRunsContext) {}

  /**
   * Connects the reader runs read their inputs through. The range reader reads streaming
   * outputs through these runs, and these runs read their inputs through the range reader:
   * this is the one link made after both exist (engine/wiring.ts).
   */
  readInputsFrom(reader: ValueReader): void {
    this.reader = reader;
  }

  /** Runs started since the engine opened. */
  get started(): number {
    return this.runsStarted;
  }

  /** Runs in progress. */
  get active(): number {
    let n = 0;
    for (const run of this.runs.values()) if (run.open) n++;
    return n;
  }

  /** Output bytes produced so far by the run computing `addr`, if one is in progress. */
  progress(addr: CAddr): number | undefined {
    const run = this.runs.get(addr.hex);
    return run?.open ? run.progress : undefined;
  }

  /** Reads output bytes of `addr` as soon as they exist (see StreamRun.readInto). */
  readInto(addr: CAddr, recipe: Recipe, fn: StreamingFunction, offset: number, target: Uint8Array): Promise<number> {
    return this.run(addr, recipe, fn).readInto(offset, target);
  }

  /** The whole output of `addr`, computed to the end (sharing a run in progress). */
  drain(addr: CAddr, recipe: Recipe, fn: StreamingFunction): Promise<Materialized> {
    return this.run(addr, recipe, fn).drain();
  }

  /**
   * Lets new readers of these addresses start new runs (their outputs were invalidated, and a
   * run in progress may read a ref's old binding); a run in progress keeps serving its readers.
   */
  forget(addrs: readonly CAddr[]): void {
    for (const addr of addrs) this.runs.delete(addr.hex);
  }

  /**
   * Settles once every run in progress has ended (recorded its output, failed or been
   * abandoned), forgotten ones included.
   */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.live].map((r) => r.output));
  }

  /**
   * A second run of `addr`, independent of the shared one and of its readers, drained to the
   * end: verification mode compares its output with the first. It records its output as any
   * run does; verification keeps the entry when both agree and drops it when they do not.
   */
  rerun(addr: CAddr, recipe: Recipe, fn: StreamingFunction): Promise<Materialized> {
    return this.track(this.create(addr, recipe, fn)).drain();
  }

  /** Abandons every run (readers get an error) and waits for them to end. */
  async close(): Promise<void> {
    const runs = [...this.live]; // forgotten runs may still be serving their readers
    for (const run of runs) run.close();
    await Promise.allSettled(runs.map((r) => r.output));
  }

  private create(addr: CAddr, recipe: Recipe, fn: StreamingFunction): StreamRun {
    const { store, gate } = this.ctx;
    const reader = this.reader;
    if (!reader) throw new Error('stream runs started before their input reader was connected');
    const ticket = gate.ticket();
    const input = boundInput(store, recipe.inputs[0]!); // a ref input at its binding now
    const params = plainParams(recipe);
    const maxSize = reader.sizeBound(input).then((n) => fn.maxSize(n, params));
    return new StreamRun(addr, recipe, maxSize, {
      store,
      pool: this.ctx.pool,
      idleMs: this.ctx.idleMs,
      readInput: (offset, target) => reader.readInto(input, offset, target),
      keep: () => gate.mayCache(ticket),
      mark: ticket.mark,
    });
  }

  /** Counts a run as live, and as a write in flight (garbage collection asks), until it ends. */
  private track(run: StreamRun): StreamRun {
    this.live.add(run);
    this.runsStarted++;
    void this.ctx.leases.writing(() => run.ended);
    void run.ended.then(() => this.live.delete(run));
    return run;
  }

  private run(addr: CAddr, recipe: Recipe, fn: StreamingFunction): StreamRun {
    const existing = this.runs.get(addr.hex);
    if (existing?.open) return existing;
    const run = this.create(addr, recipe, fn);
    this.runs.set(addr.hex, run);
    this.track(run);
    const started = performance.now();
    run.output
      .then(
        (out) => {
          const seconds = (performance.now() - started) / 1000;
          this.ctx.observer.onMaterialized({ addr: addr.hex, fn: formatFunctionId(recipe.fn), kind: 'whole', seconds, bytes: out.size });
          this.ctx.failures.forget([addr]);
          this.ctx.onRecorded();
        },
        (err: unknown) => {
          if (!run.abandoned) this.ctx.failures.record(addr, err);
        },
      )
      .finally(() => {
        if (this.runs.get(addr.hex) === run) this.runs.delete(addr.hex);
      })
      .catch(() => {});
    return run;
  }
}
