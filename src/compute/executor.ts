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
import { formatFunctionId } from '../core/function-id.js';
import { plainParams, type Recipe } from '../core/recipe.js';
import type { EngineObserver } from '../metrics/observer.js';
import type { Store } from '../store/store.js';
import type { ExecMode } from './exec-mode.js';
import type { FailureLog } from './failure-log.js';
import type { StreamingFunction } from './function.js';
import { boundInputs } from './inputs.js';
import { MAX_REPAIRS, type Integrity } from './integrity.js';
import type { InvalidationGate } from './invalidation-gate.js';
import type { Leases } from './leases.js';
import type { ComputePool } from './pool.js';
import type { FunctionRegistry } from './registry.js';
import { functionFailed, type Materialized } from './outcome.js';
import type { ComputeResult } from './task.js';

export interface ExecutorPolicy {
  /** See exec-mode.ts (default `parallel`). */
  readonly mode?: ExecMode;
  /**
   * Test hook: awaited before each input of a computation is materialized. The scheduling
   * tests inject random delays here, so inputs finish in every order.
   */
  readonly beforeInput?: (input: CAddr) => Promise<void>;
}

/**
 * Where streaming functions run, shared with readers of their output in progress (StreamRuns):
 * declared here, by its consumer, so that the executor does not depend on the stream runs.
 */
export interface StreamingMaterializer {
  /** The whole output of `addr`, computed to the end (sharing a run in progress). */
  drain(addr: CAddr, recipe: Recipe, fn: StreamingFunction): Promise<Materialized>;
  /** A second, independent run of `addr`, drained to the end (verification mode). */
  rerun(addr: CAddr, recipe: Recipe, fn: StreamingFunction): Promise<Materialized>;
}

export class Executor {
  private readonly inFlight = new Map<string, Promise<Materialized>>();
  private computations = 0;

  constructor(
    private readonly store: Store,
    private readonly pool: ComputePool,
    private readonly registry: FunctionRegistry,
    private readonly streaming: StreamingMaterializer,
    private readonly observer: EngineObserver,
    private readonly leases: Leases,
    /** Called for each recipe output read whole (the inputs of a computation), for statistics. */
    private readonly onRead: (addr: CAddr, fraction: number) => void,
    private readonly integrity: Integrity,
    private readonly gate: InvalidationGate,
    private readonly failures: FailureLog,
    private readonly policy: ExecutorPolicy = {},
  ) {
    // A computation started before an invalidation began or ended may have read the old inputs.
    gate.onMove(() => this.inFlight.clear());
  }

  /** Number of whole-output function runs started since this executor was created. */
  get computed(): number {
    return this.computations;
  }

  /** An invalidation starts (see invalidation-gate.ts): kept for the engine's call site. */
  beginInvalidation(): void {
    this.gate.begin();
  }

  endInvalidation(): void {
    this.gate.end();
  }

  /** Forgets recorded failures (see {@link FailureLog.forget}): kept for the engine's call site. */
  forgetFailures(addrs: readonly CAddr[]): void {
    this.failures.forget(addrs);
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
          this.failures.forget([addr]);
          return done;
        },
        (err: unknown) => {
          this.failures.record(addr, err);
          throw err;
        },
      );
      const mine = flight;
      flight.finally(() => this.inFlight.get(addr.hex) === mine && this.inFlight.delete(addr.hex)).catch(() => {});
      this.inFlight.set(addr.hex, flight);
    }
    return flight;
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
    this.failures.admitFor(addr, recipe.fn);
    const fn = this.registry.get(recipe.fn);
    if (fn.kind === 'streaming') return this.streaming.drain(addr, recipe, fn);
    // The worker records the output and its action, unless the ticket's mark moved: then the
    // value stays for this caller, named by no action (see invalidation-gate.ts).
    const result = await this.run(addr, recipe, true);
    const content = CAddr.fromHex(result.content);
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
      const { mark } = this.gate.ticket(); // again after a repair, which moves it
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
    if (fn.kind === 'streaming') return this.streaming.rerun(addr, recipe, fn);
    const result = await this.run(addr, recipe);
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
