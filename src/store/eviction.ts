/**
 * Cache eviction and access statistics, inside LMDB write transactions. Eviction takes cached
 * outputs (whole, or partial) in the order a policy scores them, lowest first, until the
 * cached-bytes counter is within the budget; what it drops is exactly what stops being
 * referenced (chunk-refs.ts), so the counter measures what is on disk.
 */
import { CAddr } from '../core/caddr.js';
import { type Deletions } from './chunk-refs.js';
import { partialRange } from './partials.js';
import { CACHED_BYTES, GDSF_CLOCK, type CacheStats, type Tables } from './tables.js';
import { clockOf, dropPartialsTx, removeActionTx } from './value-ops.js';

/** How cached outputs are ranked for eviction: the lowest score goes first. */
export interface EvictionPolicy {
  readonly name: string;
  score(stats: CacheStats): number;
  /** GDSF ages entries by raising the clock to the score of each evicted one; LRU does not. */
  readonly inflates: boolean;
}

/** Reads since the last flush, per recipe (keyed by raw address as latin1). */
export type PendingReads = Map<string, { reads: number; lastAccess: number }>;

/** Applies batched read statistics. */
export function flushReadsTx(t: Tables, pending: PendingReads): void {
  const clock = clockOf(t);
  for (const [key, { reads, lastAccess }] of pending) {
    const addr = Buffer.from(key, 'latin1');
    // Reads may come before the output is recorded (a streaming run read as it grows).
    const old = t.stats.get(addr) ?? { hits: 0, cost: 0, size: 0, lastAccess, clock };
    void t.stats.put(addr, { ...old, hits: old.hits + reads, lastAccess: Math.max(old.lastAccess, lastAccess), clock });
  }
}

/** An evicted output and the bytes it held (a whole output's size, or its partial chunks'). */
export interface Evicted {
  readonly addr: CAddr;
  readonly size: number;
}

/** Outputs evicted, in eviction order. */
export function evictTx(
  t: Tables, chunkSize: number, budget: number, policy: EvictionPolicy, busy: ReadonlySet<string>, del: Deletions,
): Evicted[] {
  const over = () => (t.meta.get(CACHED_BYTES) ?? 0) > budget;
  if (!over()) return [];
  const candidates: Array<{ addr: Buffer; score: number; size: number }> = [];
  for (const { key, value } of t.stats.getRange({})) {
    if (busy.has(key.toString('hex')) || !holdsCache(t, key)) continue;
    candidates.push({ addr: Buffer.from(key), score: policy.score(value), size: value.size });
  }
  candidates.sort((a, b) => a.score - b.score);
  const evicted: Evicted[] = [];
  let clock = clockOf(t);
  for (const c of candidates) {
    if (!over()) break;
    const addr = CAddr.fromBytes(c.addr);
    const size = t.actions.get(c.addr)?.size ?? c.size;
    removeActionTx(t, chunkSize, c.addr, del);
    dropPartialsTx(t, addr, del);
    evicted.push({ addr, size });
    clock = Math.max(clock, c.score);
  }
  if (policy.inflates) void t.meta.put(GDSF_CLOCK, clock);
  return evicted;
}

function holdsCache(t: Tables, recipe: Buffer): boolean {
  if (t.actions.doesExist(recipe)) return true;
  for (const _ of t.partials.getKeys({ ...partialRange(CAddr.fromBytes(recipe)), limit: 1 })) return true;
  return false;
}
