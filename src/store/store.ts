/**
 * The embedded store: one LMDB environment holding chunks, value manifests, the set of leaves,
 * recipes with their DAG edges, the action cache, and refs (refs.ts). Reads are synchronous (LMDB is a memory
 * map); writes are asynchronous, batched by lmdb-js, and a write is reported done only once it
 * is flushed to disk. The same path may be opened from worker threads: lmdb-js shares the one
 * environment across threads of a process.
 */
import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import { LRUCache } from 'lru-cache';
import { recipeAddressOfDcf } from '../core/address.js';
import { CAddr } from '../core/caddr.js';
import { CorruptChunkError, IntegrityError, StoreError } from '../core/errors.js';
import { isRefInput, type RecipeInput } from '../core/recipe.js';
import { hash, releaseMappedPages } from '../native/index.js';
import { FunctionMarks, type NonDeterminism } from './function-marks.js';
import { decodeManifest, encodeManifest, type Manifest } from './manifest.js';
import { PartialChunks } from './partials.js';
import { Quarantine, type QuarantineEntry } from './quarantine.js';
import { RefTables, type RefBinding } from './refs.js';

/** Default chunk size of a new store; an existing store keeps the size it was created with. */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

export interface StoreOptions {
  /** Chunk size for a store created now (ignored when the store exists). Power of two. */
  readonly chunkSize?: number;
  /** Check every chunk and recipe read from LMDB against its address (default true). */
  readonly verifyReads?: boolean;
}

/** What the action cache remembers about a materialized recipe. */
export interface ActionEntry {
  /** Content address (plain BLAKE3) of the output value. */
  readonly content: CAddr;
  readonly size: number;
  /** Wall-clock milliseconds the computation took. */
  readonly cost: number;
  /** Milliseconds since the epoch of the last read. */
  readonly lastAccess: number;
}

type BinaryDb = Database<Buffer, Buffer>;

/**
 * Decoded manifests kept in memory: a range read of a large value would otherwise decode its
 * whole chunk list on every call. A manifest is keyed by its value's content address, so a
 * cached one can never be stale while the value exists.
 */
const MANIFEST_CACHE_ENTRIES = 4096;

/**
 * Recently read chunks kept for range reads. A reader through the mount asks for 128 KiB at a
 * time and lmdb-js copies a whole value on every get, so without this each 1 MiB chunk would
 * be copied eight times over for one pass. Chunks are content-addressed: a cached chunk is
 * never stale. Evicted chunk buffers are reused rather than left to the garbage collector.
 */
const READ_CACHE_CHUNKS = 32;

/**
 * LMDB reads through a shared memory map of the data file, so every page read stays counted in
 * the process's resident set, although it is page cache the kernel keeps either way: reading a
 * 2 GiB value would show 2 GiB resident. After this many bytes read out of the map, the
 * process's mapped pages are released (they stay cached and map in again on the next access),
 * which keeps the resident set a measure of what the daemon itself holds.
 */
const RELEASE_MAPPED_EVERY = 64 * 1024 * 1024;
/** Bytes this thread read out of the map since it last released mapped pages. */
let mappedReadBytes = 0;

/** A chunk's bytes in a reusable, chunk-sized buffer. */
interface CachedChunk {
  readonly buffer: Buffer;
  readonly length: number;
}

export class Store {
  readonly chunkSize: number;
  /**
   * Whether reads check bytes against their address. A chunk is hashed once, when it enters
   * memory from LMDB (the read cache holds only verified chunks); a recipe on every read (it
   * is small). Settable, so a pool worker's store follows the daemon's setting per task.
   */
  verifyReads: boolean;
  /** Corrupt chunks and recipes, moved out of the live tables. */
  readonly quarantine: Quarantine;
  /** Functions verification mode caught giving different outputs for the same recipe. */
  readonly functionMarks: FunctionMarks;
  private readonly chunks: BinaryDb;
  private readonly values: BinaryDb;
  private readonly leaves: Database<number, Buffer>;
  private readonly recipes: BinaryDb;
  private readonly deps: BinaryDb;
  private readonly rdeps: BinaryDb;
  private readonly actions: Database<StoredAction, Buffer>;
  /** Chunks of outputs computed one at a time by range reads. */
  readonly partials: PartialChunks;
  /** Named, rebindable pointers; bind them with {@link bindRef}. */
  readonly refs: RefTables;
  private readonly manifests = new LRUCache<string, Manifest>({ max: MANIFEST_CACHE_ENTRIES });
  private readonly spareBuffers: Buffer[] = [];
  private readonly readCache = new LRUCache<string, CachedChunk>({
    max: READ_CACHE_CHUNKS,
    dispose: (chunk) => this.spareBuffers.push(chunk.buffer),
  });

  private constructor(
    readonly dir: string,
    private readonly env: RootDatabase,
    /** The LMDB data file, as the kernel names it in /proc/self/maps. */
    private readonly dataFile: string,
    options: StoreOptions,
  ) {
    const binary = { encoding: 'binary', keyEncoding: 'binary' } as const;
    this.chunks = env.openDB({ name: 'chunks', ...binary });
    this.values = env.openDB({ name: 'values', ...binary });
    this.leaves = env.openDB({ name: 'leaves', keyEncoding: 'binary' });
    this.recipes = env.openDB({ name: 'recipes', ...binary });
    this.deps = env.openDB({ name: 'deps', ...binary, dupSort: true });
    this.rdeps = env.openDB({ name: 'rdeps', ...binary, dupSort: true });
    this.actions = env.openDB({ name: 'actions', keyEncoding: 'binary' });
    this.partials = new PartialChunks(env.openDB({ name: 'partials', ...binary }));
    this.refs = new RefTables(env);
    const quarantined = env.openDB<QuarantineEntry, Buffer>({ name: 'quarantine', keyEncoding: 'binary' });
    this.quarantine = new Quarantine(quarantined, {
      env, chunks: this.chunks, recipes: this.recipes, deps: this.deps, rdeps: this.rdeps, actions: this.actions, partials: this.partials,
      refs: this.refs,
    });
    this.functionMarks = new FunctionMarks(env.openDB<NonDeterminism, string>({ name: 'nondeterministic' }));
    this.verifyReads = options.verifyReads ?? true;
    this.chunkSize = this.initMeta(options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  }

  /** Opens (creating if needed) the store in directory `dir`. */
  static open(dir: string, options: StoreOptions = {}): Store {
    try {
      mkdirSync(dir, { recursive: true });
      const path = join(dir, 'deriva.mdb');
      const env = open({ path, maxDbs: 32, compression: false });
      return new Store(dir, env, realpathSync(path), options);
    } catch (err) {
      throw new StoreError(`cannot open store at ${dir}: ${(err as Error).message}`, { cause: err });
    }
  }

  private initMeta(requested: number): number {
    const meta = this.env.openDB<number, string>({ name: 'meta' });
    const existing = meta.get('chunkSize');
    if (existing !== undefined) return existing;
    if (!Number.isInteger(Math.log2(requested)) || requested < 4096 || requested > 64 * 1024 * 1024) {
      throw new StoreError(`chunk size must be a power of two from 4 KiB to 64 MiB, got ${requested}`);
    }
    meta.transactionSync(() => {
      meta.putSync('chunkSize', requested);
      meta.putSync('format', 1);
    });
    return requested;
  }

  // --- chunks and values -------------------------------------------------------------------

  hasChunk(addr: Buffer): boolean {
    return this.chunks.doesExist(addr);
  }

  /** Queues a chunk write; resolves once committed (not yet flushed). */
  putChunk(addr: Buffer, bytes: Uint8Array): Promise<boolean> {
    return this.chunks.put(addr, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  /**
   * A copy of the chunk's bytes, verified. Throws if the chunk is missing (a manifest names
   * it), and a {@link CorruptChunkError} if it is corrupt or was quarantined.
   */
  getChunk(addr: Buffer): Buffer {
    const bytes = this.chunks.getBinary(addr);
    if (bytes === undefined) throw this.missingChunk(addr);
    this.readFromMap(bytes.length);
    this.checkChunk(addr, bytes);
    return bytes;
  }

  /** The bytes of a live chunk, unverified (for scrubbing, which verifies off the main thread). */
  rawChunk(addr: Buffer): Buffer | undefined {
    return this.chunks.getBinary(addr);
  }

  /** A recipe's stored bytes, unverified (for scrubbing). */
  rawRecipe(addr: Buffer): Buffer | undefined {
    return this.recipes.getBinary(addr);
  }

  /** Chunk addresses in order from `after` (exclusive), at most `limit`: a scrub's next slice. */
  chunkAddrs(after: Buffer | undefined, limit: number): Buffer[] {
    return keysAfter(this.chunks, after, limit);
  }

  /** Recipe addresses in order from `after` (exclusive), at most `limit`. */
  recipeAddrs(after: Buffer | undefined, limit: number): Buffer[] {
    return keysAfter(this.recipes, after, limit);
  }

  private checkChunk(addr: Buffer, bytes: Uint8Array): void {
    if (this.verifyReads && !hash(bytes).equals(addr)) throw new CorruptChunkError(addr.toString('hex'));
  }

  private missingChunk(addr: Buffer): Error {
    const hex = addr.toString('hex');
    if (this.quarantine.has('chunk', addr)) return new CorruptChunkError(hex, `chunk ${hex} is quarantined as corrupt`);
    return new StoreError(`chunk ${hex} is missing`);
  }

  /**
   * Moves a chunk whose bytes do not hash to its address into quarantine; durable on resolve.
   * True if it moved it (false: already gone, or intact after all).
   */
  async quarantineChunk(addr: Buffer): Promise<boolean> {
    const moved = await this.quarantine.moveChunk(addr);
    this.readCache.delete(addr.toString('latin1'));
    return moved;
  }

  /**
   * Moves a recipe whose DCF bytes do not hash to its address into quarantine, with its DAG
   * edges and any output recorded for it; durable on resolve. True if it moved it.
   */
  quarantineRecipe(addr: Buffer): Promise<boolean> {
    return this.quarantine.moveRecipe(addr);
  }

  /** Copies bytes [from, to) of a chunk into `target` at `at`, through the read cache. */
  copyFromChunk(addr: Buffer, target: Uint8Array, at: number, from: number, to: number): void {
    const key = addr.toString('latin1');
    let chunk = this.readCache.get(key);
    if (!chunk) {
      // lmdb-js's reusable buffer is only valid until the next read: copy it into our own.
      const view = this.chunks.getBinaryFast(addr);
      if (view === undefined) throw this.missingChunk(addr);
      this.checkChunk(addr, view.subarray(0, view.length));
      const buffer = this.spareBuffers.pop() ?? Buffer.allocUnsafeSlow(this.chunkSize);
      // Not view.copy: the reusable buffer's true typed-array length is its whole allocation.
      buffer.set(view.subarray(0, view.length));
      this.readFromMap(view.length);
      chunk = { buffer, length: view.length };
      this.readCache.set(key, chunk);
    }
    target.set(chunk.buffer.subarray(from, Math.min(to, chunk.length)), at);
  }

  /** Counts bytes copied out of the map, releasing mapped pages now and then (see above). */
  private readFromMap(bytes: number): void {
    mappedReadBytes += bytes;
    if (mappedReadBytes < RELEASE_MAPPED_EVERY) return;
    mappedReadBytes = 0;
    releaseMappedPages(this.dataFile);
  }

  getManifest(addr: CAddr): Manifest | undefined {
    const cached = this.manifests.get(addr.hex);
    if (cached) return cached;
    const raw = this.values.getBinaryFast(addr.bytes);
    if (raw === undefined) return undefined;
    const manifest = decodeManifest(raw, this.chunkSize);
    this.manifests.set(addr.hex, manifest);
    return manifest;
  }

  /** Records a value's manifest (and, for a leaf, its leaf mark) atomically; durable on resolve. */
  async putValue(addr: CAddr, manifest: Manifest, asLeaf: boolean): Promise<void> {
    await this.env.transaction(() => {
      this.values.put(addr.bytes, encodeManifest(manifest));
      if (asLeaf) this.leaves.put(addr.bytes, Date.now());
    });
    await this.env.flushed;
  }

  isLeaf(addr: CAddr): boolean {
    return this.leaves.doesExist(addr.bytes);
  }

  // --- recipes and the DAG -----------------------------------------------------------------

  /**
   * Stores a recipe with its DAG edges in one transaction; durable on resolve. An address
   * input gets a forward and a reverse edge; a ref input an entry in the ref's dependents.
   */
  async putRecipe(addr: CAddr, dcf: Uint8Array, inputs: readonly RecipeInput[]): Promise<void> {
    await this.env.transaction(() => {
      this.recipes.put(addr.bytes, Buffer.from(dcf));
      for (const input of inputs) {
        if (isRefInput(input)) {
          this.refs.addDependent(input.ref, addr);
        } else {
          this.deps.put(addr.bytes, input.bytes);
          this.rdeps.put(input.bytes, addr.bytes);
        }
      }
    });
    await this.env.flushed;
  }

  /** The recipe's DCF bytes, or undefined; an {@link IntegrityError} if they are corrupt. */
  getRecipe(addr: CAddr): Buffer | undefined {
    const dcf = this.recipes.getBinary(addr.bytes);
    if (dcf !== undefined && this.verifyReads && !recipeAddressOfDcf(dcf).equals(addr)) {
      throw new IntegrityError(`recipe ${addr.hex} is corrupt (its bytes do not hash to its address)`);
    }
    return dcf;
  }

  /**
   * One level of the reverse DAG: recipes that name `addr` as an input, and recipes that name
   * a ref currently bound to `addr` (they read it when materialized).
   */
  dependents(addr: CAddr): CAddr[] {
    const direct = [...this.rdeps.getValues(addr.bytes)].map((b) => CAddr.fromBytes(b));
    const viaRefs = this.refs.namesBoundTo(addr).flatMap((name) => this.refs.dependentsOf(name));
    return [...direct, ...viaRefs];
  }

  // --- refs --------------------------------------------------------------------------------

  /**
   * Binds ref `name` to `addr` and, in the same transaction, forgets the outputs `cascade`
   * picks. `cascade` runs inside the transaction before anything is written, so nothing can
   * slip in between, and if it throws (a refused binding) nothing is written at all. Durable
   * on resolve: after a crash either both happened or neither did.
   */
  async bindRef<T extends { readonly evict: readonly CAddr[] }>(
    name: string,
    addr: CAddr,
    time: number,
    cascade: () => T,
  ): Promise<T> {
    const result = await this.env.transaction(() => {
      const picked = cascade();
      this.refs.bind(name, addr, time);
      this.removeActionsNow(picked.evict);
      return picked;
    });
    await this.env.flushed;
    return result;
  }

  /**
   * Garbage-collection roots held by refs: every address a ref is bound to now. Addresses a ref
   * was bound to before (its history) are not roots: history records what was bound and when,
   * it does not keep old values alive, so `ref set` back to a collected value fails as NOT_FOUND.
   */
  refRoots(): CAddr[] {
    return this.refs.boundAddresses();
  }

  /** The current binding of every ref, by name. */
  listRefs(): RefBinding[] {
    return this.refs.list();
  }

  // --- action cache ------------------------------------------------------------------------

  getAction(addr: CAddr): ActionEntry | undefined {
    const raw = this.actions.get(addr.bytes);
    if (raw === undefined) return undefined;
    return { ...raw, content: CAddr.fromBytes(raw.content) };
  }

  async putAction(addr: CAddr, entry: ActionEntry): Promise<void> {
    await this.actions.put(addr.bytes, { ...entry, content: entry.content.bytes });
  }

  /** Stores one computed chunk of a recipe's output and its partial-output entry, atomically. */
  async putPartialChunk(recipe: CAddr, index: number, addr: Buffer, bytes: Uint8Array): Promise<void> {
    await this.env.transaction(() => {
      if (!this.chunks.doesExist(addr)) this.chunks.put(addr, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      void this.partials.put(recipe, index, addr);
    });
  }

  /** Forgets the partial outputs of these recipes; durable on resolve. */
  async dropPartials(addrs: readonly CAddr[]): Promise<void> {
    await this.env.transaction(() => this.partials.drop(addrs));
    await this.env.flushed;
  }

  /**
   * Forgets recipes' outputs, whole or partial (the chunks stay until garbage collection);
   * durable on resolve.
   */
  async removeActions(addrs: readonly CAddr[]): Promise<void> {
    await this.env.transaction(() => this.removeActionsNow(addrs));
    await this.env.flushed;
  }

  /** The body of {@link removeActions}, for use inside a transaction. */
  private removeActionsNow(addrs: readonly CAddr[]): void {
    for (const addr of addrs) this.actions.remove(addr.bytes);
    this.partials.drop(addrs);
  }

  // --- lookup ------------------------------------------------------------------------------

  /** Known leaves and recipes whose hex starts with `prefix` (at most `limit`). */
  findByPrefix(prefix: string, limit = 2): CAddr[] {
    const start = Buffer.from(prefix.length % 2 ? `${prefix}0` : prefix, 'hex');
    const found: CAddr[] = [];
    for (const db of [this.leaves, this.recipes] as const) {
      for (const key of db.getKeys({ start })) {
        const hex = key.toString('hex');
        if (!hex.startsWith(prefix) || found.length >= limit) break;
        found.push(CAddr.fromBytes(key));
      }
    }
    return found;
  }

  /** First bytes (as two hex digits) under which at least one leaf or recipe exists. */
  shards(): string[] {
    const found: string[] = [];
    const hasKey = (db: Database<unknown, Buffer>, start: Buffer, end: Buffer | undefined) => {
      for (const _ of db.getKeys({ start, end, limit: 1 })) return true;
      return false;
    };
    for (let b = 0; b < 256; b++) {
      const start = Buffer.from([b]);
      const end = b < 255 ? Buffer.from([b + 1]) : undefined;
      if (hasKey(this.leaves, start, end) || hasKey(this.recipes, start, end)) found.push(start.toString('hex'));
    }
    return found;
  }

  /** Every leaf and recipe whose address starts with byte `shard`, in address order. */
  inShard(shard: number): CAddr[] {
    const start = Buffer.from([shard]);
    const end = shard < 255 ? Buffer.from([shard + 1]) : undefined;
    const keys = [...this.leaves.getKeys({ start, end }), ...this.recipes.getKeys({ start, end })];
    return keys.sort(Buffer.compare).map((k) => CAddr.fromBytes(k));
  }

  /** Counts of what the store holds (cheap: LMDB keeps entry counts). */
  stats(): { leaves: number; recipes: number; values: number; chunks: number; actions: number; refs: number } {
    return {
      refs: this.refs.count(),
      leaves: entryCount(this.leaves),
      recipes: entryCount(this.recipes),
      values: entryCount(this.values),
      chunks: entryCount(this.chunks),
      actions: entryCount(this.actions),
    };
  }

  /**
   * Moves this thread's read snapshot to the latest commit. lmdb-js renews a thread's read
   * transaction only now and then; a thread about to read what another thread just committed
   * (a pool worker reading chunks the main thread stored, or the reverse) calls this first.
   */
  refresh(): void {
    this.env.resetReadTxn();
  }

  /** Waits for every queued write to be durable. */
  async flushed(): Promise<void> {
    await this.env.flushed;
  }

  async close(): Promise<void> {
    await this.env.close();
  }
}

interface StoredAction {
  content: Buffer;
  size: number;
  cost: number;
  lastAccess: number;
}

function keysAfter(db: BinaryDb, after: Buffer | undefined, limit: number): Buffer[] {
  const keys: Buffer[] = [];
  for (const key of db.getKeys({ start: after, limit: limit + 1 })) {
    if (after && key.equals(after)) continue;
    if (keys.length === limit) break;
    keys.push(key);
  }
  return keys;
}

function entryCount(db: Database<unknown, Buffer>): number {
  return (db.getStats() as { entryCount: number }).entryCount;
}
