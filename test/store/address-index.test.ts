/**
 * Address listing on a real LMDB store (address-index.ts): shards are the first bytes under
 * which a leaf or recipe exists, a shard lists both kinds in address order (the last shard,
 * 0xff, too), a prefix finds both kinds up to a limit, and a walk by slices visits every chunk
 * and recipe once, in order, even when the key it resumes after was deleted meanwhile.
 */
import t from 'tap';
import { CAddr } from '../../src/core/caddr.js';
import type { Store } from '../../src/store/store.js';
import { ValueWriter } from '../../src/store/value-writer.js';
import { createStore, pseudoRandom } from '../helpers/temp.js';

const CS = 4096;

/** An address with first byte `shard`, the rest from `seed` (the store does not check recipe addresses on put). */
function addrIn(shard: number, seed: number): CAddr {
  const bytes = pseudoRandom(32, seed);
  bytes[0] = shard;
  return CAddr.fromBytes(bytes);
}

async function leaf(store: Store, bytes: Uint8Array): Promise<CAddr> {
  const w = new ValueWriter(store, 'leaf');
  await w.write(bytes);
  const v = await w.finish();
  await store.putValue(v.addr, v.manifest, 'leaf', 'held');
  return v.addr;
}

async function recipesIn(store: Store, placed: ReadonlyArray<readonly [number, number]>): Promise<CAddr[]> {
  const addrs = placed.map(([shard, seed]) => addrIn(shard, seed));
  for (const addr of addrs) await store.putRecipe(addr, Buffer.from(addr.hex), []);
  return addrs;
}

t.test('shards and their contents cover leaves and recipes, the last shard too', async (t) => {
  const store = await createStore(t, { chunkSize: CS });
  const leaves = [await leaf(store, Buffer.from('one')), await leaf(store, Buffer.from('two'))];
  const recipes = await recipesIn(store, [[0x00, 1], [0xff, 2], [0xff, 3], [leaves[0]!.bytes[0]!, 4]]);
  const all = [...leaves, ...recipes];
  const expected = [...new Set(all.map((a) => a.hex.slice(0, 2)))].sort();
  t.same(store.addresses.shards(), expected, 'every occupied first byte, in order');
  for (const shard of expected) {
    const inIt = all.filter((a) => a.hex.startsWith(shard)).map((a) => a.hex).sort();
    t.same(store.addresses.inShard(parseInt(shard, 16)).map((a) => a.hex), inIt, `shard ${shard}: both kinds, in address order`);
  }
  const empty = [...Array(256).keys()].find((b) => !expected.includes(b.toString(16).padStart(2, '0')))!;
  t.same(store.addresses.inShard(empty), [], 'an empty shard lists nothing');
});

t.test('a prefix finds leaves and recipes, an odd-length one too, up to the limit', async (t) => {
  const store = await createStore(t, { chunkSize: CS });
  const [r1, r2] = await recipesIn(store, [[0xab, 5], [0xab, 6]]);
  const l = await leaf(store, Buffer.from('leaf'));
  t.same(store.addresses.withPrefix(l.hex.slice(0, 7)).map((a) => a.hex), [l.hex], 'odd length: a leaf');
  t.same(store.addresses.withPrefix(r1!.hex.slice(0, 9)).map((a) => a.hex), [r1!.hex], 'odd length: a recipe');
  t.equal(store.addresses.withPrefix('ab').length, 2, 'two by default');
  t.same(store.addresses.withPrefix('ab', 10).map((a) => a.hex).sort(), [r1!.hex, r2!.hex].sort());
  t.equal(store.addresses.withPrefix('ab', 1).length, 1, 'no more than the limit');
  t.same(store.addresses.withPrefix(r1!.hex), [r1], 'a whole address finds itself');
});

t.test('walking chunks and recipes by slices visits each once, in order, past a deleted key', async (t) => {
  const store = await createStore(t, { chunkSize: CS });
  await leaf(store, pseudoRandom(5 * CS, 7));
  const recipes = await recipesIn(store, [[0x10, 8], [0x20, 9], [0x30, 10], [0x40, 11], [0x50, 12]]);
  const walk = (slice: (after: Buffer | undefined, limit: number) => Buffer[]) => {
    const seen: string[] = [];
    for (let keys = slice(undefined, 2); keys.length > 0; keys = slice(keys.at(-1), 2)) {
      t.ok(keys.length <= 2, 'a slice holds at most the limit');
      seen.push(...keys.map((k) => k.toString('hex')));
    }
    return seen;
  };
  const chunks = walk((after, limit) => store.addresses.chunksAfter(after, limit));
  t.equal(chunks.length, 5);
  t.same(chunks, [...chunks].sort(), 'chunks in address order');
  t.same(walk((after, limit) => store.addresses.recipesAfter(after, limit)), recipes.map((r) => r.hex), 'recipes in order');

  const third = recipes[2]!;
  await store.quarantineRecipe(third.bytes); // its bytes are not its DCF: it moves out of the table
  t.same(store.addresses.recipesAfter(third.bytes, 10).map((k) => k.toString('hex')), recipes.slice(3).map((r) => r.hex), 'resumes after a key gone');
});
