/**
 * Range reads that compute only what they touch. A read of [offset, offset+length) of a recipe
 * turns into exactly the work those bytes need, by its function's kind (kind-readers.ts):
 * chunkwise outputs compute only the chunks read (chunkwise-outputs.ts), structural ones map
 * to their inputs (structural-reader.ts), streaming ones are read from the run computing them
 * (streams.ts), whole ones are materialized once by the executor.
 *
 * A stored chunk found corrupt is handled by {@link Integrity.repair}: a computed output (whole
 * or partial) holding it is dropped and the read retried, which recomputes it; a leaf's fails.
 *
 * Sizes of chunkwise and structural outputs follow from their inputs' sizes, so they are known
 * without computing anything. Decoded recipes are keyed by an immutable address and are stale
 * only once garbage collection deletes them ({@link RangeReader.forgetDeleted}); sizes and
 * layouts of recipes over refs change on a rebinding, so invalidation drops them
 * ({@link RangeReader.forget}).
 *
 * A recipe is leased while it is read, so eviction never takes bytes from under a reader.
 */
import { LRUCache } from 'lru-cache';
import type { CAddr } from '../core/caddr.js';
import { decodeRecipe } from '../core/dcf.js';
import { NotFoundError } from '../core/errors.js';
import type { Recipe } from '../core/recipe.js';
import type { ComputeParts } from './compute-parts.js';
import { readIntoLoaded } from '../store/value-reader.js';
import { ChunkwiseOutputs } from './chunkwise-outputs.js';
import type { ComputeFunction } from './function.js';
import { MAX_REPAIRS, type Integrity } from './integrity.js';
import { kindReader, type KindContext, type KindReader, type StreamReads, type WholeMaterializer } from './kind-readers.js';
import type { ComputePool } from './pool.js';
import { StructuralReader } from './structural-reader.js';

interface Decoded {
  readonly recipe: Recipe;
  readonly fn: ComputeFunction;
  readonly reader: KindReader;
}

export interface RangeReaderParts extends ComputeParts {
  readonly pool: ComputePool;
  /** Materializes whole (and drained streaming) outputs: the executor. */
  readonly materializer: WholeMaterializer;
  readonly streams: StreamReads;
  /** Called once a computed chunk is stored (the cache grew after its read returned). */
  readonly onStored: () => Promise<void>;
}

export class RangeReader {
  private readonly decoded = new LRUCache<string, Decoded>({ max: 10_000 });
  private readonly sizes = new LRUCache<string, number>({ max: 100_000 });
  /** Size bounds of streaming outputs not yet computed, to weigh reads of them for statistics. */
  private readonly bounds = new LRUCache<string, number>({ max: 10_000 });
  private readonly chunkwise: ChunkwiseOutputs;
  private readonly structural: StructuralReader;
  private readonly kinds: KindContext;

  constructor(private readonly parts: RangeReaderParts) {
    const { store, pool, leases, observer, gate, failures, lookup, onStored } = parts;
    this.chunkwise = new ChunkwiseOutputs({ store, pool, leases, observer, gate, failures, lookup, inputs: this, onStored });
    this.structural = new StructuralReader(store, gate, this);
    const { materializer, streams } = parts;
    this.kinds = { store, sizes: this, lookup, materializer, streams, chunkwise: this.chunkwise, structural: this.structural, failures, observer, bounds: this.bounds };
  }

  /** Output chunks computed one at a time, and the input bytes they covered. */
  get counters(): { readonly chunksComputed: number; readonly bytesComputed: number } {
    return this.chunkwise.counters;
  }

  /** Forgets what is cached about addresses garbage collection deleted. */
  forgetDeleted(hexes: readonly string[]): void {
    for (const hex of hexes) {
      this.decoded.delete(hex);
      this.forgetDerived(hex);
    }
  }

  /**
   * Forgets what was derived about these recipes' outputs (sizes, layouts) and lets new reads
   * start new chunk computations: called when their cached outputs are invalidated.
   */
  forget(addrs: readonly CAddr[]): void {
    for (const addr of addrs) this.forgetDerived(addr.hex);
    this.chunkwise.forget();
  }

  /** The size of the value at `addr` when it is known without computing anything. */
  knownSize(addr: CAddr): number | undefined {
    const cached = this.sizes.get(addr.hex) ?? this.parts.lookup.stored(addr)?.size;
    if (cached !== undefined) return cached;
    const { recipe, reader } = this.decode(addr);
    const size = reader.knownSize(addr, recipe);
    if (size !== undefined) this.sizes.set(addr.hex, size);
    return size;
  }

  /**
   * An upper bound on the size of the value at `addr`: its size when known without computing,
   * else for a streaming output its function's bound over its input's bound. Computes only
   * what an exact size needs elsewhere (a structural layout over, or a whole function).
   */
  async sizeBound(addr: CAddr): Promise<number> {
    const known = this.knownSize(addr);
    if (known !== undefined) return known;
    const { recipe, reader } = this.decode(addr);
    return reader.sizeBound(addr, recipe);
  }

  /** The size of the value at `addr`, computing only what a streaming or whole function needs. */
  async size(addr: CAddr): Promise<number> {
    const known = this.knownSize(addr);
    if (known !== undefined) return known;
    const { recipe, reader } = this.decode(addr);
    return reader.size(addr, recipe);
  }

  /** Fills `target` from `offset` on with the value's bytes; returns the count (short at the end). */
  async readInto(addr: CAddr, offset: number, target: Uint8Array): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.readOnce(addr, offset, target);
      } catch (err) {
        // Rebuilt (the output was dropped): read again, which recomputes. Otherwise rethrow.
        if (attempt >= MAX_REPAIRS || !(await this.parts.integrity.repair(addr, err))) throw err;
      }
    }
  }

  /** Settles once every computed chunk so far is stored (or has failed to be). */
  storesSettled(): Promise<void> {
    return this.chunkwise.storesSettled();
  }

  /** Settles once chunks being computed (read ahead too) are computed, and all are stored. */
  drained(): Promise<void> {
    return this.chunkwise.drained();
  }

  /** Chunks of `addr`'s output computed so far, out of how many, for a chunkwise recipe. */
  partial(addr: CAddr): { computed: number; total: number } | undefined {
    const { fn } = this.decode(addr);
    const size = fn.kind === 'chunkwise' ? this.knownSize(addr) : undefined;
    const computed = size === undefined ? 0 : this.chunkwise.computed(addr);
    return computed > 0 ? { computed, total: Math.ceil(size! / this.parts.store.chunkSize) } : undefined;
  }

  private async readOnce(addr: CAddr, offset: number, target: Uint8Array): Promise<number> {
    const { lookup, store } = this.parts;
    const leaf = lookup.leaf(addr);
    if (leaf) return readIntoLoaded(store, lookup.manifest(leaf.content), offset, target);
    const release = this.parts.leases.hold([addr]);
    try {
      const n = await this.readRecipe(addr, offset, target);
      // A streaming output still being computed has no known size yet: weigh by its bound.
      if (n > 0) this.parts.onRead(addr, n / (this.knownSize(addr) || this.bounds.get(addr.hex) || n));
      return n;
    } finally {
      release();
    }
  }

  private async readRecipe(addr: CAddr, offset: number, target: Uint8Array): Promise<number> {
    const { lookup, observer, store } = this.parts;
    const output = lookup.output(addr);
    if (output) {
      observer.onCacheLookup('output', true);
      return readIntoLoaded(store, lookup.manifest(output.content), offset, target);
    }
    const { recipe, reader } = this.decode(addr);
    return reader.read(addr, recipe, offset, target);
  }

  private forgetDerived(hex: string): void {
    this.sizes.delete(hex);
    this.bounds.delete(hex);
    this.structural.forget(hex);
  }

  private decode(addr: CAddr): Decoded {
    let d = this.decoded.get(addr.hex);
    if (!d) {
      const dcf = this.parts.lookup.recipe(addr);
      if (!dcf) throw NotFoundError.address(addr);
      const recipe = decodeRecipe(dcf);
      const fn = this.parts.registry.get(recipe.fn);
      d = { recipe, fn, reader: kindReader(fn, this.kinds) };
      this.decoded.set(addr.hex, d);
    }
    return d;
  }
}
