import t from 'tap';
import { recipeAddressOfDcf } from '../../src/core/address.js';
import { CAddr } from '../../src/core/caddr.js';
import { CorruptChunkError } from '../../src/core/errors.js';
import { hash } from '../../src/native/index.js';
import { Store } from '../../src/store/store.js';
import { readIntoLoaded, readRange } from '../../src/store/value-reader.js';
import { ValueWriter, type WrittenValue } from '../../src/store/value-writer.js';
import { flipChunkByte } from '../helpers/corrupt.js';
import { createStore, pseudoRandom, tempDir } from '../helpers/temp.js';

const CS = 4096;

async function writeValue(store: Store, bytes: Uint8Array, asLeaf: boolean): Promise<WrittenValue> {
  const kind = asLeaf ? 'leaf' : 'cache';
  const writer = new ValueWriter(store, kind);
  await writer.write(bytes);
  const value = await writer.finish();
  await store.putValue(value.addr, value.manifest, kind, 'held');
  return value;
}

t.test('values of every size round-trip and are addressed by plain BLAKE3', async (t) => {
  const store = await createStore(t, { chunkSize: CS });
  for (const size of [0, 1, CS - 1, CS, CS + 1, 3 * CS + 17]) {
    const bytes = pseudoRandom(size, size + 1);
    const { addr, manifest } = await writeValue(store, bytes, true);
    t.equal(addr.hex, hash(bytes).toString('hex'), `address of ${size} bytes`);
    t.equal(manifest.size, size);
    t.equal(manifest.chunks.length, Math.ceil(size / CS));
    t.ok(store.isLeaf(addr));
    t.same(readRange(store, store.getManifest(addr)!, 0, size), bytes, `content of ${size} bytes`);
  }
});

t.test('range reads at any offset match, clamped to the end', async (t) => {
  const store = await createStore(t, { chunkSize: CS });
  const bytes = pseudoRandom(5 * CS + 123, 7);
  const { manifest } = await writeValue(store, bytes, true);
  for (const [off, len] of [[0, 1], [CS - 1, 2], [CS, CS], [2 * CS + 5, 3 * CS], [bytes.length - 3, 100], [bytes.length + 10, 5]] as const) {
    t.same(readRange(store, manifest, off, len), bytes.subarray(off, off + len), `[${off}, +${len})`);
  }
});

t.test('writes split at any boundaries give the same value', async (t) => {
  const store = await createStore(t, { chunkSize: CS });
  const bytes = pseudoRandom(3 * CS + 999, 3);
  const whole = await writeValue(store, bytes, false);
  const writer = new ValueWriter(store, 'cache');
  for (let at = 0, step = 1; at < bytes.length; at += step, step = (step * 7 + 3) % 5000) {
    await writer.write(bytes.subarray(at, at + step));
  }
  const pieces = await writer.finish();
  await store.putValue(pieces.addr, pieces.manifest, 'cache', 'held');
  t.equal(pieces.addr.hex, whole.addr.hex);
  t.same(pieces.manifest.chunks, whole.manifest.chunks);
  t.notOk(store.isLeaf(whole.addr), 'not marked as a leaf when asked not to');
});

t.test('identical chunks are stored once', async (t) => {
  const store = await createStore(t, { chunkSize: CS });
  const block = pseudoRandom(CS, 9);
  await writeValue(store, Buffer.concat([block, block, block, block]), true);
  await writeValue(store, block, true);
  t.equal(store.stats().chunks, 1);
  t.equal(store.stats().values, 2);
});

t.test('everything survives close and reopen; chunk size is fixed at creation', async (t) => {
  const dir = await tempDir(t);
  const bytes = pseudoRandom(2 * CS + 5, 11);
  // Recipe bytes are checked against their address when read: store them under the real one.
  const recipeAddr = recipeAddressOfDcf(Buffer.from('DCF\x01...'));
  let leaf: CAddr;
  let output: CAddr;
  {
    const store = Store.open(dir, { chunkSize: CS });
    leaf = (await writeValue(store, bytes, true)).addr;
    await store.putRecipe(recipeAddr, Buffer.from('DCF\x01...'), [leaf, leaf]);
    const writer = new ValueWriter(store, 'cache');
    await writer.write(bytes.subarray(0, CS + 1));
    const out = await writer.finish();
    output = out.addr;
    await store.putOutput(recipeAddr, out.addr, out.manifest, 12.5);
    await store.close();
  }
  const store = Store.open(dir, { chunkSize: 2 * CS });
  t.teardown(() => store.close());
  t.equal(store.chunkSize, CS, 'existing chunk size wins');
  t.same(readRange(store, store.getManifest(leaf)!, 0, bytes.length), bytes);
  t.same(store.getRecipe(recipeAddr), Buffer.from('DCF\x01...'));
  t.same(store.dependents(leaf).map((a) => a.hex), [recipeAddr.hex], 'reverse edge, deduplicated');
  const action = store.getAction(recipeAddr)!;
  t.equal(action.content.hex, output.hex);
  t.equal(action.cost, 12.5);
  t.equal(store.cachedBytes(), 1, 'the output shares its first chunk with the leaf: only its 1-byte tail is cache only');
});

t.test('prefix lookup finds leaves and recipes', async (t) => {
  const store = await createStore(t, { chunkSize: CS });
  const { addr } = await writeValue(store, Buffer.from('hello'), true);
  const recipe = CAddr.fromBytes(hash(Buffer.from('r')));
  await store.putRecipe(recipe, Buffer.from('x'), []);
  t.same(store.addresses.withPrefix(addr.hex.slice(0, 9)).map((a) => a.hex), [addr.hex]);
  t.same(store.addresses.withPrefix(recipe.hex.slice(0, 8)).map((a) => a.hex), [recipe.hex]);
  t.same(store.addresses.withPrefix('00000000'), []);
});

t.test('a bad chunk size for a new store is a clear error', async (t) => {
  const dir = await tempDir(t);
  t.throws(() => Store.open(dir, { chunkSize: 1000 }), { code: 'STORE', message: /power of two/ });
});

t.test('reads that load chunks first check them off the JS thread; a corrupt one is refused', async (t) => {
  const dir = await tempDir(t);
  const bytes = pseudoRandom(4 * CS + 10, 21);
  let manifest;
  {
    const store = Store.open(dir, { chunkSize: CS });
    manifest = (await writeValue(store, bytes, true)).manifest;
    await store.close();
  }
  await flipChunkByte(dir, manifest.chunks[2]!, 5);
  const store = Store.open(dir);
  t.teardown(() => store.close());
  const target = Buffer.alloc(2 * CS);
  t.equal(await readIntoLoaded(store, manifest, 0, target), 2 * CS);
  t.same(target, bytes.subarray(0, 2 * CS), 'intact chunks read (and the corrupt next one started loading)');
  await t.rejects(readIntoLoaded(store, manifest, 2 * CS, target), CorruptChunkError, 'the corrupt chunk is never served');
  await t.rejects(readIntoLoaded(store, manifest, 2 * CS + 7, Buffer.alloc(1)), { code: 'INTEGRITY' }, 'nor cached: refused again');
  store.verifyReads = false;
  t.equal(await readIntoLoaded(store, manifest, 2 * CS, target), 2 * CS, 'with checks off it is served as stored');
});
