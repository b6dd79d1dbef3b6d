/**
 * The executor: materializes a recipe's DAG. Inputs resolve in parallel (leaves at once,
 * recipes recursively), are handed to the function in recipe order whatever order they finish
 * in, and the function runs where the {@link Materializer} runs it (the worker pool). One address computes once however many callers
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
import type { Recipe } from '../core/recipe.js';
import { SingleFlight } from '../core/single-flight.js';
import type { Store } from '../store/store.js';
import type { ExecMode } from './exec-mode.js';
import type { StreamingFunction } from './function.js';
import { boundInputs } from './inputs.js';
import { MAX_REPAIRS } from './integrity.js';
import type { Computed, Materializer } from './materializer.js';
import type { ComputeParts } from './compute-parts.js';
import type { Materialized } from './outcome.js';

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

/** `onRead` is told of each recipe output read whole (the inputs of a computation). */
export interface ExecutorParts extends ComputeParts {
  /** Where the functions of whole recipes run (the local pool first). */
  readonly materializer: Materializer;
  readonly streaming: StreamingMaterializer;
  readonly policy?: ExecutorPolicy;
}

export class Executor {
  private readonly flights = new SingleFlight<Materialized>();
  private computations = 0;
  private readonly store: Store;
  private readonly policy: ExecutorPolicy;

  constructor(private readonly parts: ExecutorParts) {
    this.store = parts.store;
    this.policy = parts.policy ?? {};
    // A computation started before an invalidation began or ended may have read the old inputs.
    parts.gate.onMove(() => this.flights.clear());
  }

  /** Number of whole-output function runs started since this executor was created. */
  get computed(): number {
    return this.computations;
  }

  /** The stored value behind `addr`: a leaf as is, a recipe's output computed if needed. */
  resolve(addr: CAddr): Promise<Materialized> {
    const { lookup, failures } = this.parts;
    const leaf = lookup.leaf(addr);
    if (leaf) return Promise.resolve(leaf);
    const cached = lookup.output(addr);
    this.parts.observer.onCacheLookup('output', cached !== undefined);
    if (cached) return Promise.resolve(cached);
    return this.flights.run(addr.hex, () =>
      this.compute(addr).then(
        (done) => {
          failures.forget([addr]);
          return done;
        },
        (err: unknown) => {
          failures.record(addr, err);
          throw err;
        },
      ),
    );
  }

  private async compute(addr: CAddr): Promise<Materialized> {
    const dcf = this.parts.lookup.recipe(addr);
    if (!dcf) throw NotFoundError.address(addr);
    const recipe = decodeRecipe(dcf);
    this.parts.failures.admitFor(addr, recipe.fn);
    const fn = this.parts.registry.get(recipe.fn);
    if (fn.kind === 'streaming') return this.parts.streaming.drain(addr, recipe, fn);
    // The worker records the output and its action, unless the ticket's mark moved: then the
    // value stays for this caller, named by no action (see invalidation-gate.ts).
    const { content, size, seconds } = await this.run(addr, recipe, true);
    this.parts.observer.onMaterialized({ addr: addr.hex, fn: formatFunctionId(recipe.fn), kind: 'whole', seconds, bytes: size });
    return { content, size };
  }

  /**
   * Runs the function over its resolved inputs, rebuilding any input found corrupt. With
   * `record`, the worker records the output as `addr`'s action (if the ticket's mark still
   * holds: see invalidation-gate.ts); without, only as a value.
   */
  private async run(addr: CAddr, recipe: Recipe, record = false): Promise<Computed> {
    const { leases, gate } = this.parts;
    for (let attempt = 0; ; attempt++) {
      const { mark } = gate.ticket(); // again after a repair, which moves it
      const bound = boundInputs(this.store, recipe); // a ref input at its binding of this attempt
      // The inputs' outputs are read by the worker: none may be evicted until it is done.
      const release = leases.hold([addr, ...bound]);
      try {
        return await leases.writing(async () => {
          const inputs = await this.resolveInputs(addr, bound);
          for (const input of bound) if (!this.store.isLeaf(input)) this.parts.onRead(input, 1);
          this.computations++;
          return this.parts.materializer.compute({ addr, recipe, inputs, mark, record });
        });
      } catch (err) {
        if (!(err instanceof CorruptChunkError)) throw err;
        let rebuilt = false;
        for (const input of bound) rebuilt = (await this.parts.integrity.repair(input, err)) || rebuilt;
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
    const fn = this.parts.registry.get(recipe.fn);
    if (fn.kind === 'streaming') return this.parts.streaming.rerun(addr, recipe, fn);
    const { content, size } = await this.run(addr, recipe);
    return { content, size };
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
      if (err instanceof NotFoundError && !this.parts.lookup.isKnown(input)) {
        throw new NotFoundError(`recipe ${parent.hex} names input ${input.hex}, which is not stored`, { cause: err });
      }
      throw err;
    }
  }
}
