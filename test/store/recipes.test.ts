/**
 * Recipes and their DAG edges on a real LMDB store (recipes.ts): a recipe is stored with a
 * forward and reverse edge per address input and a dependents entry per ref input, all in one
 * transaction, so a refused recipe (an input missing) leaves no edge, pin or bytes behind;
 * storing it again adds nothing; the edges survive a reopen; corrupt bytes are refused on read.
 */
import t from 'tap';
import { recipeAddressOfDcf } from '../../src/core/address.js';
import type { CAddr } from '../../src/core/caddr.js';
import { encodeRecipe } from '../../src/core/dcf.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { RecipeInput } from '../../src/core/recipe.js';
import { hash } from '../../src/native/index.js';
import { Store } from '../../src/store/store.js';
import { ValueWriter } from '../../src/store/value-writer.js';
import { createStore, tempDir } from '../helpers/temp.js';

const CS = 4096;

async function leaf(store: Store, text: string): Promise<CAddr> {
  const w = new ValueWriter(store, 'leaf');
  await w.write(Buffer.from(text));
  const v = await w.finish();
  await store.putValue(v.addr, v.manifest, 'leaf', 'held');
  return v.addr;
}

function dcfOf(inputs: readonly RecipeInput[], tag: string): { addr: CAddr; dcf: Buffer } {
  const dcf = Buffer.from(encodeRecipe({ fn: parseFunctionId('concat@1'), inputs, params: new Map([['tag', { type: 'string', value: tag }]]) }));
  return { addr: recipeAddressOfDcf(dcf), dcf };
}

const hexes = (addrs: readonly CAddr[]) => addrs.map((a) => a.hex).sort();

t.test('a recipe is stored with an edge per address input and a dependents entry per ref input', async (t) => {
  const dir = await tempDir(t);
  const store = Store.open(dir, { chunkSize: CS });
  t.teardown(() => store.close()); // closing again is harmless
  const [a, b] = [await leaf(store, 'a'), await leaf(store, 'b')];
  await store.bindRef('input', b, Date.now(), () => ({ evict: [] }));
  const first = dcfOf([a], 'first');
  await store.putRecipe(first.addr, first.dcf, [a]);
  const second = dcfOf([first.addr, { ref: 'input' }], 'second');
  await store.putRecipe(second.addr, second.dcf, [first.addr, { ref: 'input' }], true);
  await store.putRecipe(second.addr, second.dcf, [first.addr, { ref: 'input' }]);

  const check = (s: Store, when: string) => {
    t.same(s.getRecipe(second.addr), second.dcf, `${when}: the DCF bytes`);
    t.same(hexes(s.dependents(a)), [first.addr.hex], `${when}: the leaf's dependent`);
    t.same(hexes(s.dependents(first.addr)), [second.addr.hex], `${when}: a recipe input's dependent, once though stored twice`);
    t.same(hexes(s.dependents(b)), [second.addr.hex], `${when}: through the ref bound to b`);
    t.ok(s.pins.has(second.addr), `${when}: pinned as asked`);
  };
  check(store, 'stored');
  await store.close();
  const reopened = Store.open(dir);
  t.teardown(() => reopened.close());
  check(reopened, 'reopened');

  await reopened.bindRef('input', a, Date.now(), () => ({ evict: [] }));
  t.same(hexes(reopened.dependents(b)), [], 'a ref dependent follows the binding');
  t.same(hexes(reopened.dependents(a)), [first.addr.hex, second.addr.hex].sort());
});

t.test('a recipe with a missing input is refused and leaves nothing behind', async (t) => {
  const store = await createStore(t, { chunkSize: CS });
  const a = await leaf(store, 'a');
  const gone = recipeAddressOfDcf(Buffer.from('never stored'));
  const bad = dcfOf([a, { ref: 'input' }, gone], 'bad');
  await t.rejects(store.putRecipe(bad.addr, bad.dcf, [a, { ref: 'input' }, gone], true), { code: 'NOT_FOUND', message: new RegExp(gone.hex) });
  t.equal(store.getRecipe(bad.addr), undefined, 'no recipe');
  t.same(store.dependents(a), [], 'no edge from its present input');
  t.notOk(store.pins.has(bad.addr), 'no pin');
  t.equal(store.stats().recipes, 0);
  await store.bindRef('input', a, Date.now(), () => ({ evict: [] }));
  t.same(store.dependents(a), [], 'no dependents entry on the ref');
});

t.test('recipe bytes that do not hash to their address are reported and refused', async (t) => {
  const store = await createStore(t, { chunkSize: CS });
  const addr = recipeAddressOfDcf(Buffer.from('the real recipe'));
  const wrong = Buffer.from('other bytes');
  await store.putRecipe(addr, wrong, []);
  const reported: string[] = [];
  store.onCorruptRecipe = (a) => reported.push(a.hex);
  t.throws(() => store.getRecipe(addr), { code: 'INTEGRITY' });
  t.same(reported, [addr.hex], 'reported before refusing');
  store.verifyReads = false;
  t.same(store.getRecipe(addr), wrong, 'served as stored with checks off');
  t.equal(store.getRecipe(recipeAddressOfDcf(hash(Buffer.from('absent')))), undefined, 'an absent recipe is undefined');
});
