/**
 * Chunk reference counts. Chunks are deduplicated across values, so a chunk may be deleted only
 * when nothing references it any more. Every chunk has a record (12 bytes: u32be references
 * held for leaves, u32be references held for cache, u32be chunk length), written in the same
 * transaction as whatever takes or drops a reference:
 *
 * - a value's manifest holds one reference per entry, of the leaf kind when the value is a leaf,
 *   else of the cache kind; a partial-output entry holds one cache reference;
 * - a value being written holds references on its chunks from the moment each chunk is written
 *   (taken atomically with the chunk's existence check), so eviction or GC running meanwhile can
 *   never delete a chunk a writer has decided to reuse.
 *
 * A chunk is "cached bytes" when only cache holds it (no leaf references); the store keeps the
 * total in a persistent counter updated here, so the budget is checked against what is on disk
 * without a scan. All functions run inside an LMDB write transaction.
 */
import { StoreError } from '../core/errors.js';
import { CACHED_BYTES, type Tables } from './tables.js';

export type RefKind = 'leaf' | 'cache';

interface RefRecord {
  leaf: number;
  cache: number;
  size: number;
}

/** What a transaction deleted: counted for reports, listed for purging in-memory caches. */
export class Deletions {
  chunks = 0;
  bytes = 0;
  readonly values: Buffer[] = [];
  readonly chunkAddrs: Buffer[] = [];
  /** Leaves and recipes deleted (by garbage collection). */
  readonly addrs: Buffer[] = [];
}

export function readRefs(t: Tables, chunk: Buffer): RefRecord | undefined {
  const raw = t.chunkRefs.getBinary(chunk);
  if (raw === undefined) return undefined;
  return { leaf: raw.readUInt32BE(0), cache: raw.readUInt32BE(4), size: raw.readUInt32BE(8) };
}

function writeRefs(t: Tables, chunk: Buffer, r: RefRecord): void {
  const raw = Buffer.allocUnsafe(12);
  raw.writeUInt32BE(r.leaf, 0);
  raw.writeUInt32BE(r.cache, 4);
  raw.writeUInt32BE(r.size, 8);
  void t.chunkRefs.put(chunk, raw);
}

const isCached = (r: RefRecord): boolean => r.leaf === 0 && r.cache > 0;

/** Adds `delta` to the persistent cached-bytes counter. */
export function addCachedBytes(t: Tables, delta: number): void {
  if (delta !== 0) void t.meta.put(CACHED_BYTES, (t.meta.get(CACHED_BYTES) ?? 0) + delta);
}

/**
 * Changes a chunk's reference counts. Taking a reference on a chunk not stored needs its
 * `bytes` (which are then stored); the last reference dropped deletes the chunk. A writer's
 * bytes also store again a chunk that has references but no bytes: one quarantined as
 * corrupt, so putting or recomputing a value heals it.
 */
export function adjustRefs(t: Tables, chunk: Buffer, dLeaf: number, dCache: number, del: Deletions, bytes?: Uint8Array): void {
  if (bytes && !t.chunks.doesExist(chunk)) void t.chunks.put(chunk, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const before = readRefs(t, chunk) ?? unreferenced(t, chunk, bytes);
  const after = { leaf: before.leaf + dLeaf, cache: before.cache + dCache, size: before.size };
  if (after.leaf < 0 || after.cache < 0) {
    throw new StoreError(`chunk ${chunk.toString('hex')}: reference count would go negative`);
  }
  addCachedBytes(t, (isCached(after) ? after.size : 0) - (isCached(before) ? before.size : 0));
  if (after.leaf + after.cache > 0) return writeRefs(t, chunk, after);
  void t.chunkRefs.remove(chunk);
  void t.chunks.remove(chunk);
  del.chunks++;
  del.bytes += after.size;
  del.chunkAddrs.push(chunk);
}

/** The counts of a chunk no reference holds yet (its bytes must be stored, or be given). */
function unreferenced(t: Tables, chunk: Buffer, bytes: Uint8Array | undefined): RefRecord {
  const size = bytes?.length ?? t.chunks.getBinaryFast(chunk)?.length;
  if (size === undefined) throw new StoreError(`chunk ${chunk.toString('hex')} is missing`);
  return { leaf: 0, cache: 0, size };
}

/** Takes (`sign` 1) or drops (-1) one reference of `kind` per manifest entry. */
export function refChunks(t: Tables, chunks: readonly Buffer[], kind: RefKind, sign: 1 | -1, del: Deletions): void {
  for (const c of chunks) adjustRefs(t, c, kind === 'leaf' ? sign : 0, kind === 'cache' ? sign : 0, del);
}

/** Moves a value's references from one kind to the other (a cached output becoming a leaf, or back). */
export function convertRefs(t: Tables, chunks: readonly Buffer[], to: RefKind, del: Deletions): void {
  // Take the new references first so that no count passes through zero.
  refChunks(t, chunks, to, 1, del);
  refChunks(t, chunks, to === 'leaf' ? 'cache' : 'leaf', -1, del);
}
