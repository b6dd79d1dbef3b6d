/**
 * The store's chunk read path: chunks read from LMDB, checked against their address (on the JS
 * thread, or on the libuv pool for the mount's reads), kept in a small cache of recently read
 * chunks whose buffers are reused, and the release of mapped pages that keeps the process's
 * resident set honest. Writes stay in store.ts; it tells this cache what they deleted.
 */
import { LRUCache } from 'lru-cache';
import { CorruptChunkError, StoreError } from '../core/errors.js';
import { SingleFlight } from '../core/single-flight.js';
import { hash, hashAsync, releaseMappedPages } from '../native/index.js';
import type { Quarantine } from './quarantine.js';
import type { BinaryDb } from './tables.js';

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
 * 2 GiB value would show 2 GiB resident. Writing maps pages in too (LMDB reads the pages it
 * updates through the map): a 1 GiB put left 48 MiB of the file resident. After this many bytes
 * read or written, the process's mapped pages are released (they stay cached and map in again
 * on the next access), which keeps the resident set a measure of what the daemon itself holds.
 */
const RELEASE_MAPPED_EVERY = 32 * 1024 * 1024;
/** Bytes this thread moved through the map since it last released mapped pages. */
let mappedBytes = 0;

/** A chunk's bytes in a reusable, chunk-sized buffer. */
interface CachedChunk {
  readonly buffer: Buffer;
  readonly length: number;
}

export class ChunkCache {
  private readonly spareBuffers: Buffer[] = [];
  /** Chunks {@link load} is checking, by raw address as latin1. */
  private readonly loading = new SingleFlight<void>();
  private readonly recent = new LRUCache<string, CachedChunk>({
    max: READ_CACHE_CHUNKS,
    dispose: (chunk) => this.spareBuffers.push(chunk.buffer),
  });

  constructor(
    private readonly chunks: BinaryDb,
    /** Tells a quarantined chunk from a missing one. */
    private readonly quarantine: Pick<Quarantine, 'has'>,
    /** The LMDB data file, as the kernel names it in /proc/self/maps. */
    private readonly dataFile: string,
    private readonly chunkSize: number,
    /** Whether reads check bytes against their address, asked at each read (the setting may change). */
    private readonly verifyReads: () => boolean,
  ) {}

  /**
   * A copy of the chunk's bytes, verified. Throws if the chunk is missing (a manifest names
   * it), and a {@link CorruptChunkError} if it is corrupt or was quarantined.
   */
  get(addr: Buffer): Buffer {
    const bytes = this.chunks.getBinary(addr);
    if (bytes === undefined) throw this.missing(addr);
    this.throughMap(bytes.length);
    this.check(addr, bytes);
    return bytes;
  }

  /**
   * Calls `use` with a stored chunk's bytes, verified like {@link get}, without copying them
   * out: the view is lmdb-js's reusable buffer, valid only during the call.
   */
  use<T>(addr: Buffer, use: (bytes: Uint8Array) => T): T {
    const view = this.chunks.getBinaryFast(addr);
    if (view === undefined) throw this.missing(addr);
    const bytes = view.subarray(0, view.length); // the reusable buffer is longer than the chunk
    this.throughMap(bytes.length);
    this.check(addr, bytes);
    return use(bytes);
  }

  /** Copies bytes [from, to) of a chunk into `target` at `at`, through the read cache. */
  copy(addr: Buffer, target: Uint8Array, at: number, from: number, to: number): void {
    const key = addr.toString('latin1');
    let chunk = this.recent.get(key);
    if (!chunk) {
      chunk = this.copyOut(addr);
      this.check(addr, chunk.buffer.subarray(0, chunk.length));
      this.recent.set(key, chunk);
    }
    target.set(chunk.buffer.subarray(from, Math.min(to, chunk.length)), at);
  }

  /**
   * Brings chunks into the read cache, checking each against its address on the libuv pool
   * rather than on the JS thread (where the mount serves every request); then {@link copy}
   * finds them there. A {@link CorruptChunkError} if one is corrupt.
   */
  async load(addrs: readonly Buffer[]): Promise<void> {
    await Promise.all(addrs.map((addr) => this.loadOne(addr)));
  }

  /** Drops deleted or quarantined chunks from the read cache. */
  forget(addrs: readonly Buffer[]): void {
    for (const addr of addrs) this.recent.delete(addr.toString('latin1'));
  }

  /** Counts bytes read or written through the map, releasing mapped pages now and then (see above). */
  throughMap(bytes: number): void {
    mappedBytes += bytes;
    if (mappedBytes < RELEASE_MAPPED_EVERY) return;
    mappedBytes = 0;
    releaseMappedPages(this.dataFile);
  }

  private loadOne(addr: Buffer): Promise<void> | undefined {
    const key = addr.toString('latin1');
    if (this.recent.has(key)) return undefined;
    return this.loading.run(key, () => {
      const chunk = this.copyOut(addr);
      const digest = this.verifyReads() ? hashAsync(chunk.buffer.subarray(0, chunk.length), { parallel: false }) : Promise.resolve(addr);
      return digest.then((digest) => {
        if (!digest.equals(addr)) {
          this.spareBuffers.push(chunk.buffer);
          throw new CorruptChunkError(addr.toString('hex'));
        }
        this.recent.set(key, chunk);
      });
    });
  }

  /** A copy of a stored chunk in a reusable buffer, unchecked. */
  private copyOut(addr: Buffer): CachedChunk {
    // lmdb-js's reusable buffer is only valid until the next read: copy it into our own.
    const view = this.chunks.getBinaryFast(addr);
    if (view === undefined) throw this.missing(addr);
    const buffer = this.spareBuffers.pop() ?? Buffer.allocUnsafeSlow(this.chunkSize);
    // Not view.copy: the reusable buffer's true typed-array length is its whole allocation.
    buffer.set(view.subarray(0, view.length));
    this.throughMap(view.length);
    return { buffer, length: view.length };
  }

  private check(addr: Buffer, bytes: Uint8Array): void {
    // One thread: in a pool worker the other cores are busy with the other workers.
    if (this.verifyReads() && !hash(bytes, { parallel: false }).equals(addr)) throw new CorruptChunkError(addr.toString('hex'));
  }

  private missing(addr: Buffer): Error {
    const hex = addr.toString('hex');
    if (this.quarantine.has('chunk', addr)) return new CorruptChunkError(hex, `chunk ${hex} is quarantined as corrupt`);
    return new StoreError(`chunk ${hex} is missing`);
  }
}
