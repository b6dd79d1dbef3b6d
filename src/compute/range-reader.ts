/**
 * Range reads that compute only what they touch. A read of [offset, offset+length) of a recipe
 * turns into exactly the work those bytes need:
 *
 * - chunkwise functions: only the output chunks overlapping the range are computed (in the
 *   pool, from just the input bytes under them) and stored as partial output for reuse;
 * - structural functions: no computation; the range maps to input ranges by address
 *   arithmetic over the function's layout, recursively through chains;
 * - streaming functions: the output is read while it is being computed, by the one run that
 *   all its readers share (streams.ts), waiting only for the bytes asked for;
 * - whole functions: the output is materialized once by the executor, then read.
 *
 * Once every chunk of a chunkwise output is computed, the chunks are recorded as one value in
 * the action cache (promoted), exactly as if the output had been materialized whole.
 *
 * A stored chunk found corrupt is handled by {@link Integrity.repair}: a computed output (whole
 * or partial) holding it is dropped and the read retried, which recomputes it; a leaf's fails.
 *
 * Sizes of chunkwise and structural outputs follow from their inputs' sizes, so they are known
 * without computing anything. Decoded recipes are keyed by an immutable address and are stale
 * only once garbage collection deletes them ({@link RangeReader.forgetDeleted}); sizes and
 * layouts of recipes over refs change on a rebinding, so invalidation drops them
 * ({@link RangeReader.forget}), and a chunk computed while an invalidation ran is served to its
 * reader but not stored.
 *
 * A recipe is leased while it is read and while chunks computed for it are being stored, so
 * eviction never takes bytes from under a reader or a writer.
 */
import { LRUCache } from 'lru-cache';
import { CAddr } from '../core/caddr.js';
import { decodeRecipe } from '../core/dcf.js';
import { NotFoundError } from '../core/errors.js';
import { formatFunctionId } from '../core/function-id.js';
import { plainParams, type Recipe } from '../core/recipe.js';
import type { EngineObserver } from '../metrics/observer.js';
import type { Manifest } from '../store/manifest.js';
import type { Store } from '../store/store.js';
import { hashAsync } from '../native/index.js';
import { readIntoLoaded } from '../store/value-reader.js';
import type { Executor } from './executor.js';
import { functionFailed } from './outcome.js';
import type { FailureLog } from './failure-log.js';
import type { ComputeFunction, Segment, StructuralFunction } from './function.js';
import { boundInput, boundInputs } from './inputs.js';
import { MAX_REPAIRS, type Integrity } from './integrity.js';
import type { InvalidationGate } from './invalidation-gate.js';
import type { Leases } from './leases.js';
import type { ComputePool } from './pool.js';
import type { FunctionRegistry } from './registry.js';
import type { StreamRuns } from './streams.js';

interface Decoded {
  readonly recipe: Recipe;
  readonly fn: ComputeFunction;
}

/** Where a chunk's bytes are: in the store, or (just computed) in memory while being stored. */
type ChunkSource =
  | { readonly addr: Buffer; readonly bytes?: undefined; readonly stored?: undefined }
  | {
      readonly bytes: Uint8Array;
      /** Settles once the chunk and its partial entry are committed (and the output promoted). */
      readonly stored: Promise<void>;
    };

/** A structural layout with each segment's start offset, for binary search. */
interface Layout {
  readonly segments: Segment[];
  readonly starts: number[];
  readonly size: number;
}

/** Chunk buffers kept for reuse (see ChunkTask.out). */
const SPARE_CHUNKS = 8;

/** Chunks computed ahead of a sequential reader: enough to keep two pool threads busy. */
const READ_AHEAD_CHUNKS = 2;

export class RangeReader {
  private readonly decoded = new LRUCache<string, Decoded>({ max: 10_000 });
  private readonly sizes = new LRUCache<string, number>({ max: 100_000 });
  private readonly layouts = new LRUCache<string, Layout>({ max: 1_000 });
  /** Size bounds of streaming outputs not yet computed, to weigh reads of them for statistics. */
  private readonly bounds = new LRUCache<string, number>({ max: 10_000 });
  private readonly chunkFlights = new Map<string, Promise<ChunkSource>>();
  /** Keys of chunkFlights whose computation has not finished yet. */
  private readonly computing = new Set<string>();
  /** Chunks computed but not yet committed, per recipe, and the writes storing them. */
  private readonly storing = new Map<string, number>();
  private readonly pendingStores = new Set<Promise<void>>();
  private readonly promotions = new Map<string, Promise<void>>();
  /** Buffers of computed chunks now stored, for the pool to map the next chunks into. */
  private readonly spareChunks: ArrayBuffer[] = [];
  /** Where the last read of each chunkwise output ended, to tell sequential reads. */
  private readonly readEnds = new LRUCache<string, number>({ max: 1_000 });
  /** Output chunks computed one at a time, and the input bytes they covered. */
  readonly counters = { chunksComputed: 0, bytesComputed: 0 };

  constructor(
    private readonly store: Store,
    private readonly registry: FunctionRegistry,
    private readonly pool: ComputePool,
    private readonly executor: Executor,
    private readonly streams: StreamRuns,
    private readonly observer: EngineObserver,
    private readonly leases: Leases,
    /** Called for each read of a recipe's output with the fraction of the output it covered. */
    private readonly onRead: (addr: CAddr, fraction: number) => void,
    /** Called once a computed chunk is stored (the cache grew after its read returned). */
    private readonly onStored: () => Promise<void>,
    private readonly integrity: Integrity,
    private readonly gate: InvalidationGate,
    private readonly failures: FailureLog,
  ) {}

  /** Forgets what is cached about addresses garbage collection deleted. */
  forgetDeleted(hexes: readonly string[]): void {
    for (const hex of hexes) {
      this.decoded.delete(hex);
      this.sizes.delete(hex);
      this.bounds.delete(hex);
      this.layouts.delete(hex);
    }
  }

  /** The size of the value at `addr` when it is known without computing anything. */
  knownSize(addr: CAddr): number | undefined {
    const cached = this.sizes.get(addr.hex) ?? this.stored(addr)?.size;
    if (cached !== undefined) return cached;
    const { recipe, fn } = this.decode(addr);
    let size: number | undefined;
    if (fn.kind === 'chunkwise') size = this.knownSize(this.input(recipe, 0));
    else if (fn.kind === 'structural') {
      const inputs = boundInputs(this.store, recipe).map((i) => this.knownSize(i));
      if (inputs.every((s) => s !== undefined)) size = this.layout(addr, recipe, fn, inputs as number[]).size;
    }
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
    const { recipe, fn } = this.decode(addr);
    if (fn.kind === 'chunkwise') return this.sizeBound(this.input(recipe, 0));
    if (fn.kind === 'streaming') {
      const bound = fn.maxSize(await this.sizeBound(this.input(recipe, 0)), plainParams(recipe));
      this.bounds.set(addr.hex, bound);
      return bound;
    }
    return this.size(addr);
  }

  /** The size of the value at `addr`, computing only what a streaming or whole function needs. */
  async size(addr: CAddr): Promise<number> {
    const known = this.knownSize(addr);
    if (known !== undefined) return known;
    const { recipe, fn } = this.decode(addr);
    if (fn.kind === 'chunkwise') return this.size(this.input(recipe, 0));
    if (fn.kind === 'structural') {
      const ticket = this.gate.ticket();
      const inputs = await Promise.all(boundInputs(this.store, recipe).map((i) => this.size(i)));
      return this.layout(addr, recipe, fn, inputs, this.gate.mayCache(ticket)).size;
    }
    return (await this.executor.resolve(addr)).size;
  }

  /** Fills `target` from `offset` on with the value's bytes; returns the count (short at the end). */
  async readInto(addr: CAddr, offset: number, target: Uint8Array): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.readOnce(addr, offset, target);
      } catch (err) {
        // Rebuilt (the output was dropped): read again, which recomputes. Otherwise rethrow.
        if (attempt >= MAX_REPAIRS || !(await this.integrity.repair(addr, err))) throw err;
      }
    }
  }

  private async readOnce(addr: CAddr, offset: number, target: Uint8Array): Promise<number> {
    if (this.store.isLeaf(addr)) return readIntoLoaded(this.store, this.manifest(addr), offset, target);
    const release = this.leases.hold([addr]);
    try {
      const n = await this.readRecipe(addr, offset, target);
      // A streaming output still being computed has no known size yet: weigh by its bound.
      if (n > 0) this.onRead(addr, n / (this.knownSize(addr) || this.bounds.get(addr.hex) || n));
      return n;
    } finally {
      release();
    }
  }

  private async readRecipe(addr: CAddr, offset: number, target: Uint8Array): Promise<number> {
    const output = this.executor.cachedOutput(addr);
    if (output) {
      this.observer.onCacheLookup('output', true);
      return readIntoLoaded(this.store, this.manifest(output.content), offset, target);
    }
    const { recipe, fn } = this.decode(addr);
    if (fn.kind === 'streaming') {
      this.observer.onCacheLookup('output', false); // served by the run computing it
      this.failures.admitFor(addr, recipe.fn);
      return this.streams.readInto(addr, recipe, fn, Math.max(0, offset), target);
    }
    if (fn.kind === 'whole') return readIntoLoaded(this.store, this.manifest((await this.executor.resolve(addr)).content), offset, target);
    const total = await this.size(addr);
    const start = Math.max(0, Math.min(offset, total));
    const end = Math.min(total, start + target.length);
    if (end === start) return 0;
    if (fn.kind === 'chunkwise') await this.readChunkwise(addr, recipe, total, start, end, target);
    else await this.readStructural(addr, recipe, fn, start, end, target);
    return end - start;
  }

  /** Settles once every computed chunk so far is stored (or has failed to be). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pendingStores]);
  }

  /** Settles once chunks being computed (read ahead too) are computed, and all are stored. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.chunkFlights.values()]);
    await this.settled();
  }

  /**
   * Forgets what was derived about these recipes' outputs (sizes, layouts) and lets new reads
   * start new chunk computations: called when their cached outputs are invalidated.
   */
  forget(addrs: readonly CAddr[]): void {
    for (const addr of addrs) {
      this.sizes.delete(addr.hex);
      this.bounds.delete(addr.hex);
      this.layouts.delete(addr.hex);
    }
    this.chunkFlights.clear();
  }

  /** Chunks of `addr`'s output computed so far, out of how many, for a chunkwise recipe. */
  partial(addr: CAddr): { computed: number; total: number } | undefined {
    const { fn } = this.decode(addr);
    const size = fn.kind === 'chunkwise' ? this.knownSize(addr) : undefined;
    const computed = size === undefined ? 0 : this.store.partials.count(addr) + (this.storing.get(addr.hex) ?? 0);
    return computed > 0 ? { computed, total: Math.ceil(size! / this.store.chunkSize) } : undefined;
  }

  private async readChunkwise(
    addr: CAddr, recipe: Recipe, size: number, start: number, end: number, target: Uint8Array,
  ): Promise<void> {
    const cs = this.store.chunkSize;
    // A read that starts where the last one of this output ended is sequential (a cat, a
    // stream): the next chunks start computing now, on the pool's other threads, so that the
    // reader finds them ready instead of waiting for each in turn. A random read computes
    // only what it touches.
    if (this.readEnds.get(addr.hex) === start) this.readAhead(addr, recipe, Math.ceil(end / cs), size);
    this.readEnds.set(addr.hex, end);
    const reads: Promise<void>[] = [];
    for (let i = Math.floor(start / cs); i * cs < end; i++) {
      const from = Math.max(start, i * cs);
      const to = Math.min(end, (i + 1) * cs);
      reads.push(
        this.chunk(addr, recipe, i).then(async (chunk) => {
          if (chunk.bytes) target.set(chunk.bytes.subarray(from - i * cs, to - i * cs), from - start);
          else {
            await this.store.loadChunks([chunk.addr]); // checked on the libuv pool, not on this thread
            this.store.copyFromChunk(chunk.addr, target, from - start, from - i * cs, to - i * cs);
          }
          // The read that completes the output waits for it to be recorded as one value, so
          // whoever asks right after sees it materialized; other reads do not wait for storage.
          if (chunk.stored && this.completes(addr, size)) await chunk.stored;
        }),
      );
    }
    await Promise.all(reads);
  }

  /** Starts computing the chunks from `from` on that are neither stored nor on their way. */
  private readAhead(addr: CAddr, recipe: Recipe, from: number, size: number): void {
    const cs = this.store.chunkSize;
    for (let i = from; i < from + READ_AHEAD_CHUNKS && i * cs < size; i++) {
      if (!this.chunkFlights.has(`${addr.hex}:${i}`) && !this.storedChunk(addr, i)) {
        this.flight(addr, recipe, i).catch(() => {}); // a failure is the reader's to meet, when it gets there
      }
    }
  }

  /**
   * Output chunk `index` of a chunkwise recipe: stored already, or computed once now. A chunk
   * just computed is served from its bytes while it is being stored.
   */
  private chunk(addr: CAddr, recipe: Recipe, index: number): Promise<ChunkSource> {
    const stored = this.storedChunk(addr, index);
    const key = `${addr.hex}:${index}`;
    // A miss waits for a computation; a chunk already computed and still being stored is a hit.
    this.observer.onCacheLookup('chunk', stored !== undefined || (this.chunkFlights.has(key) && !this.computing.has(key)));
    if (stored) return Promise.resolve({ addr: stored });
    return this.flight(addr, recipe, index);
  }

  /** The computation of chunk `index`: the one under way, or a new one. */
  private flight(addr: CAddr, recipe: Recipe, index: number): Promise<ChunkSource> {
    const key = `${addr.hex}:${index}`;
    let flight = this.chunkFlights.get(key);
    if (!flight) {
      this.computing.add(key);
      flight = this.computeChunk(addr, recipe, index).finally(() => this.computing.delete(key));
      this.chunkFlights.set(key, flight);
      void this.retire(key, flight);
    }
    return flight;
  }

  /**
   * Forgets a flight once its chunk is stored (readable as a partial) or has failed, then
   * gives its buffer back to the pool: from then on no reader can be handed those bytes (the
   * readers given them copied them as the computation resolved).
   */
  private async retire(key: string, flight: Promise<ChunkSource>): Promise<void> {
    let computed: ChunkSource | undefined;
    try {
      computed = await flight;
      await computed.stored;
    } catch {
      // a failure is its readers' to report
    }
    if (this.chunkFlights.get(key) === flight) this.chunkFlights.delete(key);
    const buffer = computed?.bytes?.buffer;
    if (buffer instanceof ArrayBuffer && buffer.byteLength === this.store.chunkSize && this.spareChunks.length < SPARE_CHUNKS) {
      this.spareChunks.push(buffer);
    }
  }

  /** True when every chunk of `addr`'s output is stored or being stored. */
  private completes(addr: CAddr, size: number): boolean {
    const total = Math.ceil(size / this.store.chunkSize);
    return this.store.partials.count(addr) + (this.storing.get(addr.hex) ?? 0) >= total;
  }

  private async computeChunk(addr: CAddr, recipe: Recipe, index: number): Promise<ChunkSource> {
    this.failures.admitFor(addr, recipe.fn);
    const ticket = this.gate.ticket();
    const total = await this.size(addr);
    const { bytes, cost } = await this.mapChunk(addr, recipe, index, total);
    const fn = formatFunctionId(recipe.fn);
    this.observer.onMaterialized({ addr: addr.hex, fn, kind: 'chunk', chunk: index, seconds: cost / 1000, bytes: bytes.length });
    this.counters.chunksComputed++;
    this.counters.bytesComputed += bytes.length; // a chunkwise output is as long as its input
    // Its input may be stale (an invalidation ran meanwhile): serve it, do not keep it.
    if (!this.gate.mayCache(ticket)) return { bytes, stored: Promise.resolve() };
    // Leased until stored (and promoted): eviction must not drop partial entries meanwhile.
    const release = this.leases.hold([addr]);
    const stored = this.leases
      .writing(() => this.storeChunk(addr, index, bytes, total, cost, ticket.mark))
      .finally(release)
      .then(() => this.onStored());
    this.pendingStores.add(stored);
    void stored.catch(() => {}).finally(() => this.pendingStores.delete(stored));
    return { bytes, stored };
  }

  /**
   * Output chunk `index` computed in the pool. When the input bytes under it are one stored
   * chunk the worker reads that chunk itself (no copy through this thread, no transfer);
   * otherwise, or if the worker found it missing or corrupt, they are read here first (a read
   * that repairs or reports a corrupt chunk).
   */
  private async mapChunk(addr: CAddr, recipe: Recipe, index: number, size: number): Promise<{ bytes: Uint8Array; cost: number }> {
    const cs = this.store.chunkSize;
    const task = { storeDir: this.store.dir, verifyReads: this.store.verifyReads, fn: recipe.fn, params: plainParams(recipe), offset: index * cs };
    const source = this.input(recipe, 0);
    const chunk = this.storedChunk(source, index);
    if (chunk) {
      const release = this.leases.hold([source]);
      try {
        const out = this.spareChunks.pop();
        const mapped = await this.run(addr, recipe, () => this.pool.mapChunk({ ...task, input: chunk.toString('hex'), out }));
        if (mapped.result) return { bytes: mapped.result, cost: mapped.ms };
      } finally {
        release();
      }
    }
    const input = new Uint8Array(Math.min(cs, size - index * cs)); // owned whole: transferable
    await this.readInto(source, index * cs, input);
    const mapped = await this.run(addr, recipe, () => this.pool.mapChunk({ ...task, input, out: this.spareChunks.pop() }));
    return { bytes: mapped.result!, cost: mapped.ms };
  }

  /**
   * Runs a pool task for `addr`'s function, timed (its cost: the computation, not the reading of
   * its input), recording and throwing its failure as the recipe's.
   */
  private async run<T>(addr: CAddr, recipe: Recipe, task: () => Promise<T>): Promise<{ result: T; ms: number }> {
    const started = performance.now();
    try {
      return { result: await task(), ms: performance.now() - started };
    } catch (err) {
      const wrapped = functionFailed(addr, recipe, err);
      this.failures.record(addr, wrapped);
      throw wrapped;
    }
  }

  /**
   * Hashes (off the JS thread) and stores a computed chunk with its partial entry; promotes the
   * output once all are stored. The reader that asked for the chunk does not wait for this.
   */
  private async storeChunk(addr: CAddr, index: number, bytes: Uint8Array, size: number, cost: number, mark: number): Promise<void> {
    this.storing.set(addr.hex, (this.storing.get(addr.hex) ?? 0) + 1);
    try {
      await this.store.putPartialChunk(addr, index, await hashAsync(bytes), bytes, cost, mark);
    } catch (err) {
      this.failures.record(addr, err);
      throw err;
    } finally {
      const left = this.storing.get(addr.hex)! - 1;
      if (left > 0) this.storing.set(addr.hex, left);
      else this.storing.delete(addr.hex);
    }
    if (this.store.partials.count(addr) === Math.ceil(size / this.store.chunkSize)) await this.promote(addr, size);
  }

  /** Records a chunkwise output whose chunks are all computed as one value (once). */
  private promote(addr: CAddr, size: number): Promise<void> {
    let flight = this.promotions.get(addr.hex);
    if (!flight) {
      flight = (async () => {
        const started = performance.now();
        const mark = this.store.invalidationMark();
        const n = Math.ceil(size / this.store.chunkSize);
        const found = Array.from({ length: n }, (_, i) => this.store.partials.get(addr, i));
        if (found.some((c) => c === undefined)) return; // invalidated since: nothing to promote
        const chunks = found.map((c) => c!.toString('hex'));
        await this.pool.assemble({ storeDir: this.store.dir, verifyReads: this.store.verifyReads, recipe: addr.hex, mark, chunks, size });
        // Recorded as value and action in one transaction, unless the mark moved (then nothing
        // is recorded: see invalidation-gate.ts).
        const fn = formatFunctionId(this.decode(addr).recipe.fn);
        this.observer.onMaterialized({ addr: addr.hex, fn, kind: 'promotion', seconds: (performance.now() - started) / 1000, bytes: size });
      })().finally(() => this.promotions.delete(addr.hex));
      this.promotions.set(addr.hex, flight);
    }
    return flight;
  }

  private async readStructural(
    addr: CAddr, recipe: Recipe, fn: StructuralFunction, start: number, end: number, target: Uint8Array,
  ): Promise<void> {
    const ticket = this.gate.ticket();
    const inputs = boundInputs(this.store, recipe);
    const sizes = await Promise.all(inputs.map((i) => this.size(i)));
    const { segments, starts } = this.layout(addr, recipe, fn, sizes, this.gate.mayCache(ticket));
    const reads: Promise<unknown>[] = [];
    for (let s = firstSegment(starts, start); s < segments.length && starts[s]! < end; s++) {
      const seg = segments[s]!;
      const from = Math.max(start, starts[s]!);
      const to = Math.min(end, starts[s]! + segLength(seg));
      const into = target.subarray(from - start, to - start);
      if ('bytes' in seg) into.set(seg.bytes.subarray(from - starts[s]!, to - starts[s]!));
      else reads.push(this.readInto(inputs[seg.input]!, seg.offset + (from - starts[s]!), into));
    }
    await Promise.all(reads);
  }

  /** The layout over input `sizes`; remembered unless `keep` is false (sizes may be stale). */
  private layout(addr: CAddr, recipe: Recipe, fn: StructuralFunction, sizes: number[], keep = true): Layout {
    let layout = keep ? this.layouts.get(addr.hex) : undefined;
    if (!layout) {
      const segments = fn.layout(sizes, plainParams(recipe)).filter((s) => segLength(s) > 0);
      const starts: number[] = [];
      let size = 0;
      for (const seg of segments) {
        starts.push(size);
        size += segLength(seg);
      }
      layout = { segments, starts, size };
      if (keep) this.layouts.set(addr.hex, layout);
    }
    return layout;
  }

  /** Input `i` of `recipe` as the address to read now (a ref at its current binding). */
  private input(recipe: Recipe, i: number): CAddr {
    return boundInput(this.store, recipe.inputs[i]!);
  }

  /** The address of chunk `index` of `addr`'s value, if stored (whole or as a partial output). */
  private storedChunk(addr: CAddr, index: number): Buffer | undefined {
    return this.store.partials.get(addr, index) ?? this.stored(addr)?.chunks[index];
  }

  /** The stored manifest behind `addr`: a leaf, or a recipe's recorded output. */
  private stored(addr: CAddr): Manifest | undefined {
    if (this.store.isLeaf(addr)) return this.store.getManifest(addr);
    const out = this.executor.cachedOutput(addr);
    return out ? this.manifest(out.content) : undefined;
  }

  private manifest(content: CAddr): Manifest {
    const m = this.store.getManifest(content);
    if (!m) throw new NotFoundError(`value ${content.hex} is not stored`);
    return m;
  }

  private decode(addr: CAddr): Decoded {
    let d = this.decoded.get(addr.hex);
    if (!d) {
      const dcf = this.store.getRecipe(addr);
      if (!dcf) throw NotFoundError.address(addr);
      const recipe = decodeRecipe(dcf);
      d = { recipe, fn: this.registry.get(recipe.fn) };
      this.decoded.set(addr.hex, d);
    }
    return d;
  }
}

function segLength(seg: Segment): number {
  return 'bytes' in seg ? seg.bytes.length : seg.length;
}

/** Index of the segment containing `offset` (starts ascending, first is 0). */
function firstSegment(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
