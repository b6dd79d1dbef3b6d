/**
 * Eviction policies. GDSF (Greedy-Dual-Size-Frequency, Cherkasova 1998) scores an output by
 * clock + frequency x cost / size: what is cheap to recompute, large and rarely read goes
 * first, and the clock (raised to each evicted score) ages what has not been read for a while.
 * LRU, for comparison, scores by the time of the last read only.
 */
import type { EvictionPolicy } from '../store/eviction.js';
import type { CacheStats } from '../store/tables.js';

export type PolicyName = 'gdsf' | 'lru';
export const POLICY_NAMES: readonly PolicyName[] = ['gdsf', 'lru'];

/**
 * Floor of an output's cost in milliseconds: timings of cheap functions are mostly noise, and a
 * zero cost would make frequency count for nothing.
 */
const MIN_COST_MS = 0.01;

const gdsf: EvictionPolicy = {
  name: 'gdsf',
  inflates: true,
  score: (s: CacheStats) => s.clock + (Math.max(s.hits, 1) * Math.max(s.cost, MIN_COST_MS)) / Math.max(s.size, 1),
};

const lru: EvictionPolicy = {
  name: 'lru',
  inflates: false,
  score: (s: CacheStats) => s.lastAccess,
};

export function evictionPolicy(name: PolicyName): EvictionPolicy {
  return name === 'gdsf' ? gdsf : lru;
}
