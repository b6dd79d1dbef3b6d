/**
 * Rebuilding reference counts from what the store holds: every manifest (leaf or cache kind),
 * every partial entry, every action (value references). Chunks nothing references are deleted
 * and the cached-bytes counter is recomputed. Correct only when no write is in flight (writers
 * hold references not yet visible in any manifest): used when a store of the first format is
 * opened, and by a garbage collection during which nothing was written.
 */
import { CACHED_BYTES, type Tables } from './tables.js';
import type { Deletions } from './chunk-refs.js';
import { decodeManifest } from './manifest.js';

export function recountTx(t: Tables, chunkSize: number, del: Deletions): void {
  const counts = new Map<string, { leaf: number; cache: number }>();
  const count = (chunk: Buffer, leaf: boolean) => {
    const key = chunk.toString('latin1');
    const c = counts.get(key) ?? { leaf: 0, cache: 0 };
    if (leaf) c.leaf++;
    else c.cache++;
    counts.set(key, c);
  };
  for (const { key, value } of t.values.getRange({})) {
    const leaf = t.leaves.doesExist(key);
    for (const chunk of decodeManifest(value, chunkSize).chunks) count(chunk, leaf);
  }
  for (const { value } of t.partials.getRange({})) count(value, false);
  recountValueRefs(t);
  let cached = 0;
  for (const chunk of [...t.chunks.getKeys({})].map((c) => Buffer.from(c))) {
    const c = counts.get(chunk.toString('latin1'));
    const size = t.chunks.getBinaryFast(chunk)!.length;
    if (!c) {
      void t.chunks.remove(chunk);
      void t.chunkRefs.remove(chunk);
      del.chunks++;
      del.bytes += size;
      del.chunkAddrs.push(chunk);
      continue;
    }
    const raw = Buffer.allocUnsafe(12);
    raw.writeUInt32BE(c.leaf, 0);
    raw.writeUInt32BE(c.cache, 4);
    raw.writeUInt32BE(size, 8);
    void t.chunkRefs.put(chunk, raw);
    if (c.leaf === 0) cached += size;
  }
  for (const r of [...t.chunkRefs.getKeys({})]) if (!t.chunks.doesExist(r)) void t.chunkRefs.remove(r);
  void t.meta.put(CACHED_BYTES, cached);
}

function recountValueRefs(t: Tables): void {
  const refs = new Map<string, number>();
  for (const { value } of t.actions.getRange({})) {
    const key = value.content.toString('latin1');
    refs.set(key, (refs.get(key) ?? 0) + 1);
  }
  for (const key of [...t.valueRefs.getKeys({})]) void t.valueRefs.remove(key);
  for (const [key, n] of refs) void t.valueRefs.put(Buffer.from(key, 'latin1'), n);
}
