/**
 * Prometheus metrics of the real daemon process: started with `--metrics 127.0.0.1:0`, it says
 * where it serves them; puts, recipes, Get and Stat over real gRPC, reads through the real
 * mount by coreutils and an invalidation then move the counters and histograms a scrape over
 * HTTP shows, and the daemon's log names the address and function of each materialization.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { DerivaClient } from '../../src/api/client.js';
import { unixTarget } from '../../src/api/targets.js';
import { runCli, startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';
import { parseExposition } from '../metrics/exposition.js';

const sh = promisify(execFile);

async function getAll(client: DerivaClient, addr: string): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of client.get(addr)) pieces.push(piece);
  return Buffer.concat(pieces);
}

async function scrape(url: string): Promise<Map<string, number>> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`scrape ${url}: HTTP ${res.status}`);
  return parseExposition(await res.text());
}

t.test('a scrape shows the counters and histograms move as the daemon works', async (t) => {
  const d = await startDaemon(t, { args: ['--metrics', '127.0.0.1:0'] });
  const url = /metrics at (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(d.readyLine)?.[1];
  t.ok(url, `the ready line says where: ${d.readyLine}`);
  const client = DerivaClient.connect(unixTarget(join(d.home, 'deriva.sock')));
  t.teardown(() => client.close());
  const before = await scrape(url!);
  const delta = (m: Map<string, number>, series: string) => (m.get(series) ?? 0) - (before.get(series) ?? 0);

  const text = Buffer.from('pear\napple\nfig\n');
  const { addr: leaf } = await client.putLeaf(text);
  const sorted = await client.putRecipe('sort-lines@1', [leaf]);
  const upper = await client.putRecipe('upper@1', [leaf]);
  const viaGet = await getAll(client, sorted);
  t.equal(viaGet.toString(), 'apple\nfig\npear\n');
  const again = await getAll(client, sorted);
  t.same(again, viaGet);
  const path = (addr: string) => join(d.mount!, addr.slice(0, 2), addr);
  const { stdout: viaMount } = await sh('cat', [path(upper), path(leaf)]);
  t.equal(viaMount, 'PEAR\nAPPLE\nFIG\npear\napple\nfig\n');
  await t.rejects(sh('cat', [join(d.mount!, '00', '00'.repeat(32))]), 'a miss through the mount');
  await t.rejects(client.stat('00'.repeat(32)), { code: 'NOT_FOUND' });
  await client.invalidate(leaf);

  const m = await scrape(url!);
  t.equal(delta(m, 'deriva_grpc_seconds_count{method="PutLeaf",code="OK"}'), 1, 'gRPC latency by method');
  t.equal(delta(m, 'deriva_grpc_seconds_count{method="PutRecipe",code="OK"}'), 2);
  t.equal(delta(m, 'deriva_grpc_seconds_count{method="Get",code="OK"}'), 2);
  t.equal(delta(m, 'deriva_grpc_seconds_count{method="Stat",code="NOT_FOUND"}'), 1, '... and status code');
  t.equal(delta(m, 'deriva_served_bytes_total{via="grpc"}'), 2 * viaGet.length, 'bytes served by Get');
  t.equal(delta(m, 'deriva_served_bytes_total{via="fuse"}'), viaMount.length, 'bytes served through the mount');
  t.equal(delta(m, 'deriva_cache_misses_total{level="output"}'), 1, 'the first Get of sort-lines missed');
  t.ok(delta(m, 'deriva_cache_hits_total{level="output"}') >= 1, 'the second hit');
  t.equal(delta(m, 'deriva_cache_misses_total{level="chunk"}'), 1, 'the upper@1 chunk read through the mount missed');
  t.equal(delta(m, 'deriva_materialization_seconds_count{fn="sort-lines@1",kind="whole"}'), 1, 'materialization latency by function');
  t.equal(delta(m, 'deriva_materialization_seconds_count{fn="upper@1",kind="chunk"}'), 1);
  t.equal(delta(m, 'deriva_materialization_seconds_count{fn="upper@1",kind="promotion"}'), 1);
  t.equal(delta(m, 'deriva_computed_bytes_total{fn="sort-lines@1"}'), text.length, 'bytes computed');
  t.equal(delta(m, 'deriva_computed_bytes_total{fn="upper@1"}'), text.length);
  t.equal(delta(m, 'deriva_invalidations_total'), 1, 'invalidations');
  t.equal(delta(m, 'deriva_invalidated_outputs_total'), 2);
  t.ok(delta(m, 'deriva_fuse_op_seconds_count{op="read",result="ok"}') >= 2, 'FUSE op latency by op');
  t.ok(delta(m, 'deriva_fuse_op_seconds_count{op="getattr",result="error"}') >= 1, '... and result');
  t.equal(m.get('deriva_evictions_total'), 0, 'evictions are exported (none happen yet)');
  t.ok(m.has('nodejs_eventloop_lag_seconds') && m.has('process_resident_memory_bytes'), 'default process metrics');

  t.equal(await d.stop(), 0, 'stops cleanly with the metrics server open');
  const log = (await readFile(join(d.home, 'daemon.log'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
  t.match(log.find((l) => l.msg === 'materialized' && l.fn === 'sort-lines@1'), { level: 30, addr: sorted, kind: 'whole', bytes: text.length, ms: Number });
  t.match(log.find((l) => l.msg.startsWith('materialized: ') && l.fn === 'upper@1'), { addr: upper, kind: 'promotion', bytes: text.length });
  t.match(log.find((l) => l.msg === 'daemon ready'), { metrics: url });
});

t.test('--metrics that is not HOST:PORT is a usage error; a taken port fails the start', async (t) => {
  const home = await tempDir(t);
  const bad = await runCli(home, ['daemon', '--metrics', '9464']);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /--metrics '9464' is not HOST:PORT/);
  const first = await startDaemon(t, { mount: false, args: ['--metrics', '127.0.0.1:0'] });
  const taken = /metrics at http:\/\/([^/]+)\/metrics/.exec(first.readyLine)![1]!;
  const second = await runCli(home, ['daemon', '--metrics', taken]);
  t.equal(second.code, 1);
  t.match(second.stderr, new RegExp(`cannot serve metrics on ${taken}`));
  t.equal(second.stderr.trim().split('\n').length, 1, 'one line on stderr');
});
