/**
 * Chunk reference counts on a real LMDB store: shared chunks outlive the values that drop
 * them, the cached-bytes counter follows what only cache holds, and a store of the first format
 * (no counts) gets them built when opened, so nothing it holds looks like garbage.
 */
import { join } from 'node:path';
import { open } from 'lmdb';
import t from 'tap';
import { CAddr } from '../../src/core/caddr.js';
import { hash } from '../../src/native/index.js';
import { Store } from '../../src/store/store.js';
import { ValueWriter, type WrittenValue } from '../../src/store/value-writer.js';
import { createStore, pseudoRandom, tempDir } from '../helpers/temp.js';

const CS = 4096;

async function leaf(store: Store, bytes: Uint8Array): Promise<WrittenValue> {
  const w = new ValueWriter(store, 'leaf');
  await w.write(bytes);
  const v = await w.finish();
  await store.putValue(v.addr, v.manifest, 'leaf', 'held');
  return v;
}

async function output(store: Store, recipe: CAddr, bytes: Uint8Array): Promise<WrittenValue> {
  const w = new ValueWriter(store, 'cache');
  await w.write(bytes);
  const v = await w.finish();
  await store.putOutput(recipe, v.addr, v.manifest, 1);
  return v;
}

const recipeAddr = (s: string) => CAddr.fromBytes(hash(Buffer.from(s)));

t.test('a chunk shared by a leaf and outputs lives while any of them holds it', async (t) => {
  const store = await createStore(t, { chunkSize: CS });
  const a = pseudoRandom(CS, 1);
  const b = pseudoRandom(CS, 2);
  await leaf(store, a);
  const [r1, r2] = [recipeAddr('r1'), recipeAddr('r2')];
  await output(store, r1, Buffer.concat([a, b]));
  await output(store, r2, Buffer.concat([b, b]));
  t.equal(store.stats().chunks, 2);
  t.equal(store.cachedBytes(), CS, 'only b is held by cache alone');
  await store.removeActions([r1]);
  t.equal(store.stats().chunks, 2, 'b is still held by the second output');
  await store.removeActions([r2]);
  t.equal(store.stats().chunks, 1, 'b went with its last holder; a stays with its leaf');
  t.equal(store.cachedBytes(), 0);
});

t.test('two recipes with the same output share one value; it goes with the last', async (t) => {
  const store = await createStore(t, { chunkSize: CS });
  const bytes = pseudoRandom(2 * CS, 3);
  const [r1, r2] = [recipeAddr('x'), recipeAddr('y')];
  const v = await output(store, r1, bytes);
  await output(store, r2, bytes);
  t.equal(store.cachedBytes(), 2 * CS, 'stored once');
  await store.removeActions([r1]);
  t.ok(store.getManifest(v.addr), 'the value stays while another action names it');
  await store.removeActions([r2]);
  t.equal(store.getManifest(v.addr), undefined);
  t.equal(store.stats().chunks, 0);
});

t.test('a store of the first format gets its reference counts built on open', async (t) => {
  const dir = await tempDir(t);
  const bytes = pseudoRandom(3 * CS, 4);
  const r = recipeAddr('old');
  let kept: WrittenValue;
  {
    const store = Store.open(dir, { chunkSize: CS });
    kept = await leaf(store, bytes);
    await output(store, r, Buffer.concat([bytes.subarray(0, CS), pseudoRandom(CS, 5)]));
    await store.close();
  }
  { // Make it look like a format-1 store: no reference records, no counters.
    const env = open({ path: join(dir, 'deriva.mdb'), maxDbs: 32, compression: false });
    for (const name of ['chunkRefs', 'valueRefs']) {
      const db = env.openDB({ name, keyEncoding: 'binary' });
      await db.clearAsync();
    }
    const meta = env.openDB<number, string>({ name: 'meta' });
    await meta.put('format', 1);
    await meta.remove('cachedBytes');
    await env.close();
  }
  const store = Store.open(dir);
  t.teardown(() => store.close());
  t.equal(store.cachedBytes(), CS, 'the counter is rebuilt: one chunk only the output holds');
  await store.removeActions([r]);
  t.equal(store.cachedBytes(), 0);
  t.equal(store.stats().chunks, 3, "the leaf's chunks survive the output going");
  t.ok(store.getManifest(kept.addr));
});
