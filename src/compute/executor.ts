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
import { CorruptChunkError, DerivaError, FunctionFailedError, NotFoundError } from '../core/errors.js';
import { formatFunctionId } from '../core/function-id.js';
import { plainParams, type Recipe } from '../core/recipe.js';
import type { EngineObserver } from '../metrics/observer.js';
import type { ActionEntry, Store } from '../store/store.js';
import { boundInputs } from './inputs.js';
import { MAX_REPAIRS, type Integrity } from './integrity.js';
import type { ComputePool } from './pool.js';
import type { FunctionRegistry } from './registry.js';
import type { StreamRuns } from './streams.js';

export interface Materialized {
  /** Content address of the value. */
  readonly content: CAddr;
  readonly size: number;
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
    private readonly integrity: Integrity,
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
    if (!dcf) throw new NotFoundError(`no leaf or recipe has address ${addr.hex}`);
    const recipe = decodeRecipe(dcf);
    const fn = this.registry.get(recipe.fn);
    if (fn.kind === 'streaming') return this.streams.drain(addr, recipe, fn);
    const epoch = this.epoch;
    const started = performance.now();
    const result = await this.run(addr, recipe);
    this.store.refresh(); // see what the worker committed
    const entry: ActionEntry = {
      content: CAddr.fromHex(result.content),
      size: result.size,
      cost: performance.now() - started,
      lastAccess: Date.now(),
    };
    if (this.canKeep(epoch)) await this.store.putAction(addr, entry);
    const name = formatFunctionId(recipe.fn);
    this.observer.onMaterialized({ addr: addr.hex, fn: name, kind: 'whole', seconds: entry.cost / 1000, bytes: entry.size });
    return { content: entry.content, size: entry.size };
  }

  /** Runs the function over its resolved inputs, rebuilding any input found corrupt. */
  private async run(addr: CAddr, recipe: Recipe): Promise<{ content: string; size: number }> {
    for (let attempt = 0; ; attempt++) {
      const bound = boundInputs(this.store, recipe); // a ref input at its binding of this attempt
      const inputs = await Promise.all(bound.map((input) => this.resolveInput(addr, input)));
      this.computations++;
      try {
        return await this.pool.run({
          storeDir: this.store.dir,
          verifyReads: this.store.verifyReads,
          fn: recipe.fn,
          params: plainParams(recipe),
          inputs: inputs.map((m) => m.content.hex),
        });
      } catch (err) {
        if (!(err instanceof CorruptChunkError)) throw failure(addr, recipe, err);
        let rebuilt = false;
        for (const input of bound) rebuilt = (await this.integrity.repair(input, err)) || rebuilt;
        if (!rebuilt || attempt >= MAX_REPAIRS) throw err;
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

  private async resolveInput(parent: CAddr, input: CAddr): Promise<Materialized> {
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

/** The typed error for a function that threw while computing recipe `addr`. */
export function failure(addr: CAddr, recipe: Recipe, err: unknown): DerivaError {
  const message = err instanceof Error ? err.message : String(err);
  return new FunctionFailedError(`recipe ${addr.hex} (${formatFunctionId(recipe.fn)}) failed: ${message}`, {
    cause: err,
  });
}
