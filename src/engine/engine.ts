/**
 * The engine: the one facade the api and fuse layers call. It owns the store, the function
 * registry, the worker pool and the executor, and offers put, recipe, stat and read. Nothing
 * above this layer touches LMDB or the pool directly.
 */
import { resolvePrefix, type CAddr } from '../core/caddr.js';
import { recipeAddress } from '../core/address.js';
import { decodeRecipe, encodeRecipe } from '../core/dcf.js';
import { NotFoundError } from '../core/errors.js';
import type { FunctionId } from '../core/function-id.js';
import type { ParamValue, Recipe } from '../core/recipe.js';
import { builtins } from '../compute/builtins/index.js';
import { Executor, type Materialized } from '../compute/executor.js';
import type { ComputeFunction } from '../compute/function.js';
import { ComputePool } from '../compute/pool.js';
import { FunctionRegistry } from '../compute/registry.js';
import { Store } from '../store/store.js';
import { iterateRange, readRange } from '../store/value-reader.js';
import { ValueWriter } from '../store/value-writer.js';
import { canonicalRecipe } from './recipe-check.js';

export interface EngineOptions {
  /** Directory of the store (created if missing). */
  readonly storeDir: string;
  /** Chunk size for a new store (an existing one keeps its own). */
  readonly chunkSize?: number;
  /** Compute worker threads (default: one per core). */
  readonly threads?: number;
}

/** What is known about an address without computing anything. */
export interface AddressInfo {
  readonly addr: CAddr;
  readonly kind: 'leaf' | 'recipe';
  /** The recipe, for a recipe address. */
  readonly recipe?: Recipe;
  /** Size when known: always for a leaf, for a recipe once materialized. */
  readonly size?: number;
  /** Content address of a materialized recipe output. */
  readonly content?: CAddr;
}

export class Engine {
  readonly registry = new FunctionRegistry(builtins);
  private readonly executor: Executor;

  private constructor(
    private readonly store: Store,
    private readonly pool: ComputePool,
  ) {
    this.executor = new Executor(store, pool);
  }

  static open(options: EngineOptions): Engine {
    const store = Store.open(options.storeDir, { chunkSize: options.chunkSize });
    return new Engine(store, new ComputePool({ threads: options.threads }));
  }

  get chunkSize(): number {
    return this.store.chunkSize;
  }

  /** Stores bytes (in memory, or streamed in any number of pieces) as a leaf; durable on resolve. */
  async put(source: Uint8Array | AsyncIterable<Uint8Array>): Promise<CAddr> {
    const writer = new ValueWriter(this.store);
    if (source instanceof Uint8Array) await writer.write(source);
    else for await (const piece of source) await writer.write(piece);
    return (await writer.finish(true)).addr;
  }

  /** Validates and registers a recipe; durable on resolve. Inputs must already be known. */
  async putRecipe(fn: FunctionId, inputs: readonly CAddr[], params: ReadonlyMap<string, ParamValue>): Promise<CAddr> {
    const recipe = canonicalRecipe(this.registry, fn, inputs, params);
    for (const input of inputs) {
      if (!this.isKnown(input)) throw new NotFoundError(`input ${input.hex} is neither a stored leaf nor a recipe`);
    }
    const addr = recipeAddress(recipe);
    if (!this.store.getRecipe(addr)) await this.store.putRecipe(addr, encodeRecipe(recipe), inputs);
    return addr;
  }

  /** A full address or a unique prefix (>= 8 hex digits) of a known leaf or recipe. */
  resolveAddress(text: string): CAddr {
    return resolvePrefix(text, this.store.findByPrefix(text.toLowerCase()));
  }

  /** Kind, size and recipe of `addr`, computing nothing. */
  info(addr: CAddr): AddressInfo {
    if (this.store.isLeaf(addr)) {
      return { addr, kind: 'leaf', size: this.store.getManifest(addr)!.size };
    }
    const dcf = this.store.getRecipe(addr);
    if (!dcf) throw new NotFoundError(`no leaf or recipe has address ${addr.hex}`);
    const out = this.executor.cachedOutput(addr);
    return { addr, kind: 'recipe', recipe: decodeRecipe(dcf), size: out?.size, content: out?.content };
  }

  /** The stored value behind `addr`, computing a recipe's output (and its inputs') if needed. */
  materialize(addr: CAddr): Promise<Materialized> {
    return this.executor.resolve(addr);
  }

  /** Bytes [offset, offset+length) of the value at `addr` (clamped to its end). */
  async read(addr: CAddr, offset = 0, length = Number.MAX_SAFE_INTEGER): Promise<Buffer> {
    const { content } = await this.materialize(addr);
    return readRange(this.store, this.store.getManifest(content)!, offset, length);
  }

  /** The value at `addr` as a sequence of chunk-sized pieces, for streaming to a client. */
  async *stream(addr: CAddr, offset = 0, length = Number.MAX_SAFE_INTEGER): AsyncGenerator<Buffer> {
    const { content } = await this.materialize(addr);
    yield* iterateRange(this.store, this.store.getManifest(content)!, offset, length);
  }

  /** Recipes that take `addr` as an input. */
  dependents(addr: CAddr): CAddr[] {
    return this.store.dependents(addr);
  }

  functions(): ComputeFunction[] {
    return this.registry.list();
  }

  /** Counters for status reporting and tests. */
  status(): { computations: number; queued: number; chunkSize: number } & ReturnType<Store['stats']> {
    return { computations: this.executor.computed, queued: this.pool.queued, chunkSize: this.chunkSize, ...this.store.stats() };
  }

  /** Finishes queued work, stops the workers, closes the store. */
  async close(): Promise<void> {
    await this.pool.close();
    await this.store.flushed();
    await this.store.close();
  }

  private isKnown(addr: CAddr): boolean {
    return this.store.isLeaf(addr) || this.store.getRecipe(addr) !== undefined;
  }
}
