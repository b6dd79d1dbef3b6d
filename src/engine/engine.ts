/**
 * The engine: the one facade the api and fuse layers call. It owns the store, the function
 * registry, the worker pool, the executor, the cache budget and the garbage collector, and
 * offers put, recipe, stat, read, invalidate, refs, pin and gc. Nothing above this layer
 * touches LMDB or the pool directly.
 */
import { CAddr, resolvePrefix } from '../core/caddr.js';
import { recipeAddress } from '../core/address.js';
import { encodeRecipe } from '../core/dcf.js';
import { NotFoundError } from '../core/errors.js';
import type { FunctionId } from '../core/function-id.js';
import type { ParamValue, RecipeInput } from '../core/recipe.js';
import { allFunctions } from '../compute/builtins/index.js';
import type { Executor } from '../compute/executor.js';
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
import type { NonDeterminism } from '../store/function-marks.js';
import type { AuditEntry, AuditQuery } from '../store/proof-log.js';
import type { RefBinding } from '../store/refs.js';
import { Store } from '../store/store.js';
import type { GcReport } from '../store/gc.js';
import { ValueWriter } from '../store/value-writer.js';
import { addressInfo, type AddressInfo } from './address-info.js';
import { CacheBudget } from './cache-budget.js';
import { evictionPolicy } from './cache-policy.js';
import { ChangeClock } from './change-clock.js';
import { Collector, type GcOptions } from './collector.js';
import type { EngineOptions, PinOption, ReadOptions } from './engine-options.js';
import type { EngineStatus } from './engine-status.js';
import type { Invalidation, InvalidationPolicy } from './invalidation.js';
import { Invalidator } from './invalidator.js';
import { proofChain } from './proof-chain.js';
import { canonicalRecipe, checkInputsExist } from './recipe-check.js';
import type { RefSet } from './ref-binding.js';
import { Scrubber, type ScrubOptions, type ScrubReport } from './scrub.js';
import { Verifier } from './verify.js';
import { buildCompute } from './wiring.js';

export type { Invalidation, InvalidationPolicy } from './invalidation.js';
export type { RefBinding } from '../store/refs.js';
export type { RefSet } from './ref-binding.js';
export type { AddressInfo, ValueState } from './address-info.js';
export type { EngineOptions, PinOption, ReadOptions } from './engine-options.js';
export type { EngineStatus } from './engine-status.js';

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
  private readonly invalidator: Invalidator;
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
    this.verifier = new Verifier(store, this.registry, compute.executor, failures);
    this.invalidator = new Invalidator({ store, lookup: compute.lookup, gate: compute.gate, failures, ranges: this.ranges, streams: this.streams, verifier: this.verifier, changes: this.changes, observer }, onBackgroundError, options.clock);
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
  async putRecipe(fn: FunctionId, inputs: readonly RecipeInput[], params: ReadonlyMap<string, ParamValue>, options: PinOption = {}): Promise<CAddr> {
    enforceFloatPolicy(this.floatPolicy, this.registry.get(fn), 'register');
    const recipe = canonicalRecipe(this.registry, fn, inputs, params);
    checkInputsExist({ lookup: this.lookup, refs: this.store.refs }, inputs);
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
    if (!this.lookup.isKnown(addr) && !this.store.pins.has(addr)) throw NotFoundError.address(addr);
    return this.store.pins.set(addr, false);
  }

  /** Deletes what no root reaches (see collector.ts); reports what went (or would go). */
  gc(options: GcOptions = {}): Promise<GcReport> {
    return this.collector.run(options);
  }

  /** A full address or a unique prefix (>= 8 hex digits) of a known leaf or recipe. */
  resolveAddress(text: string): CAddr {
    return resolvePrefix(text, this.store.addresses.withPrefix(text.toLowerCase()));
  }

  /** Kind, size and recipe of `addr`, computing nothing (see address-info.ts). */
  info(addr: CAddr): AddressInfo {
    return addressInfo({ store: this.store, lookup: this.lookup, failures: this.failures, ranges: this.ranges, streams: this.streams }, addr);
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
   * Forgets the cached output of `addr` and, by `policy` (default: the engine's), of its
   * dependents, transitively (see invalidator.ts). The next read recomputes. Leaves stay.
   */
  invalidate(addr: CAddr, policy = this.invalidationPolicy): Promise<Invalidation> {
    return this.invalidator.invalidate(addr, policy);
  }

  /** Processes queued deferred invalidations now (tests, shutdown). */
  flushDeferred(): Promise<void> {
    return this.invalidator.flushDeferred();
  }

  /** Binds ref `name` to `addr`, forgetting what read the ref in the same transaction (see invalidator.ts). */
  setRef(name: string, addr: CAddr): Promise<RefSet> {
    return this.invalidator.setRef(name, addr);
  }

  /** The current binding of ref `name`; NOT_FOUND when it was never set. */
  getRef(name: string): RefBinding {
    return this.invalidator.getRef(name);
  }

  /** Every ref with its current binding, by name. */
  listRefs(): RefBinding[] {
    return this.invalidator.listRefs();
  }

  /** Every binding ref `name` has had, oldest first; NOT_FOUND when it was never set. */
  refHistory(name: string): RefBinding[] {
    return this.invalidator.refHistory(name);
  }

  /** When the value at `addr` last changed (ms since the epoch; 0 if never): the mount's mtime. */
  changedAt(addr: CAddr): number {
    return this.changes.changedAt(addr);
  }

  /** Two-hex-digit shards holding at least one leaf or recipe (the mount's top directory). */
  shards(): string[] {
    return this.store.addresses.shards();
  }

  /** Leaves and recipes in shard `hex2`, in address order. */
  inShard(hex2: string): CAddr[] {
    return /^[0-9a-f]{2}$/.test(hex2) ? this.store.addresses.inShard(parseInt(hex2, 16)) : [];
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
    await this.invalidator.flushDeferred();
    await this.streams.close();
    await this.ranges.drained();
    await this.integrity.settled();
    await this.cache.close();
    await this.pool.close();
    await this.store.flushed();
    await this.store.close();
  }
}
