/**
 * Garbage collection with refs: the address a ref is bound to is a root, and marking follows a
 * recipe's inputs given as refs to their current bindings, so a recipe over `ref:NAME` never
 * loses its bound input (nor its cached output), whether or not anything pins them.
 */
import t from 'tap';
import { CAddr } from '../../src/core/caddr.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { RecipeInput } from '../../src/core/recipe.js';
import { Store } from '../../src/store/store.js';
import { ValueWriter } from '../../src/store/value-writer.js';
import { createEngine, pseudoRandom, tempDir } from '../helpers/temp.js';

const CS = 4096;
const ref = (name: string): RecipeInput => ({ ref: name });

t.test('gc keeps an unpinned ref-bound leaf and the recipe over ref:NAME with its output', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS });
  const bytes = pseudoRandom(3 * CS + 5, 11);
  const bound = await engine.put(bytes, { pin: false }); // only the ref holds it
  const garbage = await engine.put(pseudoRandom(2 * CS, 12), { pin: false });
  await engine.setRef('data', bound);
  const up = await engine.putRecipe(parseFunctionId('upper@1'), [ref('data')], new Map(), { pin: false });
  const sorted = await engine.putRecipe(parseFunctionId('sort-lines@1'), [up], new Map()); // pinned
  const out = await engine.read(sorted);
  const upOut = await engine.read(up);
  await engine.settled();

  const report = await engine.gc();
  t.match(report, { leaves: 1, recipes: 0 }, 'only the unreferenced leaf goes');
  t.throws(() => engine.info(garbage), { code: 'NOT_FOUND' });
  t.same(await engine.read(bound), bytes, 'the ref-bound leaf is whole');
  t.equal(engine.getRef('data').addr.hex, bound.hex, 'the ref still binds it');
  t.equal(engine.info(up).state, 'materialized', 'the recipe over the ref keeps its output');
  t.equal(engine.info(sorted).state, 'materialized');
  const before = engine.status().computations;
  t.same(await engine.read(up), upOut);
  t.same(await engine.read(sorted), out);
  t.equal(engine.status().computations, before, 'nothing recomputed');

  // Rebound: the old leaf is no root any more (history keeps no value alive); the new one is.
  const next = await engine.put(Buffer.from('zulu\nalpha\n'), { pin: false });
  await engine.setRef('data', next);
  const second = await engine.gc();
  t.match(second, { leaves: 1 }, 'the leaf bound before goes');
  t.throws(() => engine.info(bound), { code: 'NOT_FOUND' });
  t.equal((await engine.read(sorted)).toString(), 'ALPHA\nZULU\n', 'the recipe reads the new binding');
  t.same(await engine.gc(), { leaves: 0, recipes: 0, chunks: 0, bytes: 0 }, 'nothing else is garbage');
});

/** A leaf written straight into a store, pinned or not. */
async function putLeaf(store: Store, bytes: Buffer): Promise<CAddr> {
  const writer = new ValueWriter(store, 'leaf');
  await writer.write(bytes);
  const { addr, manifest } = await writer.finish();
  await store.putValue(addr, manifest, 'leaf', 'held', false);
  return addr;
}

t.test('the mark follows a recipe input given as a ref to its binding, also one rebound after the mark', async (t) => {
  const store = Store.open(await tempDir(t), { chunkSize: CS });
  t.teardown(() => store.close());
  const a = await putLeaf(store, pseudoRandom(2 * CS, 13));
  const b = await putLeaf(store, pseudoRandom(CS, 14));
  const c = await putLeaf(store, pseudoRandom(CS, 15));
  await store.bindRef('data', a, Date.now(), () => ({ evict: [] }));
  // A recipe row over ref:data (GC never decodes the DCF, so any bytes do).
  const recipeAddr = CAddr.fromBytes(Buffer.alloc(32, 0xff));
  await store.putRecipe(recipeAddr, Buffer.from('dcf'), [ref('data')], false);

  // Roots: only the recipe (no ref roots here): the mark must reach the ref's binding.
  const marked = store.gcMark([recipeAddr.bytes]);
  t.ok(marked.live.has(a.bytes.toString('latin1')), 'the bound leaf is reached through the recipe');
  t.notOk(marked.live.has(b.bytes.toString('latin1')));

  // Rebound between mark and sweep: the sweep keeps what the live recipe reads now (and what
  // the mark saw live).
  await store.bindRef('data', b, Date.now(), () => ({ evict: [] }));
  const report = await store.gcSweep(marked, [], () => false, false);
  t.match(report, { leaves: 1, recipes: 0 }, 'only c goes');
  t.ok(store.isLeaf(b), 'the binding made after the mark is kept');
  t.ok(store.isLeaf(a), 'a was live at the mark');
  t.notOk(store.isLeaf(c));
  const next = await store.gcSweep(store.gcMark([recipeAddr.bytes]), [], () => false, false);
  t.match(next, { leaves: 1, recipes: 0 }, 'the next collection takes a, no longer bound');
  t.ok(store.isLeaf(b));
  t.notOk(store.isLeaf(a));

  // A swept recipe leaves no dependent entry behind on its refs.
  const swept = store.gcMark([]);
  await store.gcSweep(swept, [], () => false, false);
  t.equal(store.getRecipe(recipeAddr), undefined, 'the unrooted recipe went');
  t.same(store.refs.dependentsOf('data'), [], 'and with it its entry among the ref\'s dependents');
});
