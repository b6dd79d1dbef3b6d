/**
 * Writes that take or drop references, each run inside one LMDB write transaction: storing a
 * value, recording or forgetting an action (a recipe's cached output), storing or dropping
 * partial output chunks. A value that is not a leaf lives as long as an action names it; a
 * value's chunks live as long as a value or partial entry holds them (chunk-refs.ts).
 */
import { CAddr } from '../core/caddr.js';
import { adjustRefs, convertRefs, refChunks, type Deletions, type RefKind } from './chunk-refs.js';
import { decodeManifest, encodeManifest, type Manifest } from './manifest.js';
import { partialKey, partialRange } from './partials.js';
import { GDSF_CLOCK, type CacheStats, type Tables } from './tables.js';

/** Where a new value's chunk references come from. */
export type HeldRefs = 'held' | 'take';

/**
 * Records a value's manifest. With `held`, the writer already holds one reference of `kind` per
 * entry (they pass to the manifest, or are given back if the value exists); with `take`, they
 * are taken now. A leaf put over an existing cached output turns that value into a leaf.
 */
export function putValueTx(t: Tables, addr: CAddr, m: Manifest, kind: RefKind, refs: HeldRefs, del: Deletions): void {
  const exists = t.values.doesExist(addr.bytes);
  if (!exists) {
    void t.values.put(addr.bytes, encodeManifest(m));
    if (refs === 'take') refChunks(t, m.chunks, kind, 1, del);
  } else {
    if (kind === 'leaf' && !t.leaves.doesExist(addr.bytes)) convertRefs(t, m.chunks, 'leaf', del);
    if (refs === 'held') refChunks(t, m.chunks, kind, -1, del);
  }
  if (kind === 'leaf' && !t.leaves.doesExist(addr.bytes)) void t.leaves.put(addr.bytes, Date.now());
}

/** Records `recipe`'s output (replacing an older one), with fresh statistics for the cache. */
export function putActionTx(
  t: Tables, chunkSize: number, recipe: CAddr, content: CAddr, size: number, cost: number, inputs: Buffer, del: Deletions,
): void {
  const prev = t.actions.get(recipe.bytes);
  void t.proofs.remove(recipe.bytes); // vouched for the previous output: the caller signs this one
  if (prev && !prev.content.equals(content.bytes)) unrefValueTx(t, chunkSize, prev.content, del);
  if (!prev || !prev.content.equals(content.bytes)) {
    void t.valueRefs.put(content.bytes, (t.valueRefs.get(content.bytes) ?? 0) + 1);
  }
  const now = Date.now();
  void t.actions.put(recipe.bytes, { content: content.bytes, size, cost, lastAccess: now, inputs });
  const old = t.stats.get(recipe.bytes);
  void t.stats.put(recipe.bytes, { hits: Math.max(old?.hits ?? 0, 1), cost, size, lastAccess: now, clock: clockOf(t) });
}

/** Forgets `recipe`'s output and its proof; the value goes with its last action unless it is a leaf. */
export function removeActionTx(t: Tables, chunkSize: number, recipe: Buffer, del: Deletions): boolean {
  const prev = t.actions.get(recipe);
  if (!prev) return false;
  void t.actions.remove(recipe);
  void t.proofs.remove(recipe);
  unrefValueTx(t, chunkSize, prev.content, del);
  return true;
}

function unrefValueTx(t: Tables, chunkSize: number, content: Buffer, del: Deletions): void {
  const n = (t.valueRefs.get(content) ?? 1) - 1;
  if (n > 0) {
    void t.valueRefs.put(content, n);
    return;
  }
  void t.valueRefs.remove(content);
  if (!t.leaves.doesExist(content)) dropValueTx(t, chunkSize, content, del);
}

/** Deletes a non-leaf value's manifest and drops its chunk references. */
export function dropValueTx(t: Tables, chunkSize: number, content: Buffer, del: Deletions): void {
  const raw = t.values.getBinary(content);
  if (raw === undefined) return;
  void t.values.remove(content);
  refChunks(t, decodeManifest(raw, chunkSize).chunks, 'cache', -1, del);
  del.values.push(content);
}

/** Deletes a leaf: its value stays (as cache) while an action still names it. */
export function dropLeafTx(t: Tables, chunkSize: number, addr: Buffer, del: Deletions): void {
  void t.leaves.remove(addr);
  const raw = t.values.getBinary(addr);
  if (raw === undefined) return;
  const { chunks } = decodeManifest(raw, chunkSize);
  if ((t.valueRefs.get(addr) ?? 0) > 0) return convertRefs(t, chunks, 'cache', del);
  void t.values.remove(addr);
  refChunks(t, chunks, 'leaf', -1, del);
  del.values.push(addr);
}

/** Stores one computed chunk of `recipe`'s output as a partial entry, counting its cost. */
export function putPartialTx(t: Tables, recipe: CAddr, index: number, chunk: Buffer, bytes: Uint8Array, cost: number, del: Deletions): void {
  const key = partialKey(recipe, index);
  if (t.partials.doesExist(key)) return;
  adjustRefs(t, chunk, 0, 1, del, bytes);
  void t.partials.put(key, chunk);
  const old = t.stats.get(recipe.bytes);
  void t.stats.put(recipe.bytes, {
    hits: Math.max(old?.hits ?? 0, 1),
    cost: (old?.cost ?? 0) + cost,
    size: (old?.size ?? 0) + bytes.length,
    lastAccess: Date.now(),
    clock: clockOf(t),
  });
}

/** Drops every partial entry of `recipe`; returns how many there were. */
export function dropPartialsTx(t: Tables, recipe: CAddr, del: Deletions): number {
  const entries = [...t.partials.getRange(partialRange(recipe))];
  for (const { key, value } of entries) {
    void t.partials.remove(key);
    adjustRefs(t, value, 0, -1, del);
  }
  // The statistics (how often it is read) outlive the output; what it held and cost does not.
  const stats = t.stats.get(recipe.bytes);
  if (entries.length > 0 && stats && !t.actions.doesExist(recipe.bytes)) void t.stats.put(recipe.bytes, { ...stats, cost: 0, size: 0 });
  return entries.length;
}

/**
 * Removes recipe `addr` with what it computed (output, partial chunks) and its forward DAG
 * edges (the reverse entries its inputs hold for it too). What points at it is the caller's.
 */
export function forgetRecipeTx(t: Tables, chunkSize: number, addr: Buffer, del: Deletions): void {
  removeActionTx(t, chunkSize, addr, del);
  dropPartialsTx(t, CAddr.fromBytes(addr), del);
  for (const input of [...(t.deps.getValues(addr) as Iterable<Buffer>)]) void t.rdeps.remove(input, addr);
  void t.deps.remove(addr);
  void t.recipes.remove(addr);
}

export function clockOf(t: Tables): number {
  return t.meta.get(GDSF_CLOCK) ?? 0;
}

export type { CacheStats };
