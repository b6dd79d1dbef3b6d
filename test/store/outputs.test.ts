/**
 * Output recording on a real LMDB store (outputs.ts): an output is recorded as its recipe's
 * action with what its computation consumed (a ref input at its binding then), a chunkwise
 * output's partial chunks are promoted to one value and action at their summed cost, a
 * promotion under a mark an invalidation moved records nothing, and forgetting outputs moves
 * the mark once per transaction. (The mark's effect on putOutput and putPartialChunk is in
 * invalidation-mark.test.ts.)
 */
import t from 'tap';
import { recipeAddressOfDcf } from '../../src/core/address.js';
import { CAddr } from '../../src/core/caddr.js';
import { encodeRecipe } from '../../src/core/dcf.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { RecipeInput } from '../../src/core/recipe.js';
import { hash } from '../../src/native/index.js';
import type { Store } from '../../src/store/store.js';
import { ValueWriter, type WrittenValue } from '../../src/store/value-writer.js';
import { createStore, pseudoRandom } from '../helpers/temp.js';

const CS = 4096;

async function value(store: Store, bytes: Uint8Array, kind: 'leaf' | 'cache'): Promise<WrittenValue> {
  const w = new ValueWriter(store, kind);
  await w.write(bytes);
  const v = await w.finish();
  if (kind === 'leaf') await store.putValue(v.addr, v.manifest, 'leaf', 'held');
  return v;
}

async function recipe(store: Store, inputs: readonly RecipeInput[], tag: string): Promise<CAddr> {
  const dcf = encodeRecipe({ fn: parseFunctionId('concat@1'), inputs, params: new Map([['tag', { type: 'string', value: tag }]]) });
  const addr = recipeAddressOfDcf(dcf);
  await store.putRecipe(addr, dcf, inputs);
  return addr;
}

t.test('an output is recorded with its size, cost and what it consumed, a ref at its binding then', async (t) => {
  const store = await createStore(t, { chunkSize: CS });
  const a = await value(store, Buffer.from('a'), 'leaf');
  const b = await value(store, Buffer.from('b'), 'leaf');
  await store.bindRef('input', b.addr, Date.now(), () => ({ evict: [] }));
  const r = await recipe(store, [a.addr, { ref: 'input' }], 'consumed');

  const out = await value(store, pseudoRandom(CS + 5, 1), 'cache');
  t.equal(await store.putOutput(r, out.addr, out.manifest, 7), true, 'recorded without a mark');
  const action = store.getAction(r);
  t.same(action?.content, out.addr);
  t.equal(action?.size, CS + 5);
  t.equal(action?.cost, 7);
  t.same(store.getConsumed(r)?.map((c) => c.hex), [a.addr.hex, b.addr.hex], 'inputs in recipe order, the ref as bound');
  t.equal(store.getConsumed(recipeAddressOfDcf(Buffer.from('none'))), undefined, 'nothing consumed without an output');

  await store.bindRef('input', a.addr, Date.now(), () => ({ evict: [r] }));
  t.equal(store.getAction(r), undefined, 'rebinding forgot the output it picked');
  t.equal(store.getManifest(out.addr), undefined, 'and the value only that output held');
});

t.test('partial chunks promote to one value and action at their summed cost, dropping the partials', async (t) => {
  const store = await createStore(t, { chunkSize: CS });
  const r = CAddr.fromBytes(hash(Buffer.from('chunkwise')));
  const chunks = [pseudoRandom(CS, 2), pseudoRandom(CS, 3)];
  for (const [i, c] of chunks.entries()) await store.putPartialChunk(r, i, hash(c), c, 10 + i, store.invalidationMark());
  t.equal(store.partials.count(r), 2);
  t.equal(store.cachedBytes(), 2 * CS, 'partial chunks count as cache');

  const whole = Buffer.concat(chunks);
  const addr = CAddr.fromBytes(hash(whole));
  await store.promotePartials(r, addr, { size: whole.length, chunks: chunks.map((c) => hash(c)) }, store.invalidationMark());
  t.equal(store.partials.count(r), 0, 'the partial entries are gone');
  t.same(store.getAction(r)?.content, addr);
  t.equal(store.getAction(r)?.cost, 21, 'its cost is what its chunks cost');
  t.equal(store.getManifest(addr)?.size, whole.length);
  t.equal(store.cachedBytes(), 2 * CS, 'the chunks moved from the partials to the value, stored once');
});

t.test('a promotion under a mark an invalidation moved records nothing and keeps the partials', async (t) => {
  const store = await createStore(t, { chunkSize: CS });
  const [r, other] = [CAddr.fromBytes(hash(Buffer.from('r'))), CAddr.fromBytes(hash(Buffer.from('other')))];
  const chunk = pseudoRandom(CS, 4);
  await store.putPartialChunk(r, 0, hash(chunk), chunk, 1);
  const mark = store.invalidationMark();
  await store.removeActions([other]);
  const addr = CAddr.fromBytes(hash(chunk));
  await store.promotePartials(r, addr, { size: CS, chunks: [hash(chunk)] }, mark);
  t.equal(store.getAction(r), undefined, 'no action');
  t.equal(store.getManifest(addr), undefined, 'no value');
  t.equal(store.partials.count(r), 1, 'the partial chunk stays as it was');
});

t.test('forgetting outputs drops whole and partial ones and moves the mark once per transaction', async (t) => {
  const store = await createStore(t, { chunkSize: CS });
  const leaf = await value(store, pseudoRandom(CS, 5), 'leaf');
  const [whole, asLeaf, partial] = ['whole', 'leaf', 'partial'].map((s) => CAddr.fromBytes(hash(Buffer.from(s))));
  const out = await value(store, pseudoRandom(CS, 6), 'cache');
  await store.putOutput(whole!, out.addr, out.manifest, 1);
  await store.refChunk(leaf.manifest.chunks[0]!, pseudoRandom(CS, 5), 'cache');
  await store.putOutput(asLeaf!, leaf.addr, leaf.manifest, 1);
  const chunk = pseudoRandom(CS, 7);
  await store.putPartialChunk(partial!, 0, hash(chunk), chunk, 1);

  const before = store.invalidationMark();
  await store.removeActions([whole!, asLeaf!, partial!]);
  t.equal(store.invalidationMark(), before + 1, 'one transaction, one move');
  t.equal(store.getAction(whole!), undefined);
  t.equal(store.getManifest(out.addr), undefined, 'a value only an output held goes with it');
  t.equal(store.getAction(asLeaf!), undefined);
  t.ok(store.isLeaf(leaf.addr) && store.getManifest(leaf.addr), 'a leaf stays');
  t.equal(store.partials.count(partial!), 0, 'partial outputs go too');
  t.equal(store.cachedBytes(), 0, 'nothing is held by cache any more');
});
