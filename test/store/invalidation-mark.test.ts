/**
 * The invalidation mark on a real LMDB store: every transaction that forgets outputs (an
 * invalidation, a ref rebinding) moves it, and an output, partial chunk or promotion recorded
 * under a mark taken before such a transaction is not recorded as the recipe's: the check is
 * inside the recording transaction, so no stale output is ever visible, not even briefly.
 * Then through an engine: a computation paused (by the executor's test hook) after binding a
 * ref's old target, while the ref is rebound, serves its caller but caches nothing.
 */
import t from 'tap';
import { CAddr } from '../../src/core/caddr.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import { hash } from '../../src/native/index.js';
import { Store } from '../../src/store/store.js';
import { ValueWriter, type WrittenValue } from '../../src/store/value-writer.js';
import { createEngine, createStore, pseudoRandom } from '../helpers/temp.js';

const CS = 4096;
const recipeAddr = (s: string) => CAddr.fromBytes(hash(Buffer.from(s)));

async function cacheValue(store: Store, bytes: Uint8Array): Promise<WrittenValue> {
  const w = new ValueWriter(store, 'cache');
  await w.write(bytes);
  return w.finish();
}

t.test('outputs recorded under a mark an invalidation moved are kept as values only', async (t) => {
  const store = await createStore(t, { chunkSize: CS });
  const [r, other] = [recipeAddr('r'), recipeAddr('other')];
  const before = store.invalidationMark();
  await store.removeActions([other]);
  t.not(store.invalidationMark(), before, 'an invalidation moves the mark');

  const stale = await cacheValue(store, pseudoRandom(2 * CS, 1));
  t.equal(await store.putOutput(r, stale.addr, stale.manifest, 1, before), false, 'not recorded under the old mark');
  t.equal(store.getAction(r), undefined, 'no action names it');
  t.ok(store.getManifest(stale.addr), 'the value stays for whoever computed it (until GC)');

  const fresh = await cacheValue(store, pseudoRandom(2 * CS, 2));
  t.equal(await store.putOutput(r, fresh.addr, fresh.manifest, 1, store.invalidationMark()), true, 'recorded under the current mark');
  t.same(store.getAction(r)?.content, fresh.addr);

  const chunk = pseudoRandom(CS, 3);
  const mark = store.invalidationMark();
  await store.removeActions([other]);
  await store.putPartialChunk(r, 0, hash(chunk), chunk, 1, mark);
  t.equal(store.partials.count(r), 0, 'a partial chunk computed before the invalidation is not stored');
});

t.test('rebinding a ref moves the mark', async (t) => {
  const store = await createStore(t, { chunkSize: CS });
  const w = new ValueWriter(store, 'leaf');
  await w.write(Buffer.from('bound'));
  const leaf = await w.finish();
  await store.putValue(leaf.addr, leaf.manifest, 'leaf', 'held');
  const before = store.invalidationMark();
  await store.bindRef('name', leaf.addr, Date.now(), () => ({ evict: [] }));
  t.not(store.invalidationMark(), before);
});

t.test('a computation that read a ref before a rebinding serves its caller and caches nothing', async (t) => {
  let pause: Promise<void> | undefined;
  let paused!: () => void;
  const engine = await createEngine(t, {
    chunkSize: CS,
    beforeInput: async () => {
      if (!pause) return;
      paused();
      await pause;
    },
  });
  const a = await engine.put(Buffer.from('old binding'));
  const b = await engine.put(Buffer.from('new binding'));
  await engine.setRef('input', a);
  const sorted = await engine.putRecipe(parseFunctionId('sort-lines@1'), [{ ref: 'input' }], new Map());

  let resume!: () => void;
  pause = new Promise<void>((go) => (resume = go));
  const reached = new Promise<void>((go) => (paused = go));
  const computing = engine.materialize(sorted); // binds the ref to `a`, then waits in the hook
  await reached;
  await engine.setRef('input', b);
  pause = undefined;
  resume();
  t.same((await computing).content, CAddr.fromBytes(hash(Buffer.from('old binding\n'))), 'the caller gets what it computed');
  await engine.settled();
  t.equal(engine.info(sorted).state, 'not-materialized', 'but it is not cached as the recipe output');
  t.equal((await engine.read(sorted)).toString(), 'new binding\n', 'the next read computes with the new binding');
});
