/**
 * Verification mode on a real engine: each recipe computed by two independent pool runs and
 * compared. Deterministic functions pass (and are computed twice); the test-only function
 * nondeterministic@1 (enabled by DERIVA_TEST_FUNCTIONS=1, set here before any engine or
 * worker starts) is caught, its result rejected, and the mark persists across a restart.
 */
import t from 'tap';
import { TEST_FUNCTIONS_ENV } from '../../src/compute/test-functions.js';
import { NonDeterministicError } from '../../src/core/errors.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { ParamValue } from '../../src/core/recipe.js';
import { createEngine, engineHome } from '../helpers/temp.js';

process.env[TEST_FUNCTIONS_ENV] = '1';
const none = new Map<string, ParamValue>();
const fn = parseFunctionId;

t.test('deterministic functions pass verification, each recipe computed twice', async (t) => {
  const engine = await createEngine(t);
  const leaf = await engine.put(Buffer.from('b\na\nc\n'));
  const sorted = await engine.putRecipe(fn('sort-lines@1'), [leaf], none);
  const up = await engine.putRecipe(fn('upper@1'), [sorted], none);
  t.equal((await engine.read(up, 0, 100, { verify: true })).toString(), 'A\nB\nC\n');
  t.equal(engine.status().computations, 4, 'sort-lines twice, upper twice');
  await engine.read(up, 0, 100, { verify: true });
  t.equal(engine.status().computations, 4, 'verified once per daemon run');
  t.same([...engine.nonDeterministic().keys()], []);
});

t.test('a non-deterministic function is caught, its result rejected, the mark persisted', async (t) => {
  const home = await engineHome(t);
  let engine = home.open();
  const leaf = await engine.put(Buffer.from('input'));
  const nd = await engine.putRecipe(fn('nondeterministic@1'), [leaf], none);
  const err = await engine.read(nd, 0, 100, { verify: true }).catch((e: unknown) => e);
  t.type(err, NonDeterministicError);
  t.equal((err as NonDeterministicError).code, 'NON_DETERMINISTIC');
  t.match((err as Error).message, /function nondeterministic@1 is non-deterministic: recipe [0-9a-f]{64} computed twice gave/);
  t.equal(engine.info(nd).state, 'failed', 'the result is rejected: nothing cached');
  t.match(engine.info(nd).error, /non-deterministic/);
  const mark = engine.nonDeterministic().get('nondeterministic@1');
  t.equal(mark?.recipe, nd.hex, 'marked with the recipe as evidence');
  t.not(mark?.outputs[0], mark?.outputs[1]);
  t.equal((await engine.read(nd)).subarray(0, 5).toString(), 'input', 'without verification it still reads');
  await engine.close();

  engine = home.open({ threads: 1, verify: true });
  t.ok(engine.nonDeterministic().has('nondeterministic@1'), 'the mark survives a restart');
  const other = await engine.putRecipe(fn('nondeterministic@1'), [await engine.put(Buffer.from('other'))], none);
  await t.rejects(engine.read(other), { code: 'NON_DETERMINISTIC', message: /nondeterministic@1 is marked non-deterministic/ }, 'global verify refuses a marked function');
  const fine = await engine.putRecipe(fn('sort-lines@1'), [leaf], none);
  t.equal((await engine.read(fine)).toString(), 'input\n', 'other functions still verify and read');
});

t.test('the test-only function exists only when DERIVA_TEST_FUNCTIONS=1', async (t) => {
  const { testFunctions } = await import('../../src/compute/test-functions.js');
  t.equal(testFunctions().length, 1);
  delete process.env[TEST_FUNCTIONS_ENV];
  t.teardown(() => void (process.env[TEST_FUNCTIONS_ENV] = '1'));
  t.equal(testFunctions().length, 0);
  const engine = await createEngine(t, { threads: 1 });
  t.notOk(engine.functions().some((f) => f.name === 'nondeterministic'), 'not registered in production');
});
