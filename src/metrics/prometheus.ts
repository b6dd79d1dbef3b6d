/**
 * The daemon's Prometheus metrics (prom-client): an {@link Observer} that turns the layers'
 * reports into counters and histograms in a registry of its own, plus the default Node.js
 * process metrics (CPU, memory, event-loop lag, GC). Names follow Prometheus conventions:
 * `_total` counters, `_seconds` and `_bytes` units.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Observer } from './observer.js';

/** Latency buckets (seconds) from a cached FUSE op (~50 µs) to a long computation (~2 min). */
const LATENCY_BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 120];

export interface Metrics {
  readonly registry: Registry;
  readonly observer: Observer;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const hits = new Counter({ name: 'deriva_cache_hits_total', help: 'Reads of a recipe output (level=output) or output chunk (level=chunk) that found it stored', labelNames: ['level'], registers });
  const misses = new Counter({ name: 'deriva_cache_misses_total', help: 'Reads of a recipe output or output chunk that had to compute it', labelNames: ['level'], registers });
  const materialization = new Histogram({
    name: 'deriva_materialization_seconds',
    help: 'Time to materialize, by function and kind (whole output, one chunk, promotion of computed chunks)',
    labelNames: ['fn', 'kind'],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const computed = new Counter({ name: 'deriva_computed_bytes_total', help: 'Output bytes produced by functions', labelNames: ['fn'], registers });
  const served = new Counter({ name: 'deriva_served_bytes_total', help: 'Bytes served to readers, through the mount (via=fuse) or gRPC Get (via=grpc)', labelNames: ['via'], registers });
  const evictions = new Counter({ name: 'deriva_evictions_total', help: 'Cached outputs evicted by the cache collector', registers });
  const evictedBytes = new Counter({ name: 'deriva_evicted_bytes_total', help: 'Bytes of cached outputs evicted', registers });
  const invalidations = new Counter({ name: 'deriva_invalidations_total', help: 'Invalidate requests served', registers });
  const invalidated = new Counter({ name: 'deriva_invalidated_outputs_total', help: 'Cached outputs forgotten by invalidations', registers });
  const integrity = new Counter({ name: 'deriva_integrity_events_total', help: 'Integrity events, by kind', labelNames: ['kind'], registers });
  const fuseOps = new Histogram({ name: 'deriva_fuse_op_seconds', help: 'FUSE op latency, by op and result (ok or error)', labelNames: ['op', 'result'], buckets: LATENCY_BUCKETS, registers });
  const rpcs = new Histogram({ name: 'deriva_grpc_seconds', help: 'gRPC call latency, by method and status code', labelNames: ['method', 'code'], buckets: LATENCY_BUCKETS, registers });

  // Counters whose label values are known up front start at 0, so a scrape shows them before
  // the first event (and rate() sees the first increment).
  for (const level of ['output', 'chunk']) {
    hits.inc({ level }, 0);
    misses.inc({ level }, 0);
  }
  for (const via of ['fuse', 'grpc']) served.inc({ via }, 0);

  const observer: Observer = {
    onCacheLookup: (level, hit) => (hit ? hits : misses).inc({ level }),
    onMaterialized: (m) => {
      materialization.observe({ fn: m.fn, kind: m.kind }, m.seconds);
      if (m.kind !== 'promotion') computed.inc({ fn: m.fn }, m.bytes); // promotion produces no new bytes
    },
    onInvalidation: (outputs) => {
      invalidations.inc();
      invalidated.inc(outputs);
    },
    onEviction: (bytes) => {
      evictions.inc();
      evictedBytes.inc(bytes);
    },
    onIntegrityEvent: (kind) => integrity.inc({ kind }),
    onFuseOp: (op, seconds, ok) => fuseOps.observe({ op, result: ok ? 'ok' : 'error' }, seconds),
    onBytesServed: (via, bytes) => served.inc({ via }, bytes),
    onRpc: (method, seconds, code) => rpcs.observe({ method, code }, seconds),
  };
  return { registry, observer };
}
