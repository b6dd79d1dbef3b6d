/**
 * Evictions reach the metrics observer: the cache budget reports each evicted output once, with
 * its size, and a scrape of the Prometheus registry sees the eviction counters move.
 */
import t from 'tap';
import { parseFunctionId } from '../../src/core/function-id.js';
import { fanOut } from '../../src/metrics/observer.js';
import { createMetrics } from '../../src/metrics/prometheus.js';
import { createEngine, pseudoRandom } from '../helpers/temp.js';
import { parseExposition } from './exposition.js';

const CS = 4096;

t.test('each eviction is observed once with its size; a scrape shows the counters move', async (t) => {
  const { registry, observer: metrics } = createMetrics();
  const evicted: number[] = [];
  const observer = fanOut(metrics, { onEviction: (bytes) => void evicted.push(bytes) });
  const budget = 2 * 8 * CS; // two 32 KiB outputs
  const engine = await createEngine(t, { chunkSize: CS, cacheSize: budget, observer });
  const before = parseExposition(await registry.metrics());
  t.equal(before.get('deriva_evictions_total'), 0);
  t.equal(before.get('deriva_evicted_bytes_total'), 0);

  const leaves = [];
  for (let i = 0; i < 5; i++) leaves.push(await engine.put(pseudoRandom(8 * CS, 40 + i)));
  // sort-lines is a whole function: its output is recorded before the read returns.
  const sizes = new Set<number>();
  for (const leaf of leaves) sizes.add((await engine.read(await engine.putRecipe(parseFunctionId('sort-lines@1'), [leaf], new Map()))).length);
  await engine.settled();

  const n = engine.status().evictions;
  t.ok(n >= 3, `at least 3 of 5 outputs evicted (${n})`);
  t.equal(evicted.length, n, 'one event per evicted output');
  t.equal(sizes.size, 1, 'outputs of one size');
  const [size] = sizes;
  t.same(evicted, evicted.map(() => size), 'each with the size of its output');
  const m = parseExposition(await registry.metrics());
  t.equal(m.get('deriva_evictions_total'), n, 'the scrape counts them');
  t.equal(m.get('deriva_evicted_bytes_total'), n * size!, 'and their bytes');
});

t.test('no budget, no eviction events', async (t) => {
  const evicted: number[] = [];
  const engine = await createEngine(t, { chunkSize: CS, observer: fanOut({ onEviction: (b) => void evicted.push(b) }) });
  const leaf = await engine.put(pseudoRandom(8 * CS, 50));
  await engine.read(await engine.putRecipe(parseFunctionId('sort-lines@1'), [leaf], new Map()));
  await engine.settled();
  t.same(evicted, []);
  t.equal(engine.status().evictions, 0);
});
