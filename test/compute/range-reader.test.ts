/**
 * Range reads compute only what they touch: chunkwise outputs chunk by chunk, structural
 * outputs by address arithmetic, sizes without computing. Checked through the engine on a real
 * store and pool, against references computed independently with Buffer operations.
 */
import t from 'tap';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { ParamValue } from '../../src/core/recipe.js';
import type { Engine } from '../../src/engine/engine.js';
import { createEngine, pseudoRandom } from '../helpers/temp.js';

const CS = 4096;
const str = (value: string): ParamValue => ({ type: 'string', value });
const params = (o: Record<string, string> = {}) => new Map(Object.entries(o).map(([k, v]) => [k, str(v)]));
const fn = parseFunctionId;
const upper = (b: Buffer) => Buffer.from(b.map((c) => (c >= 0x61 && c <= 0x7a ? c - 32 : c)));
const counters = (e: Engine) => {
  const s = e.status();
  return { computations: s.computations, chunks: s.chunksComputed, bytes: s.bytesComputed };
};

t.test('a small read of a chunkwise output computes exactly the chunks it touches', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS });
  const bytes = pseudoRandom(100 * CS + 17, 3);
  const leaf = await engine.put(bytes);
  const up = await engine.putRecipe(fn('upper@1'), [leaf], params());
  t.equal(engine.info(up).size, bytes.length, 'size known without computing');
  t.same(counters(engine), { computations: 0, chunks: 0, bytes: 0 });

  t.same(await engine.read(up, 90 * CS + 100, 10), upper(bytes.subarray(90 * CS + 100, 90 * CS + 110)));
  t.same(counters(engine), { computations: 0, chunks: 1, bytes: CS }, 'one chunk computed');
  t.match(engine.info(up), { state: 'partial', partial: { computed: 1, total: 101 } });

  t.same(await engine.read(up, 90 * CS, CS), upper(bytes.subarray(90 * CS, 91 * CS)));
  t.equal(counters(engine).chunks, 1, 'the computed chunk is reused');
  t.same(await engine.read(up, 99 * CS + 4000, 500), upper(bytes.subarray(99 * CS + 4000, 99 * CS + 4500)));
  t.equal(counters(engine).chunks, 3, 'a read across a boundary computes both chunks');
  t.same(await engine.read(up, 100 * CS + 10, 100), upper(bytes.subarray(100 * CS + 10)), 'the short last chunk');
});

t.test('sequential reads start the next chunks ahead of the reader; random reads do not', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS });
  const bytes = pseudoRandom(20 * CS, 4);
  const leaf = await engine.put(bytes);
  const up = await engine.putRecipe(fn('upper@1'), [leaf], params());
  const read = async (offset: number, length: number) => {
    t.same(await engine.read(up, offset, length), upper(bytes.subarray(offset, offset + length)));
    await engine.settled();
    return counters(engine).chunks;
  };
  t.equal(await read(0, 1000), 1, 'a first read: its chunk');
  t.equal(await read(1000, 1000), 3, 'the next one, where it ended: two chunks ahead as well');
  t.equal(await read(2000, 3000), 4, 'reading on into chunk 1 keeps two ahead (3 starts)');
  t.equal(await read(15 * CS, 10), 5, 'a jump: only the chunk it touches');
  t.equal(await read(11 * CS, 10), 6, 'backwards: the same');
  t.equal(await read(20 * CS - 10, 10), 7, 'the last chunk: nothing beyond the end');
  t.equal(await read(20 * CS, 10), 7, 'at the end: nothing');
  t.equal((await engine.read(up)).length, bytes.length, 'the whole output, every chunk once');
  t.equal(counters(engine).chunks, 20);
});

t.test('xor sees absolute offsets in every chunk', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS });
  const bytes = pseudoRandom(5 * CS + 3, 4);
  const leaf = await engine.put(bytes);
  const key = Buffer.from('0102030405', 'hex');
  const x = await engine.putRecipe(fn('xor@1'), [leaf], params({ key: key.toString('hex') }));
  const want = Buffer.from(bytes.map((b, i) => b ^ key[i % key.length]!));
  for (const [off, len] of [[3 * CS - 2, 7], [0, 5 * CS + 3], [4 * CS + 1, 2]] as const) {
    t.same(await engine.read(x, off, len), want.subarray(off, off + len), `[${off}, +${len})`);
  }
});

t.test('structural chains read by address arithmetic: no computation at all', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS });
  const a = pseudoRandom(3 * CS + 11, 5);
  const b = pseudoRandom(2 * CS + 7, 6);
  const [la, lb] = [await engine.put(a), await engine.put(b)];
  const cat = await engine.putRecipe(fn('concat@1'), [la, lb, la], params({ sep: '--' }));
  const rep = await engine.putRecipe(fn('repeat@1'), [cat], params({ count: '1000' }));
  const sl = await engine.putRecipe(fn('slice@1'), [rep], params({ offset: '5000', length: '9000000' }));
  const catRef = Buffer.concat([a, Buffer.from('--'), b, Buffer.from('--'), a]);
  const repRef = Buffer.concat(Array.from({ length: 1000 }, () => catRef));
  const slRef = repRef.subarray(5000, 5000 + 9_000_000);
  t.equal(engine.info(sl).size, slRef.length, 'size from layouts alone');
  for (let i = 0; i < 50; i++) {
    const off = Math.floor(((i * 7919) % 997) / 997 * slRef.length);
    const len = 1 + ((i * 104729) % (3 * CS));
    t.same(await engine.read(sl, off, len), slRef.subarray(off, off + len), `read ${i}`);
  }
  t.same(counters(engine), { computations: 0, chunks: 0, bytes: 0 }, 'nothing computed');
  t.equal(engine.info(sl).state, 'not-materialized');
});

t.test('upper(slice(concat(a, b))) at random offsets matches the reference', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS });
  const a = Buffer.from('the quick brown fox jumps over the lazy dog\n'.repeat(400));
  const b = pseudoRandom(7 * CS + 5, 7);
  const cat = await engine.putRecipe(fn('concat@1'), [await engine.put(a), await engine.put(b)], params());
  const sl = await engine.putRecipe(fn('slice@1'), [cat], params({ offset: '1234', length: String(a.length + 3 * CS) }));
  const up = await engine.putRecipe(fn('upper@1'), [sl], params());
  const ref = upper(Buffer.concat([a, b]).subarray(1234, 1234 + a.length + 3 * CS));
  for (let i = 0; i < 40; i++) {
    const off = (i * 7_654_321) % ref.length;
    const len = 1 + ((i * 31_337) % (2 * CS));
    t.same(await engine.read(up, off, len), ref.subarray(off, off + len), `read ${i}`);
  }
  t.same(await engine.read(up), ref, 'whole');
  t.equal(engine.status().computations, 0, 'no whole-output run: only chunks');
  t.match(engine.info(up), { state: 'materialized', size: ref.length }, 'all chunks computed: promoted to a value');
  t.equal(engine.info(up).content?.hex, (await engine.put(ref)).hex, 'its content address is BLAKE3 of the bytes');
});

t.test('concurrent readers of one chunk compute it once', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS });
  const leaf = await engine.put(pseudoRandom(10 * CS, 8));
  const low = await engine.putRecipe(fn('lower@1'), [leaf], params());
  const outs = await Promise.all(Array.from({ length: 8 }, () => engine.read(low, 2 * CS + 10, 100)));
  for (const o of outs) t.same(o, outs[0]);
  t.equal(engine.status().chunksComputed, 1);
});

t.test('invalidation drops partial outputs; the next read recomputes', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS });
  const leaf = await engine.put(pseudoRandom(4 * CS, 9));
  const up = await engine.putRecipe(fn('upper@1'), [leaf], params());
  const first = await engine.read(up, CS, 10);
  t.same(await engine.invalidate(up), { evicted: 1, depth: 0, policy: 'immediate', pending: 0 });
  t.equal(engine.info(up).state, 'not-materialized');
  t.same(await engine.read(up, CS, 10), first);
  t.equal(engine.status().chunksComputed, 2);
});

t.test('whole outputs are computed whole, then read by range', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS });
  const text = Buffer.from('b\na\nc\n'.repeat(3000));
  const leaf = await engine.put(text);
  const sorted = await engine.putRecipe(fn('sort-lines@1'), [leaf], params());
  t.equal(engine.info(sorted).size, undefined, 'size unknown before computing');
  t.equal((await engine.read(sorted, 6000 - 2, 4)).toString(), 'a\nb\n');
  t.equal(engine.status().computations, 1);
  t.equal(engine.info(sorted).state, 'materialized');
});
