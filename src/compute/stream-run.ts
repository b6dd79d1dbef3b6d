/**
 * One streaming computation, seen from the main thread. The function runs in the pool (see
 * stream-task.ts); this side feeds it input and stores the chunks it sends back, and readers
 * read the output while it grows:
 *
 * - a reader asking for bytes not yet produced waits for them, not for the whole output (nor
 *   for the chunk they belong to: the bytes of an unfinished chunk are served as they come);
 * - input is fed only while the output is less than a window ahead of the furthest byte any
 *   reader has asked for, so a slow reader pauses the computation and memory stays bounded
 *   (produced chunks go to the store; only chunks being committed are held in memory);
 * - every reader of the same address shares this one run;
 * - at the end the chunks are recorded as one value in the action cache, exactly as a whole
 *   computation would have recorded them.
 *
 * A run nobody reads for `idleMs` while paused is abandoned (its function state cannot be kept
 * forever); the next reader starts over.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { CAddr } from '../core/caddr.js';
import { AbortedError } from '../core/errors.js';
import type { Recipe } from '../core/recipe.js';
import { plainParams } from '../core/recipe.js';
import type { Store } from '../store/store.js';
import { functionFailed, type Materialized } from './outcome.js';
import type { ComputePool } from './pool.js';
import type { StreamInput, StreamOutput } from './task.js';

/** Input is fed in pieces this size: small enough that one piece's output stays modest. */
const PIECE_BYTES = 256 * 1024;
/** Input pieces sent but not yet consumed: enough to keep the worker busy. */
const PIECES_IN_FLIGHT = 2;
/** How far (in chunks) the output may run ahead of the furthest byte a reader asked for. */
const AHEAD_CHUNKS = 8;

/** What a run needs from the engine. */
export interface StreamRunContext {
  readonly store: Store;
  readonly pool: ComputePool;
  /** Reads bytes of the run's input (a leaf, a stored output, or another run's output). */
  readInput(offset: number, target: Uint8Array): Promise<number>;
  /** Milliseconds a paused run with no reader waits before it is abandoned. */
  readonly idleMs: number;
  /**
   * False when the output may not be remembered in the action cache (see invalidation-gate.ts);
   * readers still get it.
   */
  keep(): boolean;
  /** The store's invalidation mark of the run's ticket, for the store to check. */
  readonly mark: number;
}

/** A produced chunk: its bytes stay in memory only until the store has committed them. */
interface Slot {
  readonly addr: Buffer;
  bytes: Uint8Array | undefined;
}

interface Waiter {
  /** Wake once this many bytes exist (or the output is complete). */
  readonly until: number;
  readonly wake: () => void;
  readonly fail: (err: Error) => void;
}

export class StreamRun {
  private readonly slots: Slot[] = [];
  /** The chunk being produced, and how much of it exists. */
  private tail: Uint8Array;
  private tailFilled = 0;
  private readonly stores: Promise<void>[] = [];
  /** Chunks whose writer reference this run holds (given back if it never records its output). */
  private readonly held: Buffer[] = [];
  private released: Promise<void> = Promise.resolve();
  private readonly waiters = new Set<Waiter>();
  private produced = 0;
  /** Furthest byte any reader asked for; Infinity once someone needs the whole output. */
  private demand = 0;
  private piecesInFlight = 0;
  private inputDone = false;
  private final: { readonly content: CAddr; readonly size: number; readonly cpuMs: number } | undefined;
  /** Resolves when 'final' arrives: it may come after the task's own result, on another channel. */
  private readonly finalReceived: Promise<void>;
  private onFinal!: () => void;
  private recorded = false;
  /** The function's bound on the output size (known once the run starts). */
  private bound = Infinity;
  private isAbandoned = false;
  private error: Error | undefined;
  private wakeDriver: (() => void) | undefined;
  private readonly port: MessagePort;
  /** Resolves with the stored output once recorded; rejects if the run fails or is abandoned. */
  readonly output: Promise<Materialized>;

  /**
   * Starts computing `recipe` (a streaming function) for `addr`; `maxSize` is the function's
   * bound for its input, which the run must not exceed.
   */
  constructor(
    readonly addr: CAddr,
    recipe: Recipe,
    maxSize: Promise<number>,
    private readonly ctx: StreamRunContext,
  ) {
    this.finalReceived = new Promise<void>((resolve) => (this.onFinal = resolve));
    this.tail = new Uint8Array(ctx.store.chunkSize);
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.port.on('message', (message: StreamOutput) => this.receive(message));
    const { chunkSize } = ctx.store;
    const params = plainParams(recipe);
    const task = maxSize.then((max) => {
      this.bound = max;
      return ctx.pool.stream({ fn: recipe.fn, params, chunkSize, maxSize: max, port: channel.port2 });
    });
    this.output = Promise.all([task, this.drive()])
      .then(() => {
        if (this.abandoned) throw this.error ?? new AbortedError(`computation of ${addr.hex} was abandoned: nobody read it`);
        return this.record();
      })
      .catch((err: unknown) => {
        this.fail(this.abandoned ? (err as Error) : functionFailed(addr, recipe, err));
        // Give back the chunk references taken, without holding up the failure itself.
        this.released = Promise.allSettled(this.stores)
          .then(() => ctx.store.releaseChunks(this.held.splice(0), 'cache'))
          .catch(() => {});
        throw this.error;
      });
    this.output.catch(() => {}); // readers see failures through their own reads
  }

  /** Settles once the run has ended and, if it failed, given back the references it held. */
  get ended(): Promise<void> {
    return this.output.then(
      () => {},
      () => this.released,
    );
  }

  /** False once the run failed or was abandoned: a new reader must start a new run. */
  get open(): boolean {
    return !this.isAbandoned && this.error === undefined;
  }

  /** True if the run stopped because nobody read it (or the engine closed), not by failing. */
  get abandoned(): boolean {
    return this.isAbandoned;
  }

  /** Stops the run: its readers get an error, its worker task ends. */
  close(): void {
    this.isAbandoned = true;
    this.fail(new AbortedError(`computation of ${this.addr.hex} stopped: the engine is closing`));
  }

  /** Bytes of output produced so far. */
  get progress(): number {
    return this.produced;
  }

  /**
   * Fills `target` with output bytes from `offset` on, waiting only until those bytes exist;
   * returns the count (short only at the end of the output).
   */
  async readInto(offset: number, target: Uint8Array): Promise<number> {
    const end = offset + target.length;
    await this.reach(end);
    const limit = this.final ? Math.min(end, this.final.size) : end;
    if (offset >= limit) return 0;
    const cs = this.ctx.store.chunkSize;
    // Chunks already stored (their bytes let go) are checked on the libuv pool, not here.
    const stored = this.slots.slice(Math.floor(offset / cs), Math.ceil(limit / cs)).filter((s) => !s.bytes);
    if (stored.length > 0) await this.ctx.store.loadChunks(stored.map((s) => s.addr));
    for (let i = Math.floor(offset / cs); i * cs < limit; i++) {
      const from = Math.max(offset, i * cs);
      const to = Math.min(limit, (i + 1) * cs);
      const slot = this.slots[i];
      const bytes = slot ? slot.bytes : this.tail;
      if (bytes) target.set(bytes.subarray(from - i * cs, to - i * cs), from - offset);
      else this.ctx.store.copyFromChunk(slot!.addr, target, from - offset, from - i * cs, to - i * cs);
    }
    return limit - offset;
  }

  /** Runs to the end (whatever readers want) and resolves with the recorded output. */
  drain(): Promise<Materialized> {
    this.want(Infinity);
    return this.output;
  }

  /**
   * Whether a read of the bytes before `end` can be served now: they exist, and the read does
   * not reach the end of the output. A read that does (or may: it reaches the function's bound)
   * waits until the output is recorded, so whoever asks after a reader saw the end finds the
   * output materialized.
   */
  private ready(end: number): boolean {
    if (this.recorded) return true;
    if (this.final) return end < this.final.size;
    return end <= this.produced && end < this.bound;
  }

  /** Waits until the bytes before `end` exist (or the output is complete and recorded). */
  private reach(end: number): Promise<void> {
    if (this.error) return Promise.reject(this.error);
    // Every read moves the window, not only one that waits: a read served from bytes already
    // there (a kernel readahead request arriving after the run got that far) is still the
    // furthest byte asked for, and the run is to keep a window ahead of it.
    this.want(end);
    if (this.ready(end)) return Promise.resolve();
    return new Promise<void>((wake, fail) => this.waiters.add({ until: end, wake, fail }));
  }

  private want(end: number): void {
    if (end > this.demand) this.demand = end;
    this.kick();
  }

  private kick(): void {
    const wake = this.wakeDriver;
    this.wakeDriver = undefined;
    wake?.();
  }

  /** Feeds input while readers want more output; abandons the run if nobody comes back. */
  private async drive(): Promise<void> {
    const ahead = AHEAD_CHUNKS * this.ctx.store.chunkSize;
    let offset = 0;
    for (;;) {
      while (this.open && !this.inputDone && (this.piecesInFlight >= PIECES_IN_FLIGHT || this.produced >= this.demand + ahead)) {
        await this.pause(this.piecesInFlight < PIECES_IN_FLIGHT);
      }
      if (!this.open) return this.send({ type: 'abort' }); // the worker closes the port
      if (this.inputDone) break;
      const piece = new Uint8Array(PIECE_BYTES);
      const n = await this.ctx.readInput(offset, piece);
      if (n === 0) break;
      offset += n;
      this.piecesInFlight++;
      const bytes = n === PIECE_BYTES ? piece : piece.slice(0, n);
      this.send({ type: 'input', bytes }, [bytes.buffer]);
      if (n < PIECE_BYTES) break;
    }
    this.send({ type: 'end' });
  }

  /**
   * Waits to be woken (output read, or a piece consumed). A run paused for want of readers
   * is abandoned after the idle time if nobody is waiting on it.
   */
  private pause(forReaders: boolean): Promise<void> {
    return new Promise<void>((resume) => {
      const timer = forReaders
        ? setTimeout(() => {
            if (this.waiters.size > 0) return;
            this.isAbandoned = true;
            this.kick();
          }, this.ctx.idleMs)
        : undefined;
      timer?.unref();
      this.wakeDriver = () => {
        clearTimeout(timer);
        resume();
      };
    });
  }

  private send(message: StreamInput, transfer: ArrayBuffer[] = []): void {
    this.port.postMessage(message, transfer);
  }

  private receive(message: StreamOutput): void {
    switch (message.type) {
      case 'data':
        this.tail.set(message.bytes, this.tailFilled);
        this.tailFilled += message.bytes.length;
        this.produced += message.bytes.length;
        this.wakeWaiters();
        break;
      case 'chunk':
        this.endChunk(Buffer.from(message.addr));
        break;
      case 'consumed':
        this.piecesInFlight--;
        if (message.done) this.inputDone = true;
        this.kick();
        break;
      case 'final':
        this.final = { content: CAddr.fromHex(message.content), size: message.size, cpuMs: message.cpuMs };
        this.onFinal();
        this.wakeWaiters();
        break;
    }
  }

  /** Stores the chunk just completed; its bytes serve readers until the store has them. */
  private endChunk(addr: Buffer): void {
    const bytes = this.tail.subarray(0, this.tailFilled);
    const slot: Slot = { addr, bytes };
    this.slots.push(slot);
    this.tail = new Uint8Array(this.ctx.store.chunkSize);
    this.tailFilled = 0;
    const { store } = this.ctx;
    // A writer's reference (see chunk-refs.ts): eviction and GC leave the chunk alone meanwhile.
    const stored = store.refChunk(addr, bytes, 'cache').then(() => void this.held.push(addr));
    this.stores.push(stored.then(() => void (slot.bytes = undefined)));
  }

  /** Records the finished output as one value, once every chunk is committed. */
  private async record(): Promise<Materialized> {
    await this.finalReceived;
    const { content, size, cpuMs } = this.final!;
    const { store } = this.ctx;
    await Promise.all(this.stores);
    const manifest = { size, chunks: this.slots.map((s) => s.addr) };
    // The value (its chunk references passing from this run to it) and its action, atomically.
    // A run that an invalidation overtook (invalidation-gate.ts) records the value for its
    // readers but no action; garbage collection takes the value later.
    if (this.ctx.keep()) await store.putOutput(this.addr, content, manifest, cpuMs, this.ctx.mark);
    else await store.putValue(content, manifest, 'cache', 'held');
    this.held.length = 0;
    this.recorded = true;
    this.wakeWaiters();
    return { content, size };
  }

  private wakeWaiters(): void {
    for (const w of this.waiters) {
      if (!this.ready(w.until)) continue;
      this.waiters.delete(w);
      w.wake();
    }
  }

  private fail(err: Error): void {
    if (this.error) return;
    this.error = err;
    for (const w of this.waiters) w.fail(err);
    this.waiters.clear();
    this.send({ type: 'abort' }); // the worker closes the port (and ends its task) on abort
    this.kick();
  }
}
