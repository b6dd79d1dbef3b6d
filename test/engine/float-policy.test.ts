/**
 * The float policy on a real engine (LMDB in a temp dir, the worker pool): `strict` registers
 * and computes float functions; `disabled` refuses to register them and to compute them (also
 * as an input of another recipe, and for a recipe registered while the policy was `strict`),
 * with a typed error, while everything else keeps working; on every compute path (streaming
 * runs, range reads, whole inputs, ref inputs).
 */
import t from 'tap';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { ParamValue } from '../../src/core/recipe.js';
import { createEngine, engineHome } from '../helpers/temp.js';
import { recordingObserver } from '../metrics/recording-observer.js';

const params = (o: Record<string, string> = {}) =>
  new Map(Object.entries(o).map(([k, v]): [string, ParamValue] => [k, { type: 'string', value: v }]));
const fn = parseFunctionId;

t.test('strict (the default) computes float functions in the workers', async (t) => {
  const engine = await createEngine(t);
  t.equal(engine.floatPolicy, 'strict');
  const leaf = await engine.put(Buffer.from('4\n\n0.25\n-1\n0.75\n'));
  const roots = await engine.putRecipe(fn('fmap@1'), [leaf], params({ op: 'sqrt' }));
  t.equal((await engine.read(roots)).toString(), '2\n\n0.5\nnan\n0.8660254037844386\n');
  // Exact in binary: mean 1, squared deviations 9, 0.5625, 4, 0.0625; variance 13.625 / 4.
  const summary = await engine.putRecipe(fn('stats@1'), [leaf], params());
  const expected = `count 4\nsum 4\nmean 1\nmin -1\nmax 4\nvariance 3.40625\nstddev ${Math.sqrt(3.40625)}\n`;
  t.equal((await engine.read(summary)).toString(), expected);
});

t.test('a malformed line fails the recipe naming the line; the engine keeps serving', async (t) => {
  const engine = await createEngine(t);
  const leaf = await engine.put(Buffer.from('1\n2\nthree\n'));
  const r = await engine.putRecipe(fn('fmap@1'), [leaf], params({ op: 'exp' }));
  await t.rejects(engine.read(r), { code: 'FUNCTION_FAILED', message: /fmap@1\) failed: line 3: 'three' is not a number/ });
  t.match(engine.info(r), { state: 'failed', error: /line 3/ });
  const ok = await engine.putRecipe(fn('upper@1'), [leaf], params());
  t.equal((await engine.read(ok)).toString(), '1\n2\nTHREE\n');
});

t.test('disabled refuses to register float recipes, and nothing else', async (t) => {
  const engine = await createEngine(t, { floatPolicy: 'disabled' });
  const leaf = await engine.put(Buffer.from('1\n2\n'));
  for (const [id, p] of [['fmap@1', { op: 'sin' }], ['stats@1', {}]] as const) {
    await t.rejects(engine.putRecipe(fn(id), [leaf], params(p)), {
      code: 'FLOAT_DISABLED',
      name: 'FloatDisabledError',
      message: new RegExp(`cannot register a recipe of ${id}: it uses floating point .*--float-policy disabled`),
    });
  }
  const up = await engine.putRecipe(fn('upper@1'), [leaf], params());
  t.equal((await engine.read(up)).toString(), '1\n2\n');
  t.equal(engine.status().recipes, 1, 'no float recipe was stored');
});

t.test('disabled refuses to compute float recipes registered under strict, also as inputs', async (t) => {
  const home = await engineHome(t, { threads: 1 });
  let engine = home.open();
  const leaf = await engine.put(Buffer.from('1\n2\n'));
  const computed = await engine.putRecipe(fn('fmap@1'), [leaf], params({ op: 'neg' }));
  const pending = await engine.putRecipe(fn('fmap@1'), [leaf], params({ op: 'cbrt' }));
  const over = await engine.putRecipe(fn('upper@1'), [pending], params());
  t.equal((await engine.read(computed)).toString(), '-1\n-2\n');
  await engine.close();

  engine = home.open({ floatPolicy: 'disabled' });
  const refused = { code: 'FLOAT_DISABLED', message: /cannot compute a recipe of fmap@1/ };
  await t.rejects(engine.read(pending), refused);
  t.match(engine.info(pending), { state: 'failed', error: /--float-policy disabled/ });
  await t.rejects(engine.read(over), refused, 'a float input of a non-float recipe is refused too');
  t.equal(engine.status().computations, 0, 'nothing ran');
  t.equal((await engine.read(computed)).toString(), '-1\n-2\n', 'an output computed before is stored data: still served');
});

t.test('disabled is enforced on every compute path: streaming runs, ranges, whole inputs, refs', async (t) => {
  const home = await engineHome(t, { threads: 1 });
  let engine = home.open();
  const leaf = await engine.put(Buffer.from('1\n4\n9\n'));
  const roots = await engine.putRecipe(fn('fmap@1'), [leaf], params({ op: 'sqrt' }));
  const summary = await engine.putRecipe(fn('stats@1'), [leaf], params());
  await engine.setRef('numbers', roots);
  const viaRef = await engine.putRecipe(fn('upper@1'), [{ ref: 'numbers' }], params());
  const sortedViaRef = await engine.putRecipe(fn('sort-lines@1'), [{ ref: 'numbers' }], params());
  const floatOverRef = await engine.putRecipe(fn('fmap@1'), [{ ref: 'numbers' }], params({ op: 'neg' }));
  await engine.close();

  const { observer, events } = recordingObserver();
  engine = home.open({ floatPolicy: 'disabled', observer });
  const refused = { code: 'FLOAT_DISABLED', message: /cannot compute a recipe of (fmap|stats)@1/ };
  await t.rejects(engine.readInto(roots, 2, new Uint8Array(4)), refused, 'a range read of a streaming output');
  await t.rejects(engine.materialize(summary), refused, 'a streaming run drained whole');
  await t.rejects(engine.size(roots), refused, 'the exact size of a streaming output');
  await t.rejects(engine.read(viaRef), refused, 'a chunkwise recipe over a ref bound to a float recipe');
  await t.rejects(engine.read(sortedViaRef), refused, 'a whole recipe over a ref bound to a float recipe');
  await t.rejects(engine.read(floatOverRef), refused, 'a float recipe over a ref');
  t.match(engine.info(roots), { state: 'failed', error: /--float-policy disabled/ });
  t.same({ computations: engine.status().computations, streaming: engine.status().streaming }, { computations: 0, streaming: 0 }, 'no run started');
  t.same(events.materialized, [], 'nothing materialized');

  // Rebinding the ref to plain data: its dependents compute again, the float ones stay refused.
  const plain = await engine.put(Buffer.from('a\nb\n'));
  await engine.setRef('numbers', plain);
  t.equal((await engine.read(viaRef)).toString(), 'A\nB\n');
  t.equal((await engine.read(sortedViaRef)).toString(), 'a\nb\n');
  await t.rejects(engine.read(floatOverRef), refused);
});
