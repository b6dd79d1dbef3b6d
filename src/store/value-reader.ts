/**
 * Reading stored values: byte ranges copied out of the chunks that cover them, and chunk-by-
 * chunk iteration for consumers that stream a whole value without holding it in memory.
 */
import type { Manifest } from './manifest.js';
import type { Store } from './store.js';

/** Copies bytes [offset, offset+length) of a value, clamped to its end. */
export function readRange(store: Store, manifest: Manifest, offset: number, length: number): Buffer {
  const start = Math.max(0, Math.min(offset, manifest.size));
  const out = Buffer.allocUnsafe(Math.min(manifest.size - start, Math.max(0, length)));
  readInto(store, manifest, start, out);
  return out;
}

/** Fills `target` with the value's bytes from `offset` on; returns how many (short at the end). */
export function readInto(store: Store, manifest: Manifest, offset: number, target: Uint8Array): number {
  const start = Math.max(0, Math.min(offset, manifest.size));
  const end = Math.min(manifest.size, start + target.length);
  const cs = store.chunkSize;
  for (let i = Math.floor(start / cs); i * cs < end; i++) {
    const from = Math.max(start, i * cs);
    const to = Math.min(end, (i + 1) * cs);
    store.copyFromChunk(manifest.chunks[i]!, target, from - start, from - i * cs, to - i * cs);
  }
  return end - start;
}

/**
 * {@link readInto}, once the chunks it covers are in the store's read cache, checked off the
 * JS thread (Store.loadChunks): what the mount and gRPC reads use. The chunk after them starts
 * loading too, so a sequential reader finds it checked already.
 */
export async function readIntoLoaded(store: Store, manifest: Manifest, offset: number, target: Uint8Array): Promise<number> {
  const cs = store.chunkSize;
  const first = Math.floor(Math.max(0, offset) / cs);
  const end = Math.min(manifest.size, Math.max(0, offset) + target.length);
  const last = Math.max(first, Math.ceil(end / cs));
  const next = manifest.chunks[last];
  if (next) store.loadChunks([next]).catch(() => {}); // a corrupt one fails its own read later
  await store.loadChunks(manifest.chunks.slice(first, last));
  return readInto(store, manifest, offset, target);
}

/** Yields a value's chunks in order, one at a time (each a fresh copy). */
export function* iterateChunks(store: Store, manifest: Manifest): Generator<Buffer> {
  for (const addr of manifest.chunks) yield store.getChunk(addr);
}
