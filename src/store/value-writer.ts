/**
 * ValueWriter: turns a byte stream of any length into stored chunks plus a manifest, with
 * bounded memory. Bytes are cut into the store's fixed-size chunks, each chunk is addressed by
 * its own BLAKE3 and stored once (identical chunks dedupe), and the whole value is hashed
 * incrementally for its content address. Each chunk written takes a reference (of the kind the
 * value will be: leaf or cache) in the same transaction that checks whether the chunk exists,
 * so eviction or GC can never delete a chunk this writer counts on. `finish` hands back the
 * manifest with those references held, for the caller to record atomically; `abort` gives them
 * back. A writer abandoned half-way leaves nothing a reader can see.
 */
import { CAddr } from '../core/caddr.js';
import { Hasher, hash } from '../native/index.js';
import type { RefKind } from './chunk-refs.js';
import type { Manifest } from './manifest.js';
import type { Store } from './store.js';

/** Writes queued but not yet committed before `write` waits (bounds memory of huge puts). */
const MAX_PENDING_BYTES = 8 * 1024 * 1024;

export interface WrittenValue {
  readonly addr: CAddr;
  readonly manifest: Manifest;
}

export class ValueWriter {
  private readonly hasher = new Hasher();
  private readonly chunks: Buffer[] = [];
  /** Chunks whose reference is committed, to give back on abort. */
  private readonly held: Buffer[] = [];
  private readonly inFlight = new Set<Promise<void>>();
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
    this.hasher.update(bytes);
    this.size += bytes.length;
    if (this.pendingBytes >= MAX_PENDING_BYTES) {
      this.pendingBytes = 0;
      await Promise.all(this.inFlight);
    }
  }

  /** Waits for every chunk; the value's manifest, its chunk references still held. */
  async finish(): Promise<WrittenValue> {
    if (this.filled > 0) this.flushChunk();
    await Promise.all(this.inFlight);
    if (this.failed !== undefined) throw this.failed;
    return { addr: CAddr.fromBytes(this.hasher.finalize()), manifest: { size: this.size, chunks: this.chunks } };
  }

  /** Gives back the references taken so far (the value will not be recorded). */
  async abort(): Promise<void> {
    await Promise.allSettled(this.inFlight);
    await this.store.releaseChunks(this.held.splice(0), this.kind);
  }

  private flushChunk(): void {
    const chunk = this.buffer.subarray(0, this.filled);
    const addr = hash(chunk);
    this.chunks.push(addr);
    // lmdb-js reads the bytes when the transaction runs: hand the buffer over, start anew.
    const write = this.store.refChunk(addr, chunk, this.kind).then(() => {
      this.held.push(addr);
    });
    this.inFlight.add(write);
    void write.catch((err: unknown) => (this.failed ??= err)).finally(() => this.inFlight.delete(write));
    this.pendingBytes += chunk.length;
    this.buffer = Buffer.allocUnsafe(this.store.chunkSize);
    this.filled = 0;
  }
}
