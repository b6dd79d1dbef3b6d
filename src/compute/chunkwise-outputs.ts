/**
 * Range reads of chunkwise outputs: only the output chunks overlapping the range are computed
 * (in the pool, from just the input bytes under them) and stored as partial output for reuse.
 * Once every chunk of an output is stored, the chunks are recorded as one value in the action
 * cache (promoted), exactly as if the output had been materialized whole.
 *
 * A chunk computed while an invalidation ran is served to its reader but not stored (see
 * invalidation-gate.ts). A recipe is leased while chunks computed for it are being stored, so
 * eviction never takes partial entries from under the writer.
 */
import { LRUCache } from 'lru-cache';
import type { CAddr } from '../core/caddr.js';
import { formatFunctionId } from '../core/function-id.js';
import { plainParams, type Recipe } from '../core/recipe.js';
import { SingleFlight } from '../core/single-flight.js';
import { TaskSet } from '../core/task-set.js';
import type { EngineObserver } from '../metrics/observer.js';
import { hashAsync } from '../native/index.js';
import type { Store } from '../store/store.js';
import type { FailureLog } from './failure-log.js';
import { boundInput } from './inputs.js';
import type { InvalidationGate } from './invalidation-gate.js';
import type { Leases } from './leases.js';
import { functionFailed } from './outcome.js';
import type { ComputePool } from './pool.js';
import type { InputReader } from './structural-reader.js';
import type { ValueLookup } from './value-lookup.js';

/** Where a chunk's bytes are: in the store, or (just computed) in memory while being stored. */
type ChunkSource =
  | { readonly addr: Buffer; readonly bytes?: undefined; readonly stored?: undefined }
  | {
      readonly bytes: Uint8Array;
      /** Settles once the chunk and its partial entry are committed (and the output promoted). */
      readonly stored: Promise<void>;
    };

/** Chunk buffers kept for reuse (see ChunkTask.out). */
const SPARE_CHUNKS = 8;

/** Chunks computed ahead of a sequential reader: enough to keep two pool threads busy. */
const READ_AHEAD_CHUNKS = 2;

export interface ChunkwiseParts {
  readonly store: Store;
  readonly pool: ComputePool;
  readonly leases: Leases;
  readonly observer: EngineObserver;
  readonly gate: InvalidationGate;
  readonly failures: FailureLog;
  readonly lookup: ValueLookup;
  /** Reads the input bytes under a chunk, and output sizes (the range reader). */
  readonly inputs: InputReader;
  /** Called once a computed chunk is stored (the cache grew after its read returned). */
  readonly onStored: () => Promise<void>;
}

export class ChunkwiseOutputs {
  /**
   * Chunk computations by `hex:index`, each kept until its chunk is stored (or failed), not
   * just until computed: see {@link recycleWhenStored}. Not a SingleFlight for that reason.
   */
  private readonly chunksInFlight = new Map<string, Promise<ChunkSource>>();
  /** Keys of chunksInFlight whose computation has not finished yet. */
  private readonly computing = new Set<string>();
  /** Chunks computed but not yet committed, per recipe. */
  private readonly storing = new Map<string, number>();
  /** The writes storing computed chunks (each promoting the output if it completes it), by recipe. */
  private readonly stores = new TaskSet();
  private readonly promotions = new SingleFlight<void>();
  /** Buffers of computed chunks now stored, for the pool to map the next chunks into. */
  private readonly spareChunks: ArrayBuffer[] = [];
  /** Where the last read of each output ended, to tell sequential reads. */
  private readonly readEnds = new LRUCache<string, number>({ max: 1_000 });
  /** Output chunks computed one at a time, and the input bytes they covered. */
  readonly counters = { chunksComputed: 0, bytesComputed: 0 };

  constructor(private readonly parts: ChunkwiseParts) {}

  /** Fills `target` with bytes [start, end) of `addr`'s output (`size` bytes long). */
  async read(addr: CAddr, recipe: Recipe, size: number, start: number, end: number, target: Uint8Array): Promise<void> {
    const cs = this.parts.store.chunkSize;
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
      reads.push(this.chunk(addr, recipe, i).then((chunk) => this.copy(chunk, target, from - start, from - i * cs, to - i * cs)));
    }
    await Promise.all(reads);
    // The read that finds the output complete waits for it to be recorded as one value, so
    // whoever asks right after sees it materialized: its last chunks may have been stored by
    // other reads or read-ahead, whose stores (and the promotion) nobody else waits for.
    // Other reads do not wait for storage.
    if (this.stores.has(addr.hex) && this.completes(addr, size)) await this.stores.settled(addr.hex);
  }

  /** Chunks of `addr`'s output stored or being stored. */
  computed(addr: CAddr): number {
    return this.parts.store.partials.count(addr) + (this.storing.get(addr.hex) ?? 0);
  }

  /** Settles once every computed chunk so far is stored (or has failed to be). */
  storesSettled(): Promise<void> {
    return this.stores.settled();
  }

  /** Settles once chunks being computed (read ahead too) are computed, and all are stored. */
  async drained(): Promise<void> {
    await Promise.allSettled([...this.chunksInFlight.values()]);
    await this.storesSettled();
  }

  /** Lets new reads start new chunk computations (outputs were invalidated). */
  forget(): void {
    this.chunksInFlight.clear();
  }

  /** Copies bytes [from, to) of `chunk` to `target` at `at`. */
  private async copy(chunk: ChunkSource, target: Uint8Array, at: number, from: number, to: number): Promise<void> {
    if (chunk.bytes) target.set(chunk.bytes.subarray(from, to), at);
    else {
      await this.parts.store.loadChunks([chunk.addr]); // checked on the libuv pool, not on this thread
      this.parts.store.copyFromChunk(chunk.addr, target, at, from, to);
    }
  }

  /** Starts computing the chunks from `from` on that are neither stored nor on their way. */
  private readAhead(addr: CAddr, recipe: Recipe, from: number, size: number): void {
    const cs = this.parts.store.chunkSize;
    for (let i = from; i < from + READ_AHEAD_CHUNKS && i * cs < size; i++) {
      if (!this.chunksInFlight.has(`${addr.hex}:${i}`) && !this.storedChunk(addr, i)) {
        this.computeChunkOnce(addr, recipe, i).catch(() => {}); // a failure is the reader's to meet, when it gets there
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
    this.parts.observer.onCacheLookup('chunk', stored !== undefined || (this.chunksInFlight.has(key) && !this.computing.has(key)));
    if (stored) return Promise.resolve({ addr: stored });
    return this.computeChunkOnce(addr, recipe, index);
  }

  /** The computation of chunk `index`: the one under way, or a new one. */
  private computeChunkOnce(addr: CAddr, recipe: Recipe, index: number): Promise<ChunkSource> {
    const key = `${addr.hex}:${index}`;
    let flight = this.chunksInFlight.get(key);
    if (!flight) {
      this.computing.add(key);
      flight = this.computeChunk(addr, recipe, index).finally(() => this.computing.delete(key));
      this.chunksInFlight.set(key, flight);
      void this.recycleWhenStored(key, flight);
    }
    return flight;
  }

  /**
   * Forgets a flight once its chunk is stored (readable as a partial) or has failed, then
   * gives its buffer back to the pool: from then on no reader can be handed those bytes (the
   * readers given them copied them as the computation resolved).
   */
  private async recycleWhenStored(key: string, flight: Promise<ChunkSource>): Promise<void> {
    let computed: ChunkSource | undefined;
    try {
      computed = await flight;
      await computed.stored;
    } catch {
      // a failure is its readers' to report
    }
    if (this.chunksInFlight.get(key) === flight) this.chunksInFlight.delete(key);
    const buffer = computed?.bytes?.buffer;
    if (buffer instanceof ArrayBuffer && buffer.byteLength === this.parts.store.chunkSize && this.spareChunks.length < SPARE_CHUNKS) {
      this.spareChunks.push(buffer);
    }
  }

  /** True when every chunk of `addr`'s output is stored or being stored. */
  private completes(addr: CAddr, size: number): boolean {
    return this.computed(addr) >= Math.ceil(size / this.parts.store.chunkSize);
  }

  private async computeChunk(addr: CAddr, recipe: Recipe, index: number): Promise<ChunkSource> {
    const { gate, leases, observer } = this.parts;
    this.parts.failures.admitFor(addr, recipe.fn);
    const ticket = gate.ticket();
    const total = await this.parts.inputs.size(addr);
    const { bytes, cost } = await this.mapChunk(addr, recipe, index, total);
    const fn = formatFunctionId(recipe.fn);
    observer.onMaterialized({ addr: addr.hex, fn, kind: 'chunk', chunk: index, seconds: cost / 1000, bytes: bytes.length });
    this.counters.chunksComputed++;
    this.counters.bytesComputed += bytes.length; // a chunkwise output is as long as its input
    // Its input may be stale (an invalidation ran meanwhile): serve it, do not keep it.
    if (!gate.mayCache(ticket)) return { bytes, stored: Promise.resolve() };
    // Leased until stored (and promoted): eviction must not drop partial entries meanwhile.
    const release = leases.hold([addr]);
    const stored = leases
      .writing(() => this.storeChunk(addr, recipe, index, bytes, total, cost, ticket.mark))
      .finally(release)
      .then(() => this.parts.onStored());
    return { bytes, stored: this.stores.add(stored, addr.hex) };
  }

  /**
   * Output chunk `index` computed in the pool. When the input bytes under it are one stored
   * chunk the worker reads that chunk itself (no copy through this thread, no transfer);
   * otherwise, or if the worker found it missing or corrupt, they are read here first (a read
   * that repairs or reports a corrupt chunk).
   */
  private async mapChunk(addr: CAddr, recipe: Recipe, index: number, size: number): Promise<{ bytes: Uint8Array; cost: number }> {
    const { store, pool, leases } = this.parts;
    const cs = store.chunkSize;
    const task = { storeDir: store.dir, verifyReads: store.verifyReads, fn: recipe.fn, params: plainParams(recipe), offset: index * cs };
    const source = boundInput(store, recipe.inputs[0]!);
    const chunk = this.storedChunk(source, index);
    if (chunk) {
      const release = leases.hold([source]);
      try {
        const out = this.spareChunks.pop();
        const mapped = await this.run(addr, recipe, () => pool.mapChunk({ ...task, input: chunk.toString('hex'), out }));
        if (mapped.result) return { bytes: mapped.result, cost: mapped.ms };
      } finally {
        release();
      }
    }
    const input = new Uint8Array(Math.min(cs, size - index * cs)); // owned whole: transferable
    await this.parts.inputs.readInto(source, index * cs, input);
    const mapped = await this.run(addr, recipe, () => pool.mapChunk({ ...task, input, out: this.spareChunks.pop() }));
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
      this.parts.failures.record(addr, wrapped);
      throw wrapped;
    }
  }

  /**
   * Hashes (off the JS thread) and stores a computed chunk with its partial entry; promotes the
   * output once all are stored. The reader that asked for the chunk does not wait for this.
   */
  private async storeChunk(addr: CAddr, recipe: Recipe, index: number, bytes: Uint8Array, size: number, cost: number, mark: number): Promise<void> {
    const { store } = this.parts;
    this.storing.set(addr.hex, (this.storing.get(addr.hex) ?? 0) + 1);
    try {
      await store.putPartialChunk(addr, index, await hashAsync(bytes), bytes, cost, mark);
    } catch (err) {
      this.parts.failures.record(addr, err);
      throw err;
    } finally {
      const left = this.storing.get(addr.hex)! - 1;
      if (left > 0) this.storing.set(addr.hex, left);
      else this.storing.delete(addr.hex);
    }
    if (store.partials.count(addr) === Math.ceil(size / store.chunkSize)) await this.promote(addr, recipe, size);
  }

  /** Records an output whose chunks are all computed as one value (once). */
  private promote(addr: CAddr, recipe: Recipe, size: number): Promise<void> {
    return this.promotions.run(addr.hex, async () => {
      const { store, pool } = this.parts;
      const started = performance.now();
      const { mark } = this.parts.gate.ticket();
      const n = Math.ceil(size / store.chunkSize);
      const found = Array.from({ length: n }, (_, i) => store.partials.get(addr, i));
      if (found.some((c) => c === undefined)) return; // invalidated since: nothing to promote
      const chunks = found.map((c) => c!.toString('hex'));
      // Recorded as value and action in one transaction, unless the mark moved (then nothing
      // is recorded: see invalidation-gate.ts).
      await pool.assemble({ storeDir: store.dir, verifyReads: store.verifyReads, recipe: addr.hex, mark, chunks, size });
      const fn = formatFunctionId(recipe.fn);
      this.parts.observer.onMaterialized({ addr: addr.hex, fn, kind: 'promotion', seconds: (performance.now() - started) / 1000, bytes: size });
    });
  }

  /** The address of chunk `index` of `addr`'s value, if stored (whole or as a partial output). */
  private storedChunk(addr: CAddr, index: number): Buffer | undefined {
    return this.parts.store.partials.get(addr, index) ?? this.parts.lookup.stored(addr)?.chunks[index];
  }
}
