/**
 * The embedded store: one LMDB environment holding chunks (reference-counted, chunk-refs.ts),
 * value manifests, the set of leaves, recipes with their DAG edges, pins, the action cache
 * with its statistics, refs (refs.ts), and proofs of cached outputs with the audit log
 * (proof-log.ts). Reads are synchronous (LMDB is a memory map; chunks come through the read
 * cache of chunk-cache.ts); writes are asynchronous, batched by lmdb-js, and a write is
 * reported done only once it is flushed to disk. The same path may be opened from worker
 * threads: lmdb-js shares the one environment across threads of a process.
 */
import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { open, type RootDatabase, type RootDatabaseOptionsWithPath } from 'lmdb';
import { CAddr } from '../core/caddr.js';
import { NotFoundError, StoreError } from '../core/errors.js';
import type { RecipeInput } from '../core/recipe.js';
import type { ProofSigner } from '../proof/node-key.js';
import { AddressIndex } from './address-index.js';
import { ChunkCache } from './chunk-cache.js';
import { adjustRefs, Deletions, refChunks, type RefKind } from './chunk-refs.js';
import { evictTx, flushReadsTx, type Evicted, type EvictionPolicy, type PendingReads } from './eviction.js';
import { FunctionMarks, type NonDeterminism } from './function-marks.js';
import { mark, sweepDryRun, sweepTx, type GcReport, type Marked } from './gc.js';
import { initFormat } from './format.js';
import type { Manifest } from './manifest.js';
import { ManifestCache } from './manifest-cache.js';
import { Outputs, type ActionEntry } from './outputs.js';
import { PartialChunks } from './partials.js';
import { Quarantine, type QuarantineEntry } from './quarantine.js';
import { RefTables } from './refs.js';
import { Pins } from './pins.js';
import { ProofLog } from './proof-log.js';
import { dependentsOf, putRecipeTx, readRecipe } from './recipes.js';
import { CACHED_BYTES, entryCount, openTables, type CacheStats, type Tables } from './tables.js';
import { putValueTx, type HeldRefs } from './value-ops.js';

/** Default chunk size of a new store; an existing store keeps the size it was created with. */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

export interface StoreOptions {
  /** Chunk size for a store created now (ignored when the store exists). Power of two. */
  readonly chunkSize?: number;
  /** Check every chunk and recipe read from LMDB against its address (default true). */
  readonly verifyReads?: boolean;
  /** Signs a proof of every output recorded (see proof-log.ts); none are recorded without. */
  readonly signer?: ProofSigner;
}

export type { ActionEntry } from './outputs.js';

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
  /** Told of each recipe a read found corrupt (the engine quarantines it). */
  onCorruptRecipe?: (addr: CAddr) => void;
  /** Functions verification mode caught giving different outputs for the same recipe. */
  readonly functionMarks: FunctionMarks;
  private readonly t: Tables;
  /** Chunks of outputs computed one at a time by range reads. */
  readonly partials: PartialChunks;
  /** Named, rebindable pointers; bind them with {@link bindRef}. */
  readonly refs: RefTables;
  /** Pinned leaves and recipes (GC roots). */
  readonly pins: Pins;
  /** Proofs of cached outputs, and the audit log of every output recorded. */
  readonly proofs: ProofLog;
  /** Leaves and recipes by prefix and by shard; chunk and recipe keys a slice at a time. */
  readonly addresses: AddressIndex;
  /** Decoded manifests of values read (manifest-cache.ts). */
  private readonly manifests: ManifestCache;
  /** The chunk read path: verification, the read cache, mapped-page release (chunk-cache.ts). */
  private readonly chunks: ChunkCache;
  /** Records and forgets recipes' outputs, guarded by the invalidation mark (outputs.ts). */
  private readonly outputs: Outputs;

  private constructor(
    readonly dir: string,
    private readonly env: RootDatabase,
    /** The LMDB data file, as the kernel names it in /proc/self/maps. */
    dataFile: string,
    options: StoreOptions,
  ) {
    this.t = openTables(env);
    this.partials = new PartialChunks(this.t.partials);
    this.pins = new Pins(this.t);
    this.refs = new RefTables(env);
    this.addresses = new AddressIndex(this.t);
    const quarantined = env.openDB<QuarantineEntry, Buffer>({ name: 'quarantine', keyEncoding: 'binary' });
    this.quarantine = new Quarantine(quarantined, this.t, this.refs);
    this.functionMarks = new FunctionMarks(env.openDB<NonDeterminism, string>({ name: 'nondeterministic' }));
    this.verifyReads = options.verifyReads ?? true;
    this.proofs = new ProofLog(this.t, options.signer);
    this.chunkSize = initFormat(this.t, options.chunkSize ?? DEFAULT_CHUNK_SIZE);
    this.outputs = new Outputs(this.t, this.refs, this.proofs, this.chunkSize);
    this.manifests = new ManifestCache(this.t.values, this.chunkSize);
    this.chunks = new ChunkCache(this.t.chunks, this.quarantine, dataFile, this.chunkSize, () => this.verifyReads);
  }

  /** Opens (creating if needed) the store in directory `dir`. */
  static open(dir: string, options: StoreOptions = {}): Store {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const path = join(dir, 'deriva.mdb');
      // Owner-only (it holds every stored byte): permissionsMode, missing from lmdb-js's typings.
      const env = open({ path, maxDbs: 32, compression: false, permissionsMode: 0o600 } as RootDatabaseOptionsWithPath);
      return new Store(dir, env, realpathSync(path), options);
    } catch (err) {
      throw new StoreError(`cannot open store at ${dir}: ${(err as Error).message}`, { cause: err });
    }
  }


  /**
   * Takes a writer's reference of `kind` on a chunk, storing its bytes unless it exists, for the
   * value's manifest ({@link putValue} 'held') or to give back ({@link releaseChunks}); resolves on
   * commit. `onCopied` runs in the transaction once LMDB copied `bytes` (reusable from then on).
   */
  refChunk(addr: Buffer, bytes: Uint8Array, kind: RefKind, onCopied?: () => void): Promise<void> {
    this.chunks.throughMap(bytes.length);
    return this.write((del) => {
      adjustRefs(this.t, addr, kind === 'leaf' ? 1 : 0, kind === 'cache' ? 1 : 0, del, bytes);
      onCopied?.();
    }).then(() => undefined);
  }

  /** Gives back a writer's references (a write abandoned half-way); durable on resolve. */
  releaseChunks(chunks: readonly Buffer[], kind: RefKind): Promise<void> {
    return this.writeDurably((del) => refChunks(this.t, chunks, kind, -1, del));
  }

  /** A verified copy of a chunk's bytes (see {@link ChunkCache.get}). */
  getChunk(addr: Buffer): Buffer {
    return this.chunks.get(addr);
  }

  /** Calls `use` with a chunk's verified bytes, valid only during the call (see {@link ChunkCache.use}). */
  useChunk<T>(addr: Buffer, use: (bytes: Uint8Array) => T): T {
    return this.chunks.use(addr, use);
  }

  /** Copies bytes [from, to) of a chunk into `target` at `at`, through the read cache. */
  copyFromChunk(addr: Buffer, target: Uint8Array, at: number, from: number, to: number): void {
    this.chunks.copy(addr, target, at, from, to);
  }

  /** Brings chunks into the read cache, verified off the JS thread (see {@link ChunkCache.load}). */
  loadChunks(addrs: readonly Buffer[]): Promise<void> {
    return this.chunks.load(addrs);
  }

  /** The bytes of a live chunk, unverified (for checks made off the main thread: scrubbing, repair). */
  rawChunk(addr: Buffer): Buffer | undefined {
    return this.t.chunks.getBinary(addr);
  }

  /** A recipe's stored bytes, unverified (for scrubbing). */
  rawRecipe(addr: Buffer): Buffer | undefined {
    return this.t.recipes.getBinary(addr);
  }

  /**
   * Moves a chunk whose bytes do not hash to its address into quarantine; durable on resolve.
   * True if it moved it (false: already gone, or intact after all).
   */
  async quarantineChunk(addr: Buffer): Promise<boolean> {
    const moved = await this.writeDurably(() => this.quarantine.moveChunkTx(addr));
    this.chunks.forget([addr]);
    return moved;
  }

  /**
   * Moves a recipe whose DCF bytes do not hash to its address into quarantine, with its DAG
   * edges and any output recorded for it; durable on resolve. True if it moved it.
   */
  quarantineRecipe(addr: Buffer): Promise<boolean> {
    return this.writeDurably((del) => this.quarantine.moveRecipeTx(addr, del, this.chunkSize));
  }

  /** The manifest of the value at `addr` (a leaf or a cached output), or undefined. */
  getManifest(addr: CAddr): Manifest | undefined {
    return this.manifests.get(addr);
  }

  /**
   * Records a value's manifest (a leaf, pinned if asked, or a cache value) atomically; `refs`
   * says whether its writer holds the chunk references already. Durable on resolve.
   */
  putValue(addr: CAddr, manifest: Manifest, kind: RefKind, refs: HeldRefs, pin = false): Promise<void> {
    return this.writeDurably((del) => {
      putValueTx(this.t, addr, manifest, kind, refs, del);
      if (pin) void this.t.pins.put(addr.bytes, Date.now());
    });
  }

  /** The invalidation mark, to take before reading a computation's inputs (see outputs.ts). */
  invalidationMark(): number {
    return this.outputs.mark();
  }

  /**
   * Records a computed output value (references held by its writer) and, unless the mark moved
   * since `mark`, its action and proof, atomically; resolves whether the action was recorded.
   */
  putOutput(recipe: CAddr, addr: CAddr, manifest: Manifest, cost: number, mark?: number): Promise<boolean> {
    return this.writeDurably((del) => this.outputs.putOutputTx(recipe, addr, manifest, cost, mark, del));
  }

  /**
   * Records a chunkwise output whose chunks are all partial entries as one value and action,
   * dropping the partial entries, atomically; nothing if the mark moved since `mark`.
   */
  promotePartials(recipe: CAddr, addr: CAddr, manifest: Manifest, mark?: number): Promise<void> {
    return this.writeDurably((del) => this.outputs.promotePartialsTx(recipe, addr, manifest, mark, del));
  }

  isLeaf(addr: CAddr): boolean {
    return this.t.leaves.doesExist(addr.bytes);
  }

  // --- recipes and the DAG -----------------------------------------------------------------

  /**
   * Stores a recipe with its DAG edges (and its pin, if asked) in one transaction (recipes.ts);
   * durable on resolve. A NotFoundError if an address input is neither a leaf nor a recipe.
   */
  async putRecipe(addr: CAddr, dcf: Uint8Array, inputs: readonly RecipeInput[], pin = false): Promise<void> {
    const missing = await this.env.transaction(() => putRecipeTx(this.t, this.refs, addr, dcf, inputs, pin));
    if (missing) throw NotFoundError.address(missing, 'recipe input');
    await this.env.flushed;
  }

  /**
   * The recipe's DCF bytes, or undefined; a CorruptRecipeError (reported to
   * {@link onCorruptRecipe} first) if `verify` (default: `verifyReads`) finds them corrupt.
   */
  getRecipe(addr: CAddr, verify = this.verifyReads): Buffer | undefined {
    return readRecipe(this.t, addr, verify, this.onCorruptRecipe);
  }

  /** One level of the reverse DAG: recipes naming `addr` or a ref bound to it (recipes.ts). */
  dependents(addr: CAddr): CAddr[] {
    return dependentsOf(this.t, this.refs, addr);
  }


  /**
   * Binds ref `name` to `addr` and, in the same transaction, forgets the outputs `cascade`
   * picks. `cascade` runs inside the transaction before anything is written, so nothing can
   * slip in between, and if it throws (a refused binding) nothing is written at all. Durable
   * on resolve: after a crash either both happened or neither did.
   */
  bindRef<T extends { readonly evict: readonly CAddr[] }>(name: string, addr: CAddr, time: number, cascade: () => T): Promise<T> {
    return this.writeDurably((del) => {
      // The bound address must still exist (garbage collection may have swept it meanwhile).
      if (!this.t.leaves.doesExist(addr.bytes) && !this.t.recipes.doesExist(addr.bytes)) {
        throw NotFoundError.address(addr, `cannot bind ref ${name}`);
      }
      const result = cascade();
      this.refs.bind(name, addr, time);
      this.outputs.removeActionsTx(result.evict, del);
      return result;
    });
  }


  /** The output recorded for recipe `addr`, or undefined. */
  getAction(addr: CAddr): ActionEntry | undefined {
    return this.outputs.action(addr);
  }

  /**
   * What the computation of `recipe`'s recorded output consumed, in recipe order: each input's
   * address, a ref input's binding at the time (empty for outputs recorded before this was
   * kept); undefined without a recorded output.
   */
  getConsumed(recipe: CAddr): CAddr[] | undefined {
    return this.outputs.consumed(recipe);
  }

  /**
   * Stores one computed chunk of a recipe's output and its partial-output entry, atomically;
   * nothing if the invalidation mark moved since `mark` (see {@link putOutput}).
   */
  async putPartialChunk(recipe: CAddr, index: number, addr: Buffer, bytes: Uint8Array, cost: number, mark?: number): Promise<void> {
    await this.write((del) => this.outputs.putPartialChunkTx(recipe, index, addr, bytes, cost, mark, del));
  }

  /** Forgets recipes' outputs, whole or partial, freeing what only they held; durable on resolve. */
  removeActions(addrs: readonly CAddr[]): Promise<void> {
    return this.writeDurably((del) => this.outputs.removeActionsTx(addrs, del));
  }

  /** The persisted cache statistics of a recipe (kept after its output is evicted). */
  cacheStats(addr: CAddr): CacheStats | undefined {
    return this.t.stats.get(addr.bytes);
  }

  /** Bytes on disk held only by cache (outputs and partial outputs): a persistent counter. */
  cachedBytes(): number {
    return this.t.meta.get(CACHED_BYTES) ?? 0;
  }

  /** Applies batched read statistics (one transaction for many reads). */
  async flushReads(pending: PendingReads): Promise<void> {
    await this.write(() => flushReadsTx(this.t, pending));
  }

  /**
   * Evicts cached outputs, lowest `policy` score first, until cached bytes are within `budget`;
   * recipes in `busy` (being read or computed) are left alone. Durable on resolve.
   */
  async evict(budget: number, policy: EvictionPolicy, busy: ReadonlySet<string>): Promise<{ evicted: Evicted[]; bytes: number }> {
    let evicted: Evicted[] = [];
    const del = await this.write((d) => void (evicted = evictTx(this.t, this.chunkSize, budget, policy, busy, d)));
    await this.env.flushed;
    return { evicted, bytes: del.bytes };
  }


  /** The mark phase of a collection from `roots`, on the latest snapshot. */
  gcMark(roots: Iterable<Buffer>): Marked {
    this.refresh();
    return mark(this.t, this.refs, roots);
  }

  /**
   * The sweep phase (see gc.ts): one transaction, or with `dryRun` one that is rolled back, so
   * the report says what a real collection would delete.
   */
  async gcSweep(marked: Marked, extraRoots: Iterable<Buffer>, quiet: () => boolean, dryRun: boolean): Promise<GcReport & { addrs: Buffer[] }> {
    if (dryRun) return { ...sweepDryRun(this.t, this.refs, this.chunkSize, marked, extraRoots, quiet), addrs: [] };
    let report!: GcReport;
    const del = await this.write((d) => void (report = sweepTx(this.t, this.refs, this.chunkSize, marked, extraRoots, quiet, d)));
    await this.env.flushed;
    return { ...report, addrs: del.addrs };
  }

  /**
   * Runs `body` in a write transaction and, once committed, forgets whatever it deleted from
   * the in-memory caches (after the commit: a read in between could otherwise re-cache it).
   */
  private async write(body: (del: Deletions) => void): Promise<Deletions> {
    const del = new Deletions();
    await this.env.transaction(() => body(del));
    if (del.values.length + del.chunkAddrs.length > 0) {
      this.refresh();
      this.manifests.forget(del.values);
      this.chunks.forget(del.chunkAddrs);
    }
    return del;
  }

  /** {@link write}, then waits until it is durable; resolves what `body` returned. */
  private async writeDurably<T>(body: (del: Deletions) => T): Promise<T> {
    let result!: T;
    await this.write((del) => void (result = body(del)));
    await this.env.flushed;
    return result;
  }

  /** Counts of what the store holds (cheap: LMDB keeps entry counts). */
  stats(): { leaves: number; recipes: number; values: number; chunks: number; actions: number; refs: number; pins: number; cachedBytes: number } {
    return {
      refs: this.refs.count(),
      leaves: entryCount(this.t.leaves),
      recipes: entryCount(this.t.recipes),
      values: entryCount(this.t.values),
      chunks: entryCount(this.t.chunks),
      actions: entryCount(this.t.actions),
      pins: entryCount(this.t.pins),
      cachedBytes: this.cachedBytes(),
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
