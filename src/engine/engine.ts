/**
 * The engine: the one facade the api and fuse layers call. It owns the store, the function
 * registry, the worker pool, the executor, the cache budget and the garbage collector, and
 * offers put, recipe, stat, read, invalidate, refs, pin and gc. Nothing above this layer
 * touches LMDB or the pool directly.
 */
import { CAddr, resolvePrefix } from '../core/caddr.js';
import { recipeAddress } from '../core/address.js';
import { decodeRecipe, encodeRecipe } from '../core/dcf.js';
import { NotFoundError } from '../core/errors.js';
import type { FunctionId } from '../core/function-id.js';
import { isRefInput, type ParamValue, type Recipe, type RecipeInput } from '../core/recipe.js';
import { checkRefName } from '../core/ref-name.js';
import { allFunctions } from '../compute/builtins/index.js';
import type { ExecMode } from '../compute/exec-mode.js';
import type { Executor, ExecutorPolicy } from '../compute/executor.js';
import type { Materialized } from '../compute/outcome.js';
import type { ComputeFunction } from '../compute/function.js';
import { DEFAULT_FLOAT_POLICY, enforceFloatPolicy, type FloatPolicy } from '../compute/float-policy.js';
import type { FailureLog } from '../compute/failure-log.js';
import type { Integrity, IntegrityLogger } from '../compute/integrity.js';
import { Leases } from '../compute/leases.js';
import { ComputePool } from '../compute/pool.js';
import type { RangeReader } from '../compute/range-reader.js';
import { FunctionRegistry } from '../compute/registry.js';
import { DEFAULT_STREAM_IDLE_MS, type StreamRuns } from '../compute/streams.js';
import type { ValueLookup } from '../compute/value-lookup.js';
import { noopObserver, type EngineObserver } from '../metrics/observer.js';
import type { ChainNode } from '../proof/chain.js';
import type { NodeKey } from '../proof/node-key.js';
import type { NonDeterminism } from '../store/function-marks.js';
import type { AuditEntry, AuditQuery } from '../store/proof-log.js';
import type { RefBinding } from '../store/refs.js';
import { Store } from '../store/store.js';
import type { GcReport } from '../store/gc.js';
import { ValueWriter } from '../store/value-writer.js';
import { ChangeClock } from './change-clock.js';
import { DeferredQueue, walkCascade, type Cascade, type Clock, type CascadeSource, type Invalidation, type InvalidationPolicy } from './invalidation.js';
import { CacheBudget } from './cache-budget.js';
import { evictionPolicy, type PolicyName } from './cache-policy.js';
import { Collector, type GcOptions } from './collector.js';
import { proofChain } from './proof-chain.js';
import { canonicalRecipe } from './recipe-check.js';
import { bindWithCascade, type RefSet } from './ref-binding.js';
import { Scrubber, type ScrubOptions, type ScrubProgress, type ScrubReport } from './scrub.js';
import { Verifier } from './verify.js';
import { buildCompute } from './wiring.js';

export type { Invalidation, InvalidationPolicy } from './invalidation.js';
export type { RefBinding } from '../store/refs.js';
export type { RefSet } from './ref-binding.js';

export interface EngineOptions {
  /** Directory of the store (created if missing). */
  readonly storeDir: string;
  /** Chunk size for a new store (an existing one keeps its own). */
  readonly chunkSize?: number;
  /** Compute worker threads (default: one per core). */
  readonly threads?: number;
  /** A streaming computation paused with nobody reading is abandoned after this long. */
  readonly streamIdleMs?: number;
  /** Told about cache lookups, materializations, invalidations (default: nobody). */
  readonly observer?: EngineObserver;
  /** What `invalidate` does to cached dependents unless a call says otherwise (default immediate). */
  readonly invalidation?: InvalidationPolicy;
  /** Where failures of deferred invalidation batches are reported (default: stderr). */
  readonly onBackgroundError?: (err: unknown) => void;
  /** Timers of deferred invalidation batches (default: Node's); tests pass one they advance by hand. */
  readonly clock?: Clock;
  /** Whether float functions may be registered and computed (default `strict`: they may). */
  readonly floatPolicy?: FloatPolicy;
  /** Bytes cached outputs may hold on disk (default: unbounded). Leaves never count. */
  readonly cacheSize?: number;
  /** Which cached outputs go first when over budget (default gdsf). */
  readonly cachePolicy?: PolicyName;
  /** Check every chunk and recipe read against its address (default true). */
  readonly verifyReads?: boolean;
  /** Verification mode for every read: compute each recipe twice and compare (default false). */
  readonly verify?: boolean;
  /** Scrub the whole store every this many milliseconds, in the background (default: never). */
  readonly scrubIntervalMs?: number;
  /** Bytes per second the background scrubber reads at most (default: unlimited). */
  readonly scrubRate?: number;
  /** Where integrity events and background scrub failures are logged (a pino logger fits). */
  readonly logger?: IntegrityLogger;
  /** `parallel` (default) or `sequential`: see {@link ExecutorPolicy.mode}. */
  readonly execMode?: ExecMode;
  /** Test hook: see {@link ExecutorPolicy.beforeInput}. */
  readonly beforeInput?: (input: CAddr) => Promise<void>;
  /** Signs a proof of every output recorded (docs/proofs.md); without it none are recorded. */
  readonly nodeKey?: NodeKey;
}

/** Whether a put or a recipe becomes a GC root (default: it does). */
export interface PinOption {
  readonly pin?: boolean;
}

/** Per-read options. */
export interface ReadOptions {
  /** Verification mode for this read (always on when the engine was opened with `verify`). */
  readonly verify?: boolean;
}

/**
 * Where a value stands: stored, some chunks computed (chunkwise outputs read by range), being
 * computed by a streaming run (readable as it grows), not yet computed, or its last
 * computation failed.
 */
export type ValueState = 'materialized' | 'partial' | 'computing' | 'not-materialized' | 'failed';

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
  /**
   * What the computation of a materialized recipe output consumed, in recipe order: each
   * input's address, a ref input's binding at the time.
   */
  readonly consumed?: readonly CAddr[];
  readonly state: ValueState;
  /** Output chunks computed so far, when `state` is 'partial'. */
  readonly partial?: { readonly computed: number; readonly total: number };
  /** Output bytes produced so far, when `state` is 'computing'. */
  readonly produced?: number;
  /** Why the last computation failed, when `state` is 'failed'. */
  readonly error?: string;
}

/**
 * `state` as people read it: "partial 3/1024 chunks" for a partial output, "computing 5242880
 * bytes so far" for a streaming output being computed.
 */
export function describeState(info: AddressInfo): string {
  if (info.partial) return `partial ${info.partial.computed}/${info.partial.total} chunks`;
  if (info.produced !== undefined) return `computing ${info.produced} bytes so far`;
  return info.state;
}

/** Counters for `deriva status` and tests. */
export type EngineStatus = {
  /** Whole-output function runs, streaming runs included. */
  readonly computations: number;
  /** Streaming runs in progress. */
  readonly streaming: number;
  /** Output chunks computed alone for range reads, and the input bytes under them. */
  readonly chunksComputed: number;
  readonly bytesComputed: number;
  /** Compute tasks waiting for a worker. */
  readonly queued: number;
  readonly chunkSize: number;
  /** The cache budget in bytes (undefined: unbounded), its policy, outputs evicted since start. */
  readonly cacheBudget: number | undefined;
  readonly cachePolicy: string;
  readonly evictions: number;
  /** Corrupt chunks and recipes found since start (by reads or scrubs). */
  readonly integrityEvents: number;
  /** Objects in quarantine. */
  readonly quarantined: number;
  /** How inputs are materialized (see {@link ExecutorPolicy.mode}). */
  readonly execMode: ExecMode;
  readonly scrub: ScrubProgress;
} & ReturnType<Store['stats']>;

const silentLog: IntegrityLogger = { warn() {}, error() {} };

/** What {@link Engine.open} builds an engine from. */
interface EngineParts {
  readonly store: Store;
  readonly pool: ComputePool;
  readonly options: EngineOptions;
}

export class Engine {
  readonly registry = new FunctionRegistry(allFunctions());
  /** Where the engine and the parts it builds report what they do (see src/metrics). */
  readonly observer: EngineObserver;
  /** The default invalidation policy. */
  readonly invalidationPolicy: InvalidationPolicy;
  readonly floatPolicy: FloatPolicy;
  private readonly store: Store;
  private readonly pool: ComputePool;
  private readonly options: EngineOptions;
  private readonly lookup: ValueLookup;
  private readonly integrity: Integrity;
  private readonly executor: Executor;
  private readonly failures: FailureLog;
  private readonly ranges: RangeReader;
  private readonly streams: StreamRuns;
  private readonly changes = new ChangeClock();
  private readonly deferred: DeferredQueue;
  private readonly cascadeSource: CascadeSource;
  private readonly leases = new Leases();
  private readonly cache: CacheBudget;
  private readonly collector: Collector;
  private readonly verifier: Verifier;
  private readonly scrubber: Scrubber;
  private closing: Promise<void> | undefined;

  private constructor({ store, pool, options }: EngineParts) {
    this.store = store;
    this.pool = pool;
    this.options = options;
    const observer = (this.observer = options.observer ?? noopObserver);
    this.invalidationPolicy = options.invalidation ?? 'immediate';
    this.floatPolicy = options.floatPolicy ?? DEFAULT_FLOAT_POLICY;
    const onBackgroundError = options.onBackgroundError ?? ((err: unknown) => process.stderr.write(`deriva: deferred invalidation failed: ${String(err)}\n`));
    this.cache = new CacheBudget(store, this.leases, options.cacheSize, evictionPolicy(options.cachePolicy ?? 'gdsf'), observer);
    const log = options.logger ?? silentLog;
    const compute = buildCompute({
      store, pool, registry: this.registry, leases: this.leases, observer, log, cache: this.cache,
      floatPolicy: this.floatPolicy,
      streamIdleMs: options.streamIdleMs ?? DEFAULT_STREAM_IDLE_MS,
      execMode: options.execMode,
      beforeInput: options.beforeInput,
    });
    this.lookup = compute.lookup;
    this.integrity = compute.integrity;
    this.failures = compute.failures;
    this.streams = compute.streams;
    this.executor = compute.executor;
    this.ranges = compute.ranges;
    const { ranges, failures } = compute;
    this.collector = new Collector(store, this.leases, (addrs) => {
      ranges.forgetDeleted(addrs.map((a) => a.hex));
      failures.forget(addrs);
    });
    this.deferred = new DeferredQueue((addrs) => this.evict(addrs), onBackgroundError, options.clock);
    this.cascadeSource = {
      dependents: (a) => this.store.dependents(a),
      isCached: (a) => this.store.getAction(a) !== undefined || this.store.partials.count(a) > 0,
    };
    this.verifier = new Verifier(store, this.registry, compute.executor, failures);
    this.scrubber = new Scrubber(store, compute.integrity, log);
    if (options.scrubIntervalMs !== undefined) this.scrubber.startBackground(options.scrubIntervalMs, options.scrubRate);
  }

  static open(options: EngineOptions): Engine {
    const store = Store.open(options.storeDir, { chunkSize: options.chunkSize, verifyReads: options.verifyReads, signer: options.nodeKey });
    const pool = new ComputePool({ threads: options.threads, nodeKey: options.nodeKey?.privateKey, onCommitted: () => store.refresh() });
    return new Engine({ store, pool, options });
  }

  get chunkSize(): number {
    return this.store.chunkSize;
  }

  /**
   * Stores bytes (in memory, or streamed in any number of pieces) as a leaf, pinned unless
   * asked not to; durable on resolve. A failed or interrupted put leaves nothing behind.
   */
  put(source: Uint8Array | AsyncIterable<Uint8Array>, options: PinOption = {}): Promise<CAddr> {
    return this.leases.writing(async () => {
      const writer = new ValueWriter(this.store, 'leaf');
      try {
        if (source instanceof Uint8Array) await writer.write(source);
        else for await (const piece of source) await writer.write(piece);
        const { addr, manifest } = await writer.finish();
        this.collector.noteCreated(addr);
        await this.store.putValue(addr, manifest, 'leaf', 'held', options.pin ?? true);
        return addr;
      } catch (err) {
        await writer.abort().catch(() => {});
        throw err;
      }
    });
  }

  /**
   * Validates and registers a recipe, pinned unless asked not to; durable on resolve. Address
   * inputs must already be known, and ref inputs bound. A float function under the float
   * policy `disabled` is refused.
   */
  async putRecipe(
    fn: FunctionId, inputs: readonly RecipeInput[], params: ReadonlyMap<string, ParamValue>, options: PinOption = {},
  ): Promise<CAddr> {
    enforceFloatPolicy(this.floatPolicy, this.registry.get(fn), 'register');
    const recipe = canonicalRecipe(this.registry, fn, inputs, params);
    for (const input of inputs) {
      if (isRefInput(input)) {
        if (!this.store.refs.get(checkRefName(input.ref))) throw new NotFoundError(`input ref ${input.ref} is not bound (deriva ref set ${input.ref} ADDR)`);
      } else if (!this.isKnown(input)) {
        throw NotFoundError.address(input, 'recipe input');
      }
    }
    const addr = recipeAddress(recipe);
    const pin = options.pin ?? true;
    if (!this.store.getRecipe(addr) || (pin && !this.store.pins.has(addr))) {
      this.collector.noteCreated(addr);
      await this.store.putRecipe(addr, encodeRecipe(recipe), inputs, pin);
    }
    return addr;
  }

  /** Makes a leaf or recipe a GC root; false if it already was. */
  pin(addr: CAddr): Promise<boolean> {
    return this.store.pins.set(addr, true);
  }

  /** Stops a leaf or recipe being a GC root; false if it was not one. */
  unpin(addr: CAddr): Promise<boolean> {
    if (!this.isKnown(addr) && !this.store.pins.has(addr)) throw NotFoundError.address(addr);
    return this.store.pins.set(addr, false);
  }

  /** Deletes what no root reaches (see collector.ts); reports what went (or would go). */
  gc(options: GcOptions = {}): Promise<GcReport> {
    return this.collector.run(options);
  }

  /** A full address or a unique prefix (>= 8 hex digits) of a known leaf or recipe. */
  resolveAddress(text: string): CAddr {
    return resolvePrefix(text, this.store.findByPrefix(text.toLowerCase()));
  }

  /** Kind, size and recipe of `addr`, computing nothing. */
  info(addr: CAddr): AddressInfo {
    const leaf = this.lookup.leaf(addr);
    if (leaf) return { addr, kind: 'leaf', size: leaf.size, state: 'materialized' };
    const dcf = this.lookup.recipe(addr);
    if (!dcf) throw NotFoundError.address(addr);
    const recipe = decodeRecipe(dcf);
    const out = this.lookup.output(addr);
    if (out) {
      const store = this.store;
      // Read when asked (stat), not on every FUSE lookup, which calls info() too.
      return { addr, kind: 'recipe', recipe, size: out.size, content: out.content, get consumed() { return store.getConsumed(addr); }, state: 'materialized' };
    }
    const base = { addr, kind: 'recipe', recipe, size: this.ranges.knownSize(addr) } as const;
    const produced = this.streams.progress(addr);
    if (produced !== undefined) return { ...base, state: 'computing', produced };
    const error = this.failures.last(addr);
    if (error !== undefined) return { ...base, state: 'failed', error };
    const partial = this.ranges.partial(addr);
    return partial ? { ...base, state: 'partial', partial } : { ...base, state: 'not-materialized' };
  }

  /**
   * Size of the value at `addr`. Known without computing for leaves and for chunkwise and
   * structural outputs; a streaming or whole output is computed to learn it.
   */
  size(addr: CAddr): Promise<number> {
    return this.ranges.size(addr);
  }

  /**
   * The size of `addr` if known, else an upper bound that is as cheap as possible: a streaming
   * output not yet computed reports its function's bound and computes nothing. The mount's
   * file size: the kernel then reads until the real end, where a short read sets it exact.
   */
  sizeBound(addr: CAddr): Promise<number> {
    return this.ranges.sizeBound(addr);
  }

  /**
   * Forgets the cached output of `addr` (if a recipe) and, by `policy` (default: the engine's),
   * of the recipes depending on it, transitively, through the persistent reverse DAG (see
   * invalidation.ts). The next read recomputes. Leaves stay.
   */
  async invalidate(addr: CAddr, policy = this.invalidationPolicy): Promise<Invalidation> {
    if (!this.isKnown(addr)) throw NotFoundError.address(addr);
    let walk!: Cascade;
    await this.evicting(async () => {
      // Walked once chunks being stored have settled, so they count (and go) too.
      walk = walkCascade(this.cascadeSource, [addr], policy === 'none' ? 0 : Infinity);
      const now = policy === 'deferred' ? [addr] : walk.visited;
      await this.store.removeActions(now);
      return { visited: now };
    });
    const pending = policy === 'deferred' ? walk.visited.slice(1) : [];
    this.deferred.add(pending);
    this.observer.onInvalidation(walk.cached.length);
    return { evicted: walk.cached.length, depth: walk.depth, policy, pending: pending.length };
  }

  /** Processes queued deferred invalidations now (tests, shutdown). */
  flushDeferred(): Promise<void> {
    return this.deferred.flush();
  }

  // --- refs ----------------------------------------------------------------------------------

  /**
   * Binds ref `name` to `addr` and, in the same transaction, forgets the cached output of every
   * recipe that reads the ref, transitively: the next read recomputes with the new binding.
   * Always immediate, whatever the invalidation policy, so no read after this returns sees
   * an output of the old binding.
   */
  async setRef(name: string, addr: CAddr): Promise<RefSet> {
    checkRefName(name);
    if (!this.isKnown(addr)) throw NotFoundError.address(addr, `cannot bind ref ${name}`);
    const previous = this.store.refs.get(name);
    const time = Date.now();
    const walk = await this.evicting(() => bindWithCascade(this.store, this.cascadeSource, name, addr, time));
    const evicted = walk.cached.length;
    this.observer.onInvalidation(evicted);
    return { binding: { name, addr, time }, previous, evicted, depth: evicted > 0 ? walk.depth + 1 : 0 };
  }

  /** The current binding of ref `name`; NOT_FOUND when it was never set. */
  getRef(name: string): RefBinding {
    const binding = this.store.refs.get(checkRefName(name));
    if (!binding) throw new NotFoundError(`no ref is named ${name}`);
    return binding;
  }

  /** Every ref with its current binding, by name. */
  listRefs(): RefBinding[] {
    return this.store.listRefs();
  }

  /** Every binding ref `name` has had, oldest first; NOT_FOUND when it was never set. */
  refHistory(name: string): RefBinding[] {
    const history = this.store.refs.historyOf(checkRefName(name));
    if (history.length === 0) throw new NotFoundError(`no ref is named ${name}`);
    return history;
  }

  /** When the value at `addr` last changed (ms since the epoch; 0 if never): the mount's mtime. */
  changedAt(addr: CAddr): number {
    return this.changes.changedAt(addr);
  }

  /** Two-hex-digit shards holding at least one leaf or recipe (the mount's top directory). */
  shards(): string[] {
    return this.store.shards();
  }

  /** Leaves and recipes in shard `hex2`, in address order. */
  inShard(hex2: string): CAddr[] {
    return /^[0-9a-f]{2}$/.test(hex2) ? this.store.inShard(parseInt(hex2, 16)) : [];
  }

  /** The stored value behind `addr`, computing a recipe's output (and its inputs') if needed. */
  async materialize(addr: CAddr, options: ReadOptions = {}): Promise<Materialized> {
    await this.verified(addr, options);
    const done = await this.executor.resolve(addr);
    await this.cache.enforce();
    return done;
  }

  /**
   * Runs verification mode over `addr` when asked for (or on for every read): each recipe
   * below it computed twice and compared; a {@link NonDeterministicError} if they differ.
   */
  private async verified(addr: CAddr, options: ReadOptions = {}): Promise<void> {
    if (options.verify || this.options.verify) await this.verifier.verify(addr);
  }

  /** Bytes [offset, offset+length) of the value at `addr` (clamped to its end). */
  async read(addr: CAddr, offset = 0, length = Number.MAX_SAFE_INTEGER, options: ReadOptions = {}): Promise<Buffer> {
    const pieces: Buffer[] = [];
    for await (const piece of this.stream(addr, offset, length, options)) pieces.push(piece);
    return Buffer.concat(pieces);
  }

  /**
   * Fills `target` with the bytes of the value at `addr` from `offset` on (computing it if
   * needed); returns the count, short at the end of the value. The mount's read path: the
   * bytes go straight into the kernel's buffer.
   */
  async readInto(addr: CAddr, offset: number, target: Uint8Array): Promise<number> {
    // Not through verified(): without verification the read starts in this same turn.
    if (this.options.verify) await this.verifier.verify(addr);
    const n = await this.ranges.readInto(addr, offset, target);
    // A read that computed something may have pushed the cache over its budget.
    await this.cache.enforce();
    return n;
  }

  /**
   * The value at `addr` as a sequence of chunk-sized pieces, for streaming to a client. A
   * streaming output yields its first pieces while the rest is still being computed.
   */
  async *stream(addr: CAddr, offset = 0, length = Number.MAX_SAFE_INTEGER, options: ReadOptions = {}): AsyncGenerator<Buffer> {
    await this.verified(addr, options);
    const end = Math.min(await this.sizeBound(addr), Math.max(0, offset) + Math.max(0, length));
    const cs = this.chunkSize;
    for (let at = Math.max(0, offset); at < end; at += cs - (at % cs)) {
      const piece = Buffer.allocUnsafe(Math.min(end - at, cs - (at % cs)));
      const n = await this.readInto(addr, at, piece);
      if (n > 0) yield n < piece.length ? piece.subarray(0, n) : piece;
      if (n < piece.length) return; // the end of the value
    }
  }

  /** The proof chain of `addr`; NOT_FOUND for a recipe whose output is not cached (see proof-chain.ts). */
  proof(addr: CAddr): Promise<ChainNode> {
    return proofChain(this.store, (a) => this.materialize(a), addr);
  }

  /** Audit log entries matching `query`, oldest first. */
  audit(query: AuditQuery): AuditEntry[] {
    this.store.refresh(); // see entries the workers just committed
    return this.store.proofs.audit(query);
  }

  /** Recipes that take `addr` as an input, directly or through a ref bound to it. */
  dependents(addr: CAddr): CAddr[] {
    return this.store.dependents(addr);
  }

  functions(): ComputeFunction[] {
    return this.registry.list();
  }

  /**
   * Settles once computed chunks still being stored are stored, streaming runs in progress have
   * ended, recipes found corrupt are quarantined, and the cache is back within its budget (a
   * read may return before what it computed is stored).
   */
  async settled(): Promise<void> {
    await this.streams.settled();
    await this.ranges.drained();
    await this.integrity.settled();
    await this.cache.enforce();
  }

  /** Functions verification mode found non-deterministic (persisted), by `name@version`. */
  nonDeterministic(): Map<string, NonDeterminism> {
    return this.store.functionMarks.all();
  }

  /** Checks every stored chunk and recipe now, quarantining what is corrupt. */
  scrub(options: ScrubOptions = {}): Promise<ScrubReport> {
    return this.scrubber.run(options);
  }

  /** Counters for status reporting and tests. */
  status(): EngineStatus {
    return {
      computations: this.executor.computed + this.streams.started,
      streaming: this.streams.active,
      ...this.ranges.counters,
      queued: this.pool.queued,
      chunkSize: this.chunkSize,
      cacheBudget: this.cache.budget,
      cachePolicy: this.cache.policy.name,
      evictions: this.cache.evictions,
      integrityEvents: this.integrity.events,
      quarantined: this.store.quarantine.count(),
      execMode: this.options.execMode ?? 'parallel',
      scrub: this.scrubber.progress(),
      ...this.store.stats(),
    };
  }

  /**
   * Stops scrubbing, finishes queued work (deferred invalidations too), stops the workers, closes
   * the store. A second call returns the first one's promise.
   */
  close(): Promise<void> {
    return (this.closing ??= this.shutDown());
  }

  private async shutDown(): Promise<void> {
    await this.scrubber.stop();
    await this.deferred.flush();
    await this.streams.close();
    await this.ranges.drained();
    await this.integrity.settled();
    await this.cache.close();
    await this.pool.close();
    await this.store.flushed();
    await this.store.close();
  }

  /** Forgets the cached outputs of `addrs` (a walk's visited addresses) now; durable on resolve. */
  private async evict(addrs: readonly CAddr[]): Promise<void> {
    await this.evicting(() => this.store.removeActions(addrs).then(() => ({ visited: addrs })));
  }

  /**
   * Runs `remove`, which forgets outputs in the store, so that nothing computed from the old
   * inputs survives it: while it runs, results of work under way are not stored (executor and
   * range reader check {@link Executor.canKeep}), chunks already being stored are waited for
   * (`remove` drops them too), and afterwards what was derived about the visited addresses
   * (sizes, layouts, failures, mtimes) is reset.
   */
  private async evicting<T extends Pick<Cascade, 'visited'>>(remove: () => Promise<T>): Promise<T> {
    let done: T;
    this.executor.beginInvalidation();
    try {
      await this.ranges.settled();
      done = await remove();
    } finally {
      this.executor.endInvalidation();
    }
    this.executor.forgetFailures(done.visited);
    this.ranges.forget(done.visited);
    this.streams.forget(done.visited);
    this.verifier.forget(done.visited);
    this.changes.touch(done.visited);
    return done;
  }

  private isKnown(addr: CAddr): boolean {
    return this.lookup.isKnown(addr);
  }
}
