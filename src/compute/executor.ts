/**
 * The executor: materializes a recipe's DAG. Inputs resolve in parallel (leaves at once,
 * recipes recursively), are handed to the function in recipe order whatever order they finish
 * in, and the function runs in the worker pool. One address computes once however many callers
 * ask at the same time (single-flight), and a finished result is remembered in the action cache.
 * Ref inputs are read at their current binding. A result computed while an invalidation ran
 * is returned to its callers but not remembered: its inputs may be the ones just replaced.
 * An input whose stored output turns out corrupt is dropped and recomputed before the function
 * runs again; a corrupt leaf input fails the computation with an integrity error.
 */
import { CAddr } from '../core/caddr.js';
import { decodeRecipe } from '../core/dcf.js';
import { CorruptChunkError, NotFoundError } from '../core/errors.js';
import { formatFunctionId, type FunctionId } from '../core/function-id.js';
import { plainParams, type Recipe } from '../core/recipe.js';
import type { EngineObserver } from '../metrics/observer.js';
import type { Store } from '../store/store.js';
import type { ExecMode } from './exec-mode.js';
import { boundInputs } from './inputs.js';
import { MAX_REPAIRS, type Integrity } from './integrity.js';
import type { Leases } from './leases.js';
import type { ComputePool } from './pool.js';
import type { FunctionRegistry } from './registry.js';
import type { StreamRuns } from './streams.js';
import { functionFailed, type Materialized } from './outcome.js';
import type { ComputeResult } from './task.js';

export interface ExecutorPolicy {
  /**
   * Throws (a typed error) when running function `fn` is not allowed here, e.g. by the float
   * policy; called before any computation, however it was asked for.
   */
  readonly admit?: (fn: FunctionId) => void;
  /** See exec-mode.ts (default `parallel`). */
  readonly mode?: ExecMode;
  /**
   * Test hook: awaited before each input of a computation is materialized. The scheduling
   * tests inject random delays here, so inputs finish in every order.
   */
  readonly beforeInput?: (input: CAddr) => Promise<void>;
}

export class Executor {
  private readonly inFlight = new Map<string, Promise<Materialized>>();
  /** Why the last computation of an address failed, until it succeeds or is invalidated. */
  private readonly failures = new Map<string, string>();
  private computations = 0;
  private epoch = 0;
  /** Invalidations in progress. */
  private running = 0;

  constructor(
    private readonly store: Store,
    private readonly pool: ComputePool,
    private readonly registry: FunctionRegistry,
    /** Streaming functions run here, shared with readers of their output in progress. */
    private readonly streams: StreamRuns,
    private readonly observer: EngineObserver,
    private readonly leases: Leases,
    /** Called for each recipe output read whole (the inputs of a computation), for statistics. */
    private readonly onRead: (addr: CAddr, fraction: number) => void,
    private readonly integrity: Integrity,
    private readonly policy: ExecutorPolicy = {},
  ) {}

  /** Number of whole-output function runs started since this executor was created. */
  get computed(): number {
    return this.computations;
  }

  /** A mark to take before computing something, for {@link canKeep} to check afterwards. */
  get invalidations(): number {
    return this.epoch;
  }

  /**
   * True when a result computed since mark `epoch` may be stored: no invalidation began since
   * and none is running. Otherwise its inputs may be the ones just replaced (a rebound ref), so
   * it is served to its callers but not kept.
   */
  canKeep(epoch: number): boolean {
    return epoch === this.epoch && this.running === 0;
  }

  /** An invalidation starts: from now, callers do not join computations already under way. */
  beginInvalidation(): void {
    this.epoch++;
    this.running++;
    this.inFlight.clear();
  }

  endInvalidation(): void {
    this.epoch++;
    this.running--;
    this.inFlight.clear(); // started during the invalidation: may have read the old inputs
  }

  /** The stored value behind `addr`: a leaf as is, a recipe's output computed if needed. */
  resolve(addr: CAddr): Promise<Materialized> {
    const leaf = this.store.isLeaf(addr) ? this.store.getManifest(addr) : undefined;
    if (leaf) return Promise.resolve({ content: addr, size: leaf.size });
    const cached = this.cachedOutput(addr);
    this.observer.onCacheLookup('output', cached !== undefined);
    if (cached) return Promise.resolve(cached);
    let flight = this.inFlight.get(addr.hex);
    if (!flight) {
      flight = this.compute(addr).then(
        (done) => {
          this.failures.delete(addr.hex);
          return done;
        },
        (err: unknown) => {
          this.recordFailure(addr, err);
          throw err;
        },
      );
      const mine = flight;
      flight.finally(() => this.inFlight.get(addr.hex) === mine && this.inFlight.delete(addr.hex)).catch(() => {});
      this.inFlight.set(addr.hex, flight);
    }
    return flight;
  }

  /**
   * Throws when running `fn` for recipe `addr` is not allowed (see `admit`), recording why for
   * `stat`; for computations that start elsewhere (range reads of chunkwise and streaming output).
   */
  admitFor(addr: CAddr, fn: FunctionId): void {
    try {
      this.policy.admit?.(fn);
    } catch (err) {
      this.recordFailure(addr, err);
      throw err;
    }
  }

  /** The message of the last failed computation of `addr`, if it has not since succeeded. */
  lastFailure(addr: CAddr): string | undefined {
    return this.failures.get(addr.hex);
  }

  /** Remembers why computing (part of) `addr` failed, for `info` to report. */
  recordFailure(addr: CAddr, err: unknown): void {
    this.failures.set(addr.hex, err instanceof Error ? err.message : String(err));
  }

  /** Forgets recorded failures (so state reads fresh after an invalidation). */
  forgetFailures(addrs: readonly CAddr[]): void {
    for (const addr of addrs) this.failures.delete(addr.hex);
  }

  /** The recorded output of recipe `addr`, if it is still stored. */
  cachedOutput(addr: CAddr): Materialized | undefined {
    const action = this.store.getAction(addr);
    if (!action || !this.store.getManifest(action.content)) return undefined;
    return { content: action.content, size: action.size };
  }

  private async compute(addr: CAddr): Promise<Materialized> {
    const dcf = this.store.getRecipe(addr);
    if (!dcf) throw NotFoundError.address(addr);
    const recipe = decodeRecipe(dcf);
    this.policy.admit?.(recipe.fn);
    const fn = this.registry.get(recipe.fn);
    if (fn.kind === 'streaming') return this.streams.drain(addr, recipe, fn);
    // The worker records the output and its action in one transaction, unless an invalidation
    // committed since the inputs were bound (Store.putOutput): then the value stays for this
    // caller, named by no action, until garbage collection. One that commits later forgets it.
    const result = await this.run(addr, recipe, true);
    const content = CAddr.fromHex(result.content);
    this.store.refresh(); // see the output and action entry the worker committed
    this.observer.onMaterialized({ addr: addr.hex, fn: formatFunctionId(recipe.fn), kind: 'whole', seconds: result.seconds, bytes: result.size });
    return { content, size: result.size };
  }

  /**
   * Runs the function over its resolved inputs, rebuilding any input found corrupt. With
   * `record`, the worker records the output as `addr`'s action (if the invalidation mark taken
   * before the inputs were bound still holds); without, only as a value.
   */
  private async run(addr: CAddr, recipe: Recipe, record = false): Promise<ComputeResult & { seconds: number }> {
    for (let attempt = 0; ; attempt++) {
      const mark = this.store.invalidationMark(); // again after a repair, which moves it
      const bound = boundInputs(this.store, recipe); // a ref input at its binding of this attempt
      // The inputs' outputs are read by the worker: none may be evicted until it is done.
      const release = this.leases.hold([addr, ...bound]);
      try {
        return await this.leases.writing(async () => {
          const inputs = await this.resolveInputs(addr, bound);
          for (const input of bound) if (!this.store.isLeaf(input)) this.onRead(input, 1);
          this.computations++;
          const task = {
            storeDir: this.store.dir,
            verifyReads: this.store.verifyReads,
            recipe: record ? addr.hex : undefined,
            mark,
            fn: recipe.fn,
            params: plainParams(recipe),
            inputs: inputs.map((m) => m.content.hex),
          };
          const started = performance.now(); // the run itself, not the inputs' materialization
          const result = await this.pool.run(task).catch((err: unknown) => {
            throw err instanceof CorruptChunkError ? err : functionFailed(addr, recipe, err);
          });
          return { ...result, seconds: (performance.now() - started) / 1000 };
        });
      } catch (err) {
        if (!(err instanceof CorruptChunkError)) throw err;
        let rebuilt = false;
        for (const input of bound) rebuilt = (await this.integrity.repair(input, err)) || rebuilt;
        if (!rebuilt || attempt >= MAX_REPAIRS) throw err;
      } finally {
        release();
      }
    }
  }

  /**
   * Runs the function of recipe `addr` once more over its (already materialized) inputs and
   * stores that output too: verification mode compares it with the first. A whole run leaves
   * the action cache alone; a streaming run records its output as every stream run does.
   */
  async recompute(addr: CAddr, recipe: Recipe): Promise<Materialized> {
    const fn = this.registry.get(recipe.fn);
    if (fn.kind === 'streaming') return this.streams.rerun(addr, recipe, fn);
    const result = await this.run(addr, recipe);
    this.store.refresh();
    return { content: CAddr.fromHex(result.content), size: result.size };
  }

  /** Materializes `inputs` of recipe `parent` by the mode, giving them back in recipe order. */
  private async resolveInputs(parent: CAddr, inputs: readonly CAddr[]): Promise<Materialized[]> {
    if (this.policy.mode !== 'sequential') return Promise.all(inputs.map((input) => this.resolveInput(parent, input)));
    const done: Materialized[] = [];
    for (const input of inputs) done.push(await this.resolveInput(parent, input));
    return done;
  }

  private async resolveInput(parent: CAddr, input: CAddr): Promise<Materialized> {
    await this.policy.beforeInput?.(input);
    try {
      return await this.resolve(input);
    } catch (err) {
      if (err instanceof NotFoundError && !this.store.getRecipe(input) && !this.store.isLeaf(input)) {
        throw new NotFoundError(`recipe ${parent.hex} names input ${input.hex}, which is not stored`, { cause: err });
      }
      throw err;
    }
  }
}
