import t from 'tap';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { CAddr } from '../../src/core/caddr.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { ParamValue } from '../../src/core/recipe.js';
import { createEngine, engineHome, pseudoRandom } from '../helpers/temp.js';

const str = (value: string): ParamValue => ({ type: 'string', value });
const params = (o: Record<string, string> = {}) => new Map(Object.entries(o).map(([k, v]) => [k, str(v)]));
const fn = parseFunctionId;

t.test('put then read a leaf; recipes over it compute through the pool', async (t) => {
  const engine = await createEngine(t, { chunkSize: 4096 });
  const text = Buffer.from('Hello, World!\nsecond line\n'.repeat(500));
  const leaf = await engine.put(text);
  t.same(await engine.read(leaf), text);

  const up = await engine.putRecipe(fn('upper@1'), [leaf], params());
  t.same(await engine.read(up), Buffer.from(text.toString('latin1').toUpperCase(), 'latin1'));

  const sliced = await engine.putRecipe(fn('slice@1'), [up], params({ offset: '7', length: '5' }));
  t.equal((await engine.read(sliced)).toString(), 'WORLD');

  const gz = await engine.putRecipe(fn('gzip@1'), [leaf], params());
  t.same(gunzipSync(await engine.read(gz)), text, 'gzip output decompresses with zlib');

  const sha = await engine.putRecipe(fn('sha256@1'), [up], params());
  const want = createHash('sha256').update(await engine.read(up)).digest('hex');
  t.equal((await engine.read(sha)).toString(), `${want}\n`);

  t.same(await engine.read(up, 4090, 20), (await engine.read(up)).subarray(4090, 4110), 'range read');
  t.equal(engine.info(up).size, text.length, 'size known once materialized');
});

t.test('inputs reach the function in recipe order whatever order they finish in', async (t) => {
  const engine = await createEngine(t, { chunkSize: 4096 });
  const big = await engine.put(pseudoRandom(2_000_000, 5));
  const slow = await engine.putRecipe(fn('sort-lines@1'), [big], params());
  const fast = await engine.put(Buffer.from('FIRST'));
  const cat = await engine.putRecipe(fn('concat@1'), [fast, slow, fast], params({ sep: '|' }));
  const out = await engine.read(cat);
  const sorted = await engine.read(slow);
  t.same(out, Buffer.concat([Buffer.from('FIRST|'), sorted, Buffer.from('|FIRST')]));
});

t.test('concurrent reads of one address compute it once', async (t) => {
  const engine = await createEngine(t);
  const leaf = await engine.put(pseudoRandom(3_000_000, 8));
  const r = await engine.putRecipe(fn('sort-lines@1'), [leaf], params());
  const before = engine.status().computations;
  const outs = await Promise.all(Array.from({ length: 16 }, () => engine.read(r)));
  t.equal(engine.status().computations - before, 1);
  for (const o of outs) t.same(o, outs[0]);
  await engine.read(r);
  t.equal(engine.status().computations - before, 1, 'a later read is served from the action cache');
});

t.test('a diamond DAG resolves each node once', async (t) => {
  const engine = await createEngine(t);
  const a = await engine.put(Buffer.from('abc\nbcd\n'));
  const b = await engine.putRecipe(fn('replace@1'), [a], params({ from: 'b', to: 'B' }));
  const c1 = await engine.putRecipe(fn('sort-lines@1'), [b], params({ reverse: 'true' }));
  const c2 = await engine.putRecipe(fn('head-lines@1'), [b], params({ n: '1' }));
  const d = await engine.putRecipe(fn('concat@1'), [c1, c2], params());
  t.equal((await engine.read(d)).toString(), 'aBc\nBcd\naBc\n');
  t.equal(engine.status().computations, 3, 'b once, c1, c2; d is structural: nothing to run');
  t.same(engine.dependents(b).map((x) => x.hex).sort(), [c1.hex, c2.hex].sort(), 'reverse edges');
});

t.test('the action cache survives a restart: no recomputation', async (t) => {
  const home = await engineHome(t, { threads: 1 });
  let engine = home.open();
  const leaf = await engine.put(Buffer.from('persist me'));
  const r = await engine.putRecipe(fn('upper@1'), [leaf], params());
  const first = await engine.read(r);
  await engine.close();
  engine = home.open();
  t.same(await engine.read(r), first);
  t.equal(engine.status().computations, 0);
  t.equal(engine.info(r).kind, 'recipe');
  t.equal(engine.resolveAddress(r.hex.slice(0, 10)).hex, r.hex, 'unique prefix resolves');
});

t.test('the same recipe, params in any order or as strings vs typed, has one address', async (t) => {
  const engine = await createEngine(t);
  const leaf = await engine.put(Buffer.from('x'));
  const a = await engine.putRecipe(fn('slice@1'), [leaf], params({ offset: '1', length: '2' }));
  const b = await engine.putRecipe(
    fn('slice@1'),
    [leaf],
    new Map<string, ParamValue>([
      ['length', { type: 'int', value: 2n }],
      ['offset', { type: 'int', value: 1n }],
    ]),
  );
  t.equal(a.hex, b.hex);
  const withDefault = await engine.putRecipe(fn('concat@1'), [leaf], params());
  const explicit = await engine.putRecipe(fn('concat@1'), [leaf], params({ sep: '' }));
  t.equal(withDefault.hex, explicit.hex, 'defaults are part of the canonical form');
});

t.test('bad recipes are typed errors naming what is wrong', async (t) => {
  const engine = await createEngine(t);
  const leaf = await engine.put(Buffer.from('data'));
  await t.rejects(engine.putRecipe(fn('nope@1'), [leaf], params()), { code: 'UNKNOWN_FUNCTION', message: /nope@1/ });
  await t.rejects(engine.putRecipe(fn('upper@9'), [leaf], params()), { code: 'UNKNOWN_FUNCTION', message: /upper@1/ });
  await t.rejects(engine.putRecipe(fn('slice@1'), [leaf], params({ offset: '1' })), {
    code: 'BAD_PARAM',
    message: /'length'.*required/,
  });
  await t.rejects(engine.putRecipe(fn('slice@1'), [leaf], params({ offset: 'x', length: '1' })), {
    code: 'BAD_PARAM',
    message: /'offset'/,
  });
  await t.rejects(engine.putRecipe(fn('upper@1'), [leaf], params({ bogus: '1' })), { code: 'BAD_PARAM', message: /'bogus'/ });
  await t.rejects(engine.putRecipe(fn('upper@1'), [leaf, leaf], params()), { code: 'INPUT_COUNT', message: /exactly 1/ });
  const missing = CAddr.fromHex('0'.repeat(64));
  await t.rejects(engine.putRecipe(fn('upper@1'), [missing], params()), { code: 'NOT_FOUND', message: /0{64}/ });
  t.throws(() => engine.resolveAddress('zz'), { code: 'INVALID_ADDRESS' });
  t.throws(() => engine.resolveAddress('00000000'), { code: 'NOT_FOUND' });
});

t.test('a failing function is a typed error naming recipe and function; the engine keeps serving', async (t) => {
  const engine = await createEngine(t);
  const garbage = await engine.put(Buffer.from('this is not gzip data'));
  const r = await engine.putRecipe(fn('gunzip@1'), [garbage], params());
  await t.rejects(engine.read(r), { code: 'FUNCTION_FAILED', message: new RegExp(`${r.hex}.*gunzip@1`) });
  const ok = await engine.putRecipe(fn('upper@1'), [garbage], params());
  t.equal((await engine.read(ok)).toString(), 'THIS IS NOT GZIP DATA');
});

t.test('state moves from not-materialized to materialized; failures are remembered', async (t) => {
  const engine = await createEngine(t);
  const leaf = await engine.put(Buffer.from('plain text'));
  const up = await engine.putRecipe(fn('replace@1'), [leaf], params({ from: 't', to: 'T' }));
  const bad = await engine.putRecipe(fn('gunzip@1'), [leaf], params());
  t.equal(engine.info(leaf).state, 'materialized');
  t.equal(engine.info(up).state, 'not-materialized');
  t.equal(engine.info(up).size, undefined, 'a streaming output: size unknown before computing');
  t.equal(await engine.size(up), 10);
  t.equal(engine.info(up).state, 'materialized');
  await t.rejects(engine.read(bad));
  t.equal(engine.info(bad).state, 'failed');
  t.match(engine.info(bad).error, /gunzip@1/);
});

t.test('invalidate forgets an output and every cached dependent, transitively', async (t) => {
  const engine = await createEngine(t);
  const leaf = await engine.put(Buffer.from('b\na\n'));
  const b = await engine.putRecipe(fn('replace@1'), [leaf], params({ from: 'a', to: 'c' }));
  const c = await engine.putRecipe(fn('sort-lines@1'), [b], params());
  const d = await engine.putRecipe(fn('count@1'), [c], params());
  t.equal((await engine.read(d)).toString(), '2 2 4\n');
  const computed = engine.status().computations;
  t.same(await engine.invalidate(b), { evicted: 3, depth: 2, policy: 'immediate', pending: 0 });
  t.equal(engine.info(d).state, 'not-materialized');
  t.same(await engine.invalidate(leaf), { evicted: 0, depth: 0, policy: 'immediate', pending: 0 }, 'nothing cached left');
  t.equal((await engine.read(d)).toString(), '2 2 4\n', 'recomputed on the next read');
  t.equal(engine.status().computations - computed, 3);
  await t.rejects(engine.invalidate(CAddr.fromHex('1'.repeat(64))), { code: 'NOT_FOUND' });
});

t.test('shards list where addresses live', async (t) => {
  const engine = await createEngine(t);
  const a = await engine.put(Buffer.from('one'));
  const b = await engine.putRecipe(fn('upper@1'), [a], params());
  const shards = engine.shards();
  t.ok(shards.includes(a.shard) && shards.includes(b.shard));
  t.ok(engine.inShard(a.shard).some((x) => x.equals(a)));
  t.same(engine.inShard('zz'), []);
});
