/**
 * Refs in the engine over a real LMDB store and worker pool: a recipe over `ref:NAME` reads the
 * current binding; rebinding recomputes on the next read, and the binding and the invalidation
 * are one transaction (checked by reopening the store); history; errors; GC roots.
 */
import t from 'tap';
import { CAddr } from '../../src/core/caddr.js';
import { InvalidRefError, NotFoundError } from '../../src/core/errors.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { ParamValue, RecipeInput } from '../../src/core/recipe.js';
import { recipeToJson } from '../../src/core/recipe-json.js';
import type { Engine } from '../../src/engine/engine.js';
import { Store } from '../../src/store/store.js';
import { createEngine, engineHome, pseudoRandom } from '../helpers/temp.js';

const params = (o: Record<string, string> = {}) =>
  new Map<string, ParamValue>(Object.entries(o).map(([k, v]) => [k, { type: 'string', value: v }]));
const recipe = (engine: Engine, fn: string, inputs: RecipeInput[], p: Record<string, string> = {}) =>
  engine.putRecipe(parseFunctionId(fn), inputs, params(p));
const ref = (name: string): RecipeInput => ({ ref: name });

t.test('a recipe over a ref reads the current binding; a rebind recomputes on the next read', async (t) => {
  const engine = await createEngine(t, { chunkSize: 4096 });
  const a = await engine.put(Buffer.from('alpha\n'));
  const b = await engine.put(Buffer.from('bravo, longer\n'));
  await engine.setRef('data', a);
  const up = await recipe(engine, 'upper@1', [ref('data')]);
  const sorted = await recipe(engine, 'sort-lines@1', [up]); // whole: cached before read returns
  t.equal((await engine.read(sorted)).toString(), 'ALPHA\n');
  t.equal(engine.info(up).state, 'materialized');
  t.same(recipeToJson(engine.info(up).recipe!).inputs, ['ref:data'], 'JSON shows the ref');

  const set = await engine.setRef('data', b);
  t.same({ evicted: set.evicted, depth: set.depth }, { evicted: 2, depth: 2 }, 'both cached levels evicted');
  t.equal(set.previous?.addr.hex, a.hex, 'reports the binding it replaced');
  t.equal(engine.info(up).state, 'not-materialized');
  t.equal(engine.info(sorted).state, 'not-materialized');
  t.equal((await engine.read(sorted)).toString(), 'BRAVO, LONGER\n', 'recomputed with the new binding');
  t.equal(engine.info(up).size, 14, 'size follows the new binding');

  const again = await engine.setRef('data', b);
  t.equal(again.evicted, 2, 'rebinding to the same value still forgets (it is a new binding)');
  t.equal(engine.refHistory('data').length, 3);
});

t.test('the address covers the ref name, not the binding', async (t) => {
  const engine = await createEngine(t, { chunkSize: 4096 });
  const a = await engine.put(Buffer.from('x'));
  await engine.setRef('one', a);
  await engine.setRef('two', a);
  const r1 = await recipe(engine, 'identity@1', [ref('one')]);
  const r2 = await recipe(engine, 'identity@1', [ref('two')]);
  const direct = await recipe(engine, 'identity@1', [a]);
  t.not(r1.hex, r2.hex, 'different names, different recipes');
  t.not(r1.hex, direct.hex, 'a ref is not its binding');
  await engine.setRef('one', await engine.put(Buffer.from('y')));
  t.equal(r1.hex, (await recipe(engine, 'identity@1', [ref('one')])).hex, 'same address after a rebind');
});

t.test('binding and invalidation are one transaction: both are there after a reopen', async (t) => {
  const home = await engineHome(t, { threads: 1 });
  let engine = home.open({ chunkSize: 4096 });
  const a = await engine.put(Buffer.from('one\n'));
  const b = await engine.put(Buffer.from('two\n'));
  await engine.setRef('data', a);
  const up = await recipe(engine, 'upper@1', [ref('data')]);
  const sorted = await recipe(engine, 'sort-lines@1', [up]);
  t.equal((await engine.read(sorted)).toString(), 'ONE\n');
  await engine.setRef('data', b);
  await engine.close();

  const store = Store.open(home.dir);
  t.equal(store.refs.get('data')?.addr.hex, b.hex, 'the new binding is stored');
  t.equal(store.getAction(up), undefined, 'the dependent output is gone');
  t.equal(store.getAction(sorted), undefined, 'and its dependent too');
  t.equal(store.partials.count(up), 0, 'no partial chunks of the old binding');
  await store.close();

  engine = home.open();
  t.equal((await engine.read(sorted)).toString(), 'TWO\n', 'reads the new binding after reopening');
});

t.test('invalidating the bound value cascades through the ref', async (t) => {
  const engine = await createEngine(t, { chunkSize: 4096 });
  const leaf = await engine.put(Buffer.from('base\n'));
  const mid = await recipe(engine, 'replace@1', [leaf], { from: 'b', to: 'c' });
  await engine.setRef('data', mid);
  const up = await recipe(engine, 'upper@1', [ref('data')]);
  t.equal((await engine.read(up)).toString(), 'CASE\n');
  t.same(engine.dependents(mid).map((a) => a.hex), [up.hex], 'the ref dependent is a reverse edge of the binding');
  const r = await engine.invalidate(leaf);
  t.same({ evicted: r.evicted, depth: r.depth }, { evicted: 2, depth: 2 }, 'leaf -> mid -> upper(ref:data)');
  t.equal(engine.info(up).state, 'not-materialized');
});

t.test('a computation under way during a rebind is not cached', async (t) => {
  const engine = await createEngine(t, { chunkSize: 64 * 1024 });
  const big = await engine.put(pseudoRandom(1_000_000, 7));
  const small = await engine.put(Buffer.from('b\na\n'));
  await engine.setRef('data', big);
  const sorted = await recipe(engine, 'sort-lines@1', [ref('data')]);
  const up = await recipe(engine, 'upper@1', [ref('data')]);
  const reading = Promise.all([engine.read(sorted), engine.read(up, 0, 1_000_000)]);
  await engine.setRef('data', small);
  await reading; // whatever it returned, it must not be remembered as the output
  t.equal((await engine.read(sorted)).toString(), 'a\nb\n', 'the whole output follows the new binding');
  t.equal((await engine.read(up)).toString(), 'B\nA\n', 'and so do chunkwise chunks');
});

t.test('history lists every binding with its time, oldest first', async (t) => {
  const engine = await createEngine(t, { chunkSize: 4096 });
  const addrs = await Promise.all(['1', '2', '3'].map((s) => engine.put(Buffer.from(s))));
  const before = Date.now();
  for (const a of [addrs[0]!, addrs[1]!, addrs[0]!, addrs[2]!]) await engine.setRef('v', a);
  const after = Date.now();
  const history = engine.refHistory('v');
  t.same(history.map((h) => h.addr.hex), [addrs[0]!, addrs[1]!, addrs[0]!, addrs[2]!].map((a) => a.hex));
  t.ok(history.every((h) => h.time >= before && h.time <= after), 'times are when they were bound');
  t.ok(history.every((h, i) => i === 0 || h.time >= history[i - 1]!.time), 'in order');
  t.equal(engine.getRef('v').addr.hex, addrs[2]!.hex, 'the last is the current one');
  t.same(engine.listRefs().map((r) => r.name), ['v']);
});

t.test('errors: unknown address, bad name, unbound ref, cycle', async (t) => {
  const engine = await createEngine(t, { chunkSize: 4096 });
  const a = await engine.put(Buffer.from('a'));
  const unknown = CAddr.fromHex('ab'.repeat(32));
  await t.rejects(engine.setRef('x', unknown), NotFoundError);
  await t.rejects(engine.setRef('x', unknown), { message: new RegExp(unknown.hex) }, 'names the address');
  for (const bad of ['', '.', '..', 'a/b', 'a b', 'é', 'x'.repeat(129)]) {
    await t.rejects(engine.setRef(bad, a), InvalidRefError, `set ${JSON.stringify(bad)}`);
  }
  await t.rejects(engine.setRef('a/b', a), { message: /\[A-Za-z0-9._-\]/ }, 'names the rule');
  t.throws(() => engine.getRef('nope'), NotFoundError);
  t.throws(() => engine.refHistory('nope'), NotFoundError);
  await t.rejects(recipe(engine, 'upper@1', [ref('nope')]), { message: /ref nope is not bound/ });
  await t.rejects(recipe(engine, 'upper@1', [ref('../x')]), InvalidRefError);

  await engine.setRef('loop', a);
  const up = await recipe(engine, 'upper@1', [ref('loop')]);
  const over = await recipe(engine, 'identity@1', [up]);
  await t.rejects(engine.setRef('loop', over), { name: 'InvalidRefError', message: /cycle/ }, 'no ref bound to a value reading it');
  t.equal(engine.getRef('loop').addr.hex, a.hex, 'a refused binding changes nothing');
  t.equal(engine.refHistory('loop').length, 1, 'nor the history');
  await engine.setRef('other', over);
  await t.rejects(engine.setRef('loop', await recipe(engine, 'identity@1', [ref('other')])), /cycle/, 'through another ref');
});

t.test('GC roots: the addresses refs are bound to now', async (t) => {
  const home = await engineHome(t, { threads: 1 });
  const engine = home.open();
  const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((s) => engine.put(Buffer.from(s))));
  await engine.setRef('x', a!);
  await engine.setRef('y', a!);
  await engine.setRef('z', b!);
  await engine.setRef('z', c!);
  await engine.close();
  const store = Store.open(home.dir);
  t.teardown(() => store.close());
  t.same(store.refs.boundAddresses().map((r) => r.hex).sort(), [a!.hex, c!.hex].sort(), 'bound now, each once; history is not a root');
});
