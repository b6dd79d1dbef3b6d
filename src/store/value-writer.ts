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
 * commit is flushed to disk (lmdb-js's one writer thread fdatasyncs inside each commit, before
 * the next, even with overlappingSync), and a commit per chunk or two made a 512 MiB put wait
 * on 160-250 fdatasyncs. Two windows keep the writer thread busy without holding much memory:
 * a chunk's buffer is reused as soon as LMDB has copied it, inside the transaction, before the
 * commit and its flush, so hashing runs ahead of the flushes; and commits are waited for only
 * when many copied groups are not yet committed. Groups queued while the writer thread flushes
 * can go into its next transaction together (a 512 MiB put: ~137 fdatasyncs, 150 before). Fresh
 * 1 MiB buffers for every chunk cost more in page faults and garbage collection than hashing.
 * Nothing is acknowledged here: the value becomes visible, and durable, only with the durable
 * write of its manifest, which follows every chunk commit. A crash before it leaves chunks that
 * only the dead writer's references hold: invisible, and dropped by the recount of the next
 * garbage collection during which nothing is written (gc.ts, recount.ts).
 */
import { CAddr } from '../core/caddr.js';
import { Hasher, hash, hashAsync } from '../native/index.js';
import type { RefKind } from './chunk-refs.js';
import type { Manifest } from './manifest.js';
import type { Store } from './store.js';

/**
 * Bytes of chunks written in one transaction. With the windows below, the writer holds some
 * 12-16 MiB of chunk buffers, and LMDB up to 32 MiB of copied pages (a 2 GiB put peaks at
 * ~200 MB RSS). 8 or 16 MiB groups cut the flushes of a 512 MiB put to ~80 or ~50, but timed
 * side by side on a loaded machine they were no faster.
 */
const GROUP_BYTES = 4 * 1024 * 1024;

/**
 * Bytes of groups whose chunks LMDB has not yet copied before `write` waits (bounds the chunk
 * buffers, with the group filling): two groups, one being copied while the next is hashed.
 */
const MAX_UNCOPIED_BYTES = 2 * GROUP_BYTES;

/**
 * Bytes copied into LMDB but not yet committed before `write` waits (bounds LMDB's dirty pages
 * while the writer thread flushes).
 */
const MAX_UNCOMMITTED_BYTES = 8 * GROUP_BYTES;

/** Chunks shorter than this are hashed here: the thread pool's round trip costs more. */
const POOL_HASH_MIN = 64 * 1024;

/**
 * A group of chunks on its way: hashed, copied into a transaction, committed. Neither promise
 * rejects (see `failed`); `copied` resolves at the latest with `done`.
 */
interface PendingGroup {
  readonly copied: Promise<void>;
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
  /** Groups not yet known copied, oldest first. */
  private readonly uncopied: PendingGroup[] = [];
  /** Groups not yet known committed, oldest first. */
  private readonly inFlight: PendingGroup[] = [];
  private group: GroupedChunk[] = [];
  private groupBytes = 0;
  /** Chunk buffers whose write has committed, free for the next chunks. */
  private readonly spare: Buffer[] = [];
  private buffer: Buffer;
  private filled = 0;
  private size = 0;
  private uncopiedBytes = 0;
  private uncommittedBytes = 0;
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
    while (this.uncopiedBytes > MAX_UNCOPIED_BYTES) {
      const oldest = this.uncopied.shift()!;
      await oldest.copied;
      this.uncopiedBytes -= oldest.bytes;
    }
    while (this.uncommittedBytes > MAX_UNCOMMITTED_BYTES) {
      const oldest = this.inFlight.shift()!;
      await oldest.done;
      this.uncommittedBytes -= oldest.bytes;
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
    let toCopy = group.length;
    let allCopied!: () => void;
    const copied = new Promise<void>((resolve) => (allCopied = resolve));
    const onCopied = (chunk: GroupedChunk) => () => {
      this.spare.push(chunk.buffer);
      if (--toCopy === 0) allCopied();
    };
    const done = Promise.all(group.map((c) => c.addr))
      .then(async (addrs) => {
        const writes = await Promise.allSettled(group.map((c, i) => this.writeChunk(c, addrs[i]!, onCopied(c))));
        for (const w of writes) if (w.status === 'rejected') this.failed ??= w.reason;
      })
      .catch((err: unknown) => {
        this.failed ??= err;
      })
      .finally(allCopied);
    const pending = { copied, done, bytes: this.groupBytes };
    this.uncopied.push(pending);
    this.inFlight.push(pending);
    this.uncopiedBytes += this.groupBytes;
    this.uncommittedBytes += this.groupBytes;
    this.groupBytes = 0;
  }

  private async writeChunk(chunk: GroupedChunk, addr: Buffer, onCopied: () => void): Promise<void> {
    this.chunks[chunk.index] = addr;
    await this.store.refChunk(addr, chunk.bytes, this.kind, onCopied);
    this.held.push(addr);
  }
}

/** Stands for a chunk address until the chunk is hashed. */
const EMPTY = Buffer.alloc(0);
