/**
 * ValueWriter: turns a byte stream of any length into stored chunks plus a manifest, with
 * bounded memory. Bytes are cut into the store's fixed-size chunks, each chunk is addressed by
 * its own BLAKE3 and stored once (identical chunks dedupe), and the whole value is hashed
 * incrementally for its content address. Each chunk written takes a reference (of the kind the
 * value will be: leaf or cache) in the same transaction that checks whether the chunk exists,
 * so eviction or GC can never delete a chunk this writer counts on. `finish` hands back the
 * manifest with those references held, for the caller to record atomically; `abort` gives them
 * back. A writer abandoned half-way leaves nothing a reader can see.
 *
 * The two hashes share the work between threads: a chunk's address is computed on the libuv
 * pool while this thread hashes the value, both single-threaded (with rayon, the value's hash
 * and the pool's would compete for the same cores, and its workers spin while they wait).
 * Chunks are written in groups, each group in one transaction once its chunks are hashed: every
 * commit is flushed to disk, and a commit per chunk or two made a 512 MiB put wait on 160-250
 * fdatasyncs (~145 now). A window of groups is in flight: the writer waits for the oldest only
 * when the window is full, so reading, hashing and committing overlap. A chunk's buffer is
 * reused once its write has committed (LMDB has copied it by then): fresh 1 MiB buffers for
 * every chunk cost more in page faults and garbage collection than hashing.
 */
import { CAddr } from '../core/caddr.js';
import { Hasher, hash, hashAsync } from '../native/index.js';
import type { RefKind } from './chunk-refs.js';
import type { Manifest } from './manifest.js';
import type { Store } from './store.js';

/**
 * Bytes of chunks written in one transaction. With the window below, the writer holds some
 * 12-16 MiB of chunks (a 2 GiB put peaks at ~136 MB RSS; 8 MiB groups halve the flushes again,
 * to ~80 for 512 MiB, but peak at ~190 MB).
 */
const GROUP_BYTES = 4 * 1024 * 1024;

/**
 * Bytes of groups hashed or written but not yet committed before `write` waits (bounds memory,
 * with the group filling): two groups, one being committed while the next is hashed.
 */
const MAX_PENDING_BYTES = 2 * GROUP_BYTES;

/** Chunks shorter than this are hashed here: the thread pool's round trip costs more. */
const POOL_HASH_MIN = 64 * 1024;

/** A group of chunks on its way: hashed, then written; `done` never rejects (see `failed`). */
interface PendingGroup {
  readonly done: Promise<void>;
  readonly bytes: number;
}

/** A chunk of the group being filled; `buffer` holds its bytes and is reused once written. */
interface GroupedChunk {
  readonly index: number;
  readonly addr: Promise<Buffer>;
  readonly bytes: Buffer;
  readonly buffer: Buffer;
}

export interface WrittenValue {
  readonly addr: CAddr;
  readonly manifest: Manifest;
}

export class ValueWriter {
  private readonly hasher = new Hasher();
  private readonly chunks: Buffer[] = [];
  /** Chunks whose reference is committed, to give back on abort. */
  private readonly held: Buffer[] = [];
  /** Groups not yet committed, oldest first. */
  private readonly inFlight: PendingGroup[] = [];
  private group: GroupedChunk[] = [];
  private groupBytes = 0;
  /** Chunk buffers whose write has committed, free for the next chunks. */
  private readonly spare: Buffer[] = [];
  private buffer: Buffer;
  private filled = 0;
  private size = 0;
  private pendingBytes = 0;
  private failed: unknown;

  constructor(
    private readonly store: Store,
    private readonly kind: RefKind,
  ) {
    this.buffer = Buffer.allocUnsafe(store.chunkSize);
  }

  /** Appends bytes. Await it: it applies backpressure when too many writes are in flight. */
  async write(bytes: Uint8Array): Promise<void> {
    let at = 0;
    while (at < bytes.length) {
      const n = Math.min(bytes.length - at, this.buffer.length - this.filled);
      this.buffer.set(bytes.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === this.buffer.length) this.flushChunk();
    }
    this.size += bytes.length;
    while (this.pendingBytes > MAX_PENDING_BYTES) {
      const oldest = this.inFlight.shift()!;
      await oldest.done;
      this.pendingBytes -= oldest.bytes;
    }
  }

  /** Waits for every chunk; the value's manifest, its chunk references still held. */
  async finish(): Promise<WrittenValue> {
    if (this.filled > 0) this.flushChunk();
    if (this.group.length > 0) this.writeGroup();
    await Promise.all(this.inFlight.map((c) => c.done));
    if (this.failed !== undefined) throw this.failed;
    return { addr: CAddr.fromBytes(this.hasher.finalize()), manifest: { size: this.size, chunks: this.chunks } };
  }

  /** Gives back the references taken so far (the value will not be recorded). */
  async abort(): Promise<void> {
    await Promise.all(this.inFlight.map((c) => c.done));
    await this.store.releaseChunks(this.held.splice(0), this.kind);
  }

  private flushChunk(): void {
    const buffer = this.buffer;
    const bytes = buffer.subarray(0, this.filled);
    this.hasher.update(bytes, { parallel: false });
    const addr = bytes.length < POOL_HASH_MIN ? Promise.resolve(hash(bytes)) : hashAsync(bytes, { parallel: false });
    this.group.push({ index: this.chunks.push(EMPTY) - 1, addr, bytes, buffer });
    this.groupBytes += bytes.length;
    if (this.groupBytes >= GROUP_BYTES) this.writeGroup();
    this.buffer = this.spare.pop() ?? Buffer.allocUnsafe(this.store.chunkSize);
    this.filled = 0;
  }

  /** Once the group's chunks are hashed, writes them all in the same turn: one transaction. */
  private writeGroup(): void {
    const group = this.group;
    this.group = [];
    const done = Promise.all(group.map((c) => c.addr))
      .then(async (addrs) => {
        const writes = await Promise.allSettled(group.map((c, i) => this.writeChunk(c, addrs[i]!)));
        for (const w of writes) if (w.status === 'rejected') this.failed ??= w.reason;
      })
      .catch((err: unknown) => {
        this.failed ??= err;
      });
    this.inFlight.push({ done, bytes: this.groupBytes });
    this.pendingBytes += this.groupBytes;
    this.groupBytes = 0;
  }

  private async writeChunk(chunk: GroupedChunk, addr: Buffer): Promise<void> {
    this.chunks[chunk.index] = addr;
    // lmdb-js reads the bytes when the transaction runs: the buffer is spare once it committed.
    await this.store.refChunk(addr, chunk.bytes, this.kind);
    this.held.push(addr);
    this.spare.push(chunk.buffer);
  }
}

/** Stands for a chunk address until the chunk is hashed. */
const EMPTY = Buffer.alloc(0);
