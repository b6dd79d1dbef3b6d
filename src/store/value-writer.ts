/**
 * ValueWriter: turns a byte stream of any length into stored chunks plus a manifest, with
 * bounded memory. Bytes are cut into the store's fixed-size chunks, each chunk is addressed by
 * its own BLAKE3 and written once (identical chunks dedupe), and the whole value is hashed
 * incrementally for its content address. Only `finish` makes the value visible, atomically, so
 * a writer abandoned half-way leaves nothing a reader can see (just unreferenced chunks).
 */
import { CAddr } from '../core/caddr.js';
import { Hasher, hash } from '../native/index.js';
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
  private buffer: Buffer;
  private filled = 0;
  private size = 0;
  private pending: Promise<unknown> = Promise.resolve();
  private pendingBytes = 0;

  constructor(private readonly store: Store) {
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
      await this.pending;
    }
  }

  /** Stores the manifest (marking it a leaf if asked) and resolves once durable. */
  async finish(asLeaf: boolean): Promise<WrittenValue> {
    if (this.filled > 0) this.flushChunk();
    await this.pending;
    const addr = CAddr.fromBytes(this.hasher.finalize());
    const manifest: Manifest = { size: this.size, chunks: this.chunks };
    await this.store.putValue(addr, manifest, asLeaf);
    return { addr, manifest };
  }

  private flushChunk(): void {
    const chunk = this.buffer.subarray(0, this.filled);
    const addr = hash(chunk);
    this.chunks.push(addr);
    if (!this.store.hasChunk(addr)) {
      // lmdb-js may read a queued value until its commit: hand the buffer over, start anew.
      this.pending = this.store.putChunk(addr, chunk);
      this.pendingBytes += chunk.length;
      this.buffer = Buffer.allocUnsafe(this.store.chunkSize);
    }
    this.filled = 0;
  }
}
