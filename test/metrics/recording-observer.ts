/** An observer that records every event, for assertions on what a layer reported. */
import type { CacheLevel, Materialization, Observer } from '../../src/metrics/observer.js';

export interface Recorded {
  readonly lookups: Array<{ level: CacheLevel; hit: boolean }>;
  readonly materialized: Materialization[];
  readonly invalidations: number[];
  readonly served: Array<{ via: string; bytes: number }>;
  readonly fuseOps: Array<{ op: string; ok: boolean }>;
  readonly rpcs: Array<{ method: string; code: string }>;
}

export function recordingObserver(): { observer: Observer; events: Recorded } {
  const events: Recorded = { lookups: [], materialized: [], invalidations: [], served: [], fuseOps: [], rpcs: [] };
  const observer: Observer = {
    onCacheLookup: (level, hit) => void events.lookups.push({ level, hit }),
    onMaterialized: (m) => void events.materialized.push(m),
    onInvalidation: (n) => void events.invalidations.push(n),
    onEviction: () => {},
    onIntegrityEvent: () => {},
    onBytesServed: (via, bytes) => void events.served.push({ via, bytes }),
    onFuseOp: (op, _s, ok) => void events.fuseOps.push({ op, ok }),
    onRpc: (method, _s, code) => void events.rpcs.push({ method, code }),
  };
  return { observer, events };
}

/** Hits and misses at one level. */
export function tally(events: Recorded, level: CacheLevel): { hits: number; misses: number } {
  const at = events.lookups.filter((l) => l.level === level);
  return { hits: at.filter((l) => l.hit).length, misses: at.filter((l) => !l.hit).length };
}
