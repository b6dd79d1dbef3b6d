/**
 * Where a recipe is computed: the seam between deciding what to compute (the executor resolves
 * a recipe's inputs, in recipe order, repairs corrupt ones, takes an invalidation ticket) and
 * running the function over them. The local worker pool is the first {@link Materializer}
 * ({@link PoolMaterializer}); a remote node computing next to its data is just another one
 * (src/cluster, later), as a remote blob store is just another BlobAccess in bb-storage.
 *
 * Whatever runs the function, the contract is the same: the output is stored here as a value
 * and, when asked, recorded as the recipe's output unless the invalidation mark moved (see
 * invalidation-gate.ts); a corrupt input chunk is reported as such (the executor repairs and
 * retries), any other failure as the function's.
 */
import { CAddr } from '../core/caddr.js';
import { CorruptChunkError } from '../core/errors.js';
import { plainParams, type Recipe } from '../core/recipe.js';
import type { Store } from '../store/store.js';
import { functionFailed, type Materialized } from './outcome.js';
import type { ComputePool } from './pool.js';

/** One run of a recipe's function over inputs already materialized. */
export interface ComputeJob {
  readonly addr: CAddr;
  readonly recipe: Recipe;
  /** The inputs' values, in recipe order. */
  readonly inputs: readonly Materialized[];
  /** Record the output as `addr`'s action (else only store it as a value: verification reruns). */
  readonly record: boolean;
  /** The invalidation mark taken before the inputs were bound. */
  readonly mark: number;
}

/** A computed output, and how long the function ran (not its inputs' materialization). */
export interface Computed extends Materialized {
  readonly seconds: number;
}

export interface Materializer {
  compute(job: ComputeJob): Promise<Computed>;
}

/** The local worker pool: the worker reads the inputs from, and writes the output to, this store. */
export class PoolMaterializer implements Materializer {
  constructor(
    private readonly store: Pick<Store, 'dir' | 'verifyReads'>,
    private readonly pool: Pick<ComputePool, 'run'>,
  ) {}

  async compute({ addr, recipe, inputs, record, mark }: ComputeJob): Promise<Computed> {
    const task = {
      storeDir: this.store.dir,
      verifyReads: this.store.verifyReads,
      recipe: record ? addr.hex : undefined,
      mark,
      fn: recipe.fn,
      params: plainParams(recipe),
      inputs: inputs.map((m) => m.content.hex),
    };
    const started = performance.now();
    const result = await this.pool.run(task).catch((err: unknown) => {
      throw err instanceof CorruptChunkError ? err : functionFailed(addr, recipe, err);
    });
    return { content: CAddr.fromHex(result.content), size: result.size, seconds: (performance.now() - started) / 1000 };
  }
}
