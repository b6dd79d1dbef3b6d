/**
 * The cache budget on a real LMDB store and worker pool: eviction keeps what is on disk within
 * the budget, an evicted output recomputes with the same bytes, partial outputs count, chunks
 * shared with leaves survive, and statistics survive a restart.
 */
import t from 'tap';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { ParamValue } from '../../src/core/recipe.js';
import { Engine } from '../../src/engine/engine.js';
import { createEngine, pseudoRandom, tempDir } from '../helpers/temp.js';

const CS = 4096;
const str = (value: string): ParamValue => ({ type: 'string', value });
const replace = (from: string, to: string) => new Map([['from', str(from)], ['to', str(to)]]);
const fn = parseFunctionId;

t.test('a workload computing 3x the budget leaves cached bytes within it; evicted outputs recompute', async (t) => {
  const budget = 3 * 8 * CS; // three 32 KiB outputs
  const engine = await createEngine(t, { chunkSize: CS, cacheSize: budget });
  const texts = Array.from({ length: 9 }, (_, i) => pseudoRandom(8 * CS, i + 1));
  const leaves = [];
  for (const text of texts) leaves.push(await engine.put(text));
  // sort-lines is a whole function: its output is recorded before the read returns.
  const recipes = await Promise.all(leaves.map((leaf) => engine.putRecipe(fn('sort-lines@1'), [leaf], new Map())));
  const first = [];
  for (const r of recipes) {
    first.push(await engine.read(r));
    t.ok(engine.status().cachedBytes <= budget + CS, `after computing ${first.length}: ${engine.status().cachedBytes} <= ${budget} + ${CS}`);
  }
  const s = engine.status();
  t.ok(s.evictions >= 6, `at least 6 of 9 outputs evicted (${s.evictions})`);
  t.ok(s.cachedBytes > 0, 'the cache is used');
  for (const [i, leaf] of leaves.entries()) t.same(await engine.read(leaf), texts[i], `leaf ${i} is never evicted`);

  const before = engine.status().computations;
  for (const [i, r] of recipes.entries()) t.same(await engine.read(r), first[i], `output ${i} reads the same after eviction`);
  t.ok(engine.status().computations - before >= 6, 'evicted outputs were recomputed');
  t.ok(engine.status().cachedBytes <= budget + CS, 'still within the budget');
});

t.test('a streaming output counts once its run has recorded it', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS, cacheSize: 8 * CS });
  const leaf = await engine.put(pseudoRandom(8 * CS, 3));
  for (const from of ['A', 'B', 'C']) {
    await engine.read(await engine.putRecipe(fn('replace@1'), [leaf], replace(from, '-')));
    await engine.settled();
    t.ok(engine.status().cachedBytes <= 8 * CS + CS, `within the budget (${engine.status().cachedBytes})`);
  }
  t.ok(engine.status().evictions >= 1);
});

t.test('partial outputs count against the budget and are evicted too', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS, cacheSize: 4 * CS });
  const leaf = await engine.put(pseudoRandom(64 * CS, 5));
  const up = await engine.putRecipe(fn('upper@1'), [leaf], new Map());
  const low = await engine.putRecipe(fn('lower@1'), [leaf], new Map());
  for (const i of [1, 5, 9]) await engine.read(up, i * CS + 10, 100);
  await engine.settled();
  t.equal(engine.info(up).state, 'partial');
  t.equal(engine.status().cachedBytes, 3 * CS, 'three computed chunks are three chunks of cache');
  for (const i of [2, 6, 10]) await engine.read(low, i * CS + 10, 100);
  await engine.settled();
  t.ok(engine.status().cachedBytes <= 4 * CS, `within the budget (${engine.status().cachedBytes})`);
  t.ok(engine.status().evictions >= 1, 'a partial output was evicted');
  const again = await engine.read(up, 5 * CS + 10, 100);
  const source = await engine.read(leaf, 5 * CS + 10, 100);
  t.same(again, source.map((b) => (b >= 97 && b <= 122 ? b - 32 : b)), 'an evicted partial chunk recomputes right');
});

t.test('evicting an output never deletes chunks a leaf shares with it', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS, cacheSize: CS });
  const text = pseudoRandom(6 * CS, 7);
  const leaf = await engine.put(text);
  // identity's output is the leaf's bytes: every chunk shared, nothing is cache only.
  const same = await engine.putRecipe(fn('identity@1'), [leaf], new Map());
  await engine.materialize(same);
  t.equal(engine.status().cachedBytes, 0, 'chunks shared with a leaf are not cached bytes');
  const other = await engine.putRecipe(fn('replace@1'), [leaf], replace('Z', 'z'));
  await engine.read(other);
  await engine.settled(); // a streaming output is recorded once its run ends
  await engine.invalidate(other);
  t.equal(engine.status().cachedBytes, 0, 'invalidating frees what only the output held');
  t.same(await engine.read(leaf), text, 'the leaf reads whole');
});

t.test('statistics survive a restart and steer eviction after it', async (t) => {
  const dir = await tempDir(t);
  const text = pseudoRandom(8 * CS, 9);
  let hot, cold;
  {
    const engine = Engine.open({ storeDir: dir, chunkSize: CS, threads: 1 });
    const leaf = await engine.put(text);
    hot = await engine.putRecipe(fn('replace@1'), [leaf], replace('A', '-'));
    cold = await engine.putRecipe(fn('replace@1'), [leaf], replace('B', '-'));
    await engine.read(cold);
    // Read far more often than timing noise in the two costs could outweigh.
    for (let i = 0; i < 100; i++) await engine.read(hot);
    await engine.settled(); // streaming outputs are recorded once their runs end
    await engine.close(); // flushes the batched statistics
  }
  const engine = Engine.open({ storeDir: dir, chunkSize: CS, threads: 1, cacheSize: 20 * CS }); // room for two of the three outputs
  t.teardown(() => engine.close());
  t.ok(engine.status().cachedBytes >= 16 * CS, 'both outputs are still cached after the restart');
  const leaf = await engine.put(text); // already stored: the same leaf
  const third = await engine.putRecipe(fn('replace@1'), [leaf], replace('C', '-'));
  // Read often enough that neither cost's timing noise (each of `cold` and `third` was its
  // engine's first computation) can rank `third` below `cold`.
  for (let i = 0; i < 30; i++) await engine.read(third);
  await engine.settled(); // recorded, over budget: one of the three must go
  t.equal(engine.info(hot).state, 'materialized', 'the output read 100 times stays');
  t.equal(engine.info(cold).state, 'not-materialized', 'the output read once goes');
  t.equal(engine.info(third).state, 'materialized', 'the output read 30 times stays');
});
