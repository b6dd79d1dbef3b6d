/**
 * Garbage collection on a real store and pool: a dry run reports what a real run deletes and
 * deletes nothing; roots (pins) keep their whole DAG and its cached outputs; writes made between
 * mark and sweep survive; chunks of an interrupted write are reclaimed.
 */
import t from 'tap';
import type { CAddr } from '../../src/core/caddr.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { ParamValue } from '../../src/core/recipe.js';
import { Engine } from '../../src/engine/engine.js';
import { ValueWriter } from '../../src/store/value-writer.js';
import { Store } from '../../src/store/store.js';
import { createEngine, pseudoRandom, tempDir } from '../helpers/temp.js';

const CS = 4096;
/** Function runs and chunks computed so far. */
const work = (engine: Engine) => engine.status().computations + engine.status().chunksComputed;
const fn = parseFunctionId;
const replace = (from: string, to: string) =>
  new Map<string, ParamValue>([['from', { type: 'string', value: from }], ['to', { type: 'string', value: to }]]);

t.test('gc --dry-run reports exactly what gc then deletes; roots keep their DAG and outputs', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS });
  const kept = pseudoRandom(3 * CS, 1);
  const pinned = await engine.put(kept);
  const looseBytes = pseudoRandom(2 * CS + 7, 2);
  for (let at = 0; at < looseBytes.length; at += CS) looseBytes[at] = 0x61; // every output chunk differs
  const loose = await engine.put(looseBytes, { pin: false });
  const keptRecipe = await engine.putRecipe(fn('replace@1'), [pinned], replace('a', 'b'));
  const keptOut = await engine.read(keptRecipe);
  const looseRecipe = await engine.putRecipe(fn('replace@1'), [loose], replace('a', 'b'), { pin: false });
  await engine.read(looseRecipe);
  const inner = await engine.putRecipe(fn('upper@1'), [pinned], new Map(), { pin: false });
  const outer = await engine.putRecipe(fn('sha256@1'), [inner], new Map());
  const outerOut = await engine.read(outer);
  await engine.settled(); // streaming outputs are recorded once their runs end
  const before = engine.status();

  const dry = await engine.gc({ dryRun: true });
  t.match(dry, { leaves: 1, recipes: 1 }, 'the unpinned leaf and the recipe over it');
  t.equal(dry.chunks, 3 + 3, 'the leaf chunks and the output chunks');
  t.equal(dry.bytes, 2 * (2 * CS + 7));
  t.same(engine.status(), before, 'a dry run deletes nothing');

  const real = await engine.gc();
  t.same(real, dry, 'the real run deletes what the dry run reported');
  const after = engine.status();
  t.equal(after.leaves, before.leaves - 1);
  t.equal(after.recipes, before.recipes - 1);
  t.equal(after.chunks, before.chunks - 6);
  t.throws(() => engine.info(loose), { code: 'NOT_FOUND' });
  t.throws(() => engine.info(looseRecipe), { code: 'NOT_FOUND' });
  t.same(await engine.read(pinned), kept, 'a pinned leaf stays');
  t.equal(engine.info(keptRecipe).state, 'materialized', 'a pinned recipe keeps its cached output');
  t.same(await engine.read(keptRecipe), keptOut);
  t.equal(engine.info(inner).state, 'materialized', 'an unpinned input of a pinned recipe stays, with its output');
  t.same(await engine.read(outer), outerOut);
  t.same(await engine.gc(), { leaves: 0, recipes: 0, chunks: 0, bytes: 0 }, 'a second run finds nothing');

  t.equal(await engine.unpin(pinned), true);
  t.equal(await engine.unpin(keptRecipe), true);
  t.equal(await engine.unpin(outer), true);
  const all = await engine.gc();
  t.match(all, { leaves: 1, recipes: 3 }, 'unpinned, everything goes');
  t.equal(engine.status().chunks, 0, 'no chunk is left');
  t.equal(engine.status().cachedBytes, 0, 'and no cached byte');
});

t.test('writes made between mark and sweep survive the sweep', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS });
  const oldBytes = pseudoRandom(2 * CS, 3);
  const old = await engine.put(oldBytes, { pin: false }); // garbage at mark time
  const garbage = await engine.put(pseudoRandom(CS, 4), { pin: false });
  const fresh = pseudoRandom(3 * CS + 1, 5);
  let during: { leaf: CAddr; recipe: CAddr; out: Buffer; unpinned: CAddr; upOut: Buffer; work: number } | undefined;
  const report = await engine.gc({
    afterMark: async () => {
      const leaf = await engine.put(fresh); // put and pinned
      const recipe = await engine.putRecipe(fn('replace@1'), [leaf], replace('x', 'y')); // registered...
      const out = await engine.read(recipe); // ...and computed
      await engine.pin(old); // an old leaf pinned after the mark
      // A new unpinned recipe over the old leaf: it must not be left with a missing input.
      const unpinned = await engine.putRecipe(fn('upper@1'), [old], new Map(), { pin: false });
      const upOut = await engine.read(unpinned);
      await engine.settled();
      during = { leaf, recipe, out, unpinned, upOut, work: work(engine) };
    },
  });
  t.ok(during, 'the hook ran');
  t.match(report, { leaves: 1, recipes: 0 }, 'only the leaf that was garbage all along went');
  t.throws(() => engine.info(garbage), { code: 'NOT_FOUND' });
  t.same(await engine.read(during!.leaf), fresh, 'the leaf put meanwhile is whole');
  t.equal(engine.info(during!.recipe).state, 'materialized', 'the output computed meanwhile is kept');
  t.same(await engine.read(during!.recipe), during!.out);
  t.same(await engine.read(old), oldBytes, 'the leaf pinned meanwhile is whole');
  t.same(await engine.read(during!.unpinned), during!.upOut, 'the recipe registered meanwhile is kept, with its output');
  t.equal(work(engine), during!.work, 'nothing had to be recomputed');
});

t.test('chunks of an interrupted upload are reclaimed at once, or by gc after a crash', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS });
  async function* broken(): AsyncGenerator<Uint8Array> {
    yield pseudoRandom(5 * CS, 6);
    throw new Error('client went away');
  }
  await t.rejects(engine.put(broken()), { message: 'client went away' });
  t.equal(engine.status().chunks, 0, 'a failed put gives its chunks back');
  await engine.close();

  // A writer whose value is never recorded (the daemon killed mid-upload) leaves the references
  // of the chunks it wrote. (Chunks still in memory, not yet written in a group, leave nothing:
  // finish() writes them all, so that this crash leaves as much as one can.)
  const dir = await tempDir(t);
  const store = Store.open(dir, { chunkSize: CS });
  const writer = new ValueWriter(store, 'leaf');
  await writer.write(pseudoRandom(4 * CS, 7));
  await writer.finish();
  await store.flushed();
  t.equal(store.stats().chunks, 4);
  await store.close();
  const reopened = Engine.open({ storeDir: dir, threads: 1 });
  t.teardown(() => reopened.close());
  const report = await reopened.gc();
  t.match(report, { leaves: 0, recipes: 0, chunks: 4, bytes: 4 * CS }, 'gc reclaims them');
  t.equal(reopened.status().chunks, 0);
});
