/**
 * What a real engine (LMDB in a temp dir, real worker pool) reports to its observer: cache
 * hits and misses at output and chunk level, one event per materialization with its address,
 * function, duration and size, and invalidations.
 */
import t from 'tap';
import { parseFunctionId } from '../../src/core/function-id.js';
import { fanOut, noopObserver } from '../../src/metrics/observer.js';
import { createEngine, pseudoRandom } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';
import { recordingObserver, tally } from './recording-observer.js';

const CHUNK = 4096;

t.test('a whole computation: a miss computes once, later reads hit', async (t) => {
  const { observer, events } = recordingObserver();
  const engine = await createEngine(t, { observer });
  const leaf = await engine.put(Buffer.from('pear\napple\nfig\n'));
  const sorted = await engine.putRecipe(parseFunctionId('sort-lines@1'), [leaf], new Map());
  t.equal(events.lookups.length, 0, 'registering looks nothing up');

  t.equal((await engine.read(sorted)).toString(), 'apple\nfig\npear\n');
  t.same(tally(events, 'output').misses, 1, 'the first read missed');
  t.equal(events.materialized.length, 1);
  const [m] = events.materialized;
  t.match(m, { addr: sorted.hex, fn: 'sort-lines@1', kind: 'whole', bytes: 15 });
  t.ok(m!.seconds > 0, 'with its duration');

  const before = tally(events, 'output');
  await engine.read(sorted);
  t.equal(tally(events, 'output').misses, before.misses, 'no new miss');
  t.ok(tally(events, 'output').hits > before.hits, 'the second read hit');
  t.equal(events.materialized.length, 1, 'nothing computed again');
  t.same(tally(events, 'chunk'), { hits: 0, misses: 0 }, 'no chunk lookups for a whole function');
});

t.test('a streaming output: its reads miss while it runs, and the recorded output is one materialization', async (t) => {
  const { observer, events } = recordingObserver();
  const engine = await createEngine(t, { observer });
  const leaf = await engine.put(Buffer.from('abc'));
  const digest = await engine.putRecipe(parseFunctionId('sha256@1'), [leaf], new Map());
  t.equal((await engine.read(digest)).toString(), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n');
  t.ok(tally(events, 'output').misses >= 1, 'the first read missed');
  await waitFor(() => events.materialized.length > 0, { what: 'the run to record its output' });
  t.match(events.materialized, [{ addr: digest.hex, fn: 'sha256@1', kind: 'whole', bytes: 65 }], 'recorded once, when the run ends');
  const before = tally(events, 'output');
  await engine.read(digest);
  t.equal(tally(events, 'output').misses, before.misses, 'a read of the recorded output does not miss');
  t.equal(events.materialized.length, 1);
});

t.test('a chunkwise output: chunk misses then hits, and one promotion once all are computed', async (t) => {
  const { observer, events } = recordingObserver();
  const engine = await createEngine(t, { observer, chunkSize: CHUNK });
  const size = 3 * CHUNK + 100;
  const leaf = await engine.put(pseudoRandom(size, 3));
  const up = await engine.putRecipe(parseFunctionId('upper@1'), [leaf], new Map());

  await engine.read(up, CHUNK + 10, 20);
  t.same(tally(events, 'chunk'), { hits: 0, misses: 1 }, 'one chunk missed');
  t.match(events.materialized, [{ addr: up.hex, fn: 'upper@1', kind: 'chunk', chunk: 1, bytes: CHUNK }]);

  await engine.read(up, CHUNK + 100, 20);
  t.same(tally(events, 'chunk'), { hits: 1, misses: 1 }, 'the same chunk then hit');

  await engine.read(up);
  t.same(tally(events, 'chunk'), { hits: 2, misses: 4 }, 'a whole read: chunk 1 hit, three missed');
  const kinds = events.materialized.map((e) => `${e.kind}${e.chunk ?? ''}`).sort();
  t.same(kinds, ['chunk0', 'chunk1', 'chunk2', 'chunk3', 'promotion']);
  t.match(events.materialized.find((e) => e.kind === 'promotion'), { addr: up.hex, fn: 'upper@1', bytes: size });
  t.equal(events.materialized.find((e) => e.chunk === 3)!.bytes, 100, 'the last chunk is short');

  const before = tally(events, 'output');
  await engine.read(up, 0, 10);
  t.equal(tally(events, 'output').hits, before.hits + 1, 'the promoted output then hits whole');
});

t.test('invalidations report how many outputs they forgot', async (t) => {
  const { observer, events } = recordingObserver();
  const engine = await createEngine(t, { observer });
  const leaf = await engine.put(Buffer.from('b\na\n'));
  const sorted = await engine.putRecipe(parseFunctionId('sort-lines@1'), [leaf], new Map());
  const upper = await engine.putRecipe(parseFunctionId('upper@1'), [sorted], new Map());
  t.equal((await engine.read(upper)).toString(), 'A\nB\n'); // the read completing it waits for its promotion
  const { evicted } = await engine.invalidate(leaf);
  t.equal(evicted, 2);
  t.same(events.invalidations, [2]);
  t.same((await engine.invalidate(leaf)).evicted, 0);
  t.same(events.invalidations, [2, 0], 'an invalidation that forgets nothing is still one');
});

t.test('fanOut hands each event to every observer that listens for it', async (t) => {
  const a = recordingObserver();
  const seen: number[] = [];
  const both = fanOut(a.observer, { onInvalidation: (n) => seen.push(n) });
  both.onInvalidation(3);
  both.onCacheLookup('chunk', true);
  t.same(a.events.invalidations, [3]);
  t.same(seen, [3]);
  t.same(a.events.lookups, [{ level: 'chunk', hit: true }], 'events the partial one ignores still reach the other');
  t.doesNotThrow(() => noopObserver.onMaterialized({ addr: 'x', fn: 'f@1', kind: 'whole', seconds: 0, bytes: 0 }));
});
