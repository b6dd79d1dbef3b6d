/**
 * The Prometheus side: observer events become the named counters and histograms (including
 * evictions and integrity events, which other branches will report), the default process
 * metrics are there, and the HTTP endpoint serves them to a real HTTP client.
 */
import t from 'tap';
import { parseHostPort, serveMetrics } from '../../src/metrics/http.js';
import { createMetrics } from '../../src/metrics/prometheus.js';
import { parseExposition } from './exposition.js';

t.test('every observer event moves its metric', async (t) => {
  const { registry, observer } = createMetrics();
  const before = parseExposition(await registry.metrics());
  t.equal(before.get('deriva_cache_hits_total{level="output"}'), 0, 'known series start at 0');
  t.equal(before.get('deriva_evictions_total'), 0);

  observer.onCacheLookup('output', true);
  observer.onCacheLookup('chunk', false);
  observer.onCacheLookup('chunk', false);
  observer.onMaterialized({ addr: 'a', fn: 'upper@1', kind: 'chunk', chunk: 0, seconds: 0.003, bytes: 4096 });
  observer.onMaterialized({ addr: 'a', fn: 'upper@1', kind: 'promotion', seconds: 0.2, bytes: 8192 });
  observer.onBytesServed('fuse', 100);
  observer.onBytesServed('grpc', 7);
  observer.onEviction(1000);
  observer.onEviction(24);
  observer.onInvalidation(3);
  observer.onIntegrityEvent('corrupt-chunk');
  observer.onFuseOp('read', 0.0002, true);
  observer.onFuseOp('getattr', 0.00005, false);
  observer.onRpc('Get', 0.02, 'OK');
  observer.onRpc('Stat', 0.001, 'NOT_FOUND');

  const m = parseExposition(await registry.metrics());
  t.equal(m.get('deriva_cache_hits_total{level="output"}'), 1);
  t.equal(m.get('deriva_cache_misses_total{level="chunk"}'), 2);
  t.equal(m.get('deriva_materialization_seconds_count{fn="upper@1",kind="chunk"}'), 1);
  t.equal(m.get('deriva_materialization_seconds_count{fn="upper@1",kind="promotion"}'), 1);
  t.equal(m.get('deriva_materialization_seconds_bucket{le="0.005",fn="upper@1",kind="chunk"}'), 1, 'in the right bucket');
  t.equal(m.get('deriva_computed_bytes_total{fn="upper@1"}'), 4096, 'a promotion produces no new bytes');
  t.equal(m.get('deriva_served_bytes_total{via="fuse"}'), 100);
  t.equal(m.get('deriva_served_bytes_total{via="grpc"}'), 7);
  t.equal(m.get('deriva_evictions_total'), 2);
  t.equal(m.get('deriva_evicted_bytes_total'), 1024);
  t.equal(m.get('deriva_invalidations_total'), 1);
  t.equal(m.get('deriva_invalidated_outputs_total'), 3);
  t.equal(m.get('deriva_integrity_events_total{kind="corrupt-chunk"}'), 1);
  t.equal(m.get('deriva_fuse_op_seconds_count{op="read",result="ok"}'), 1);
  t.equal(m.get('deriva_fuse_op_seconds_count{op="getattr",result="error"}'), 1);
  t.equal(m.get('deriva_grpc_seconds_count{method="Stat",code="NOT_FOUND"}'), 1);
  t.ok(m.has('nodejs_eventloop_lag_seconds'), 'default metrics: event-loop lag');
  t.ok(m.has('process_cpu_user_seconds_total'), 'default metrics: process CPU');
});

t.test('the endpoint serves /metrics over HTTP and nothing else', async (t) => {
  const { registry, observer } = createMetrics();
  const server = await serveMetrics(registry, '127.0.0.1:0');
  t.teardown(() => server.close());
  t.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/, 'the bound port is reported');
  observer.onEviction(5);
  const res = await fetch(server.url);
  t.equal(res.status, 200);
  t.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  t.equal(parseExposition(await res.text()).get('deriva_evicted_bytes_total'), 5);
  const other = await fetch(server.url.replace('/metrics', '/'));
  t.equal(other.status, 404);
  await other.text();
});

t.test('HOST:PORT is parsed, and a bad one or a taken port is a clear error', async (t) => {
  t.same(parseHostPort('0.0.0.0:9464'), { host: '0.0.0.0', port: 9464 });
  t.same(parseHostPort('[::1]:0'), { host: '::1', port: 0 });
  t.throws(() => parseHostPort('9464'), /'9464' is not HOST:PORT/);
  t.throws(() => parseHostPort('localhost:70000'), /not HOST:PORT/);
  const { registry } = createMetrics();
  const first = await serveMetrics(registry, '127.0.0.1:0');
  t.teardown(() => first.close());
  const taken = new URL(first.url).host;
  await t.rejects(serveMetrics(registry, taken), { message: new RegExp(`cannot serve metrics on ${taken}: .*EADDRINUSE`) });
});
