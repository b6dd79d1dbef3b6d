/**
 * Integrity and verification mode where refs are involved: a corrupt output reached through a
 * ref input is rebuilt like any other input, verification mode follows a ref to its current
 * binding (again after a rebinding), and a recipe over a ref that is quarantined no longer
 * shows up among the ref target's dependents.
 */
import t, { type Test } from 'tap';
import { TEST_FUNCTIONS_ENV } from '../../src/compute/test-functions.js';
import { NonDeterministicError } from '../../src/core/errors.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { ParamValue } from '../../src/core/recipe.js';
import { chunksOf, flipChunkByte, flipRecipeByte, outputOf } from '../helpers/corrupt.js';
import { engineHome } from '../helpers/temp.js';

process.env[TEST_FUNCTIONS_ENV] = '1';
const CS = 4096;
const none = new Map<string, ParamValue>();
const reverse = new Map<string, ParamValue>([['reverse', { type: 'bool', value: true }]]);
const fn = parseFunctionId;
const lines = (n: number, seed: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => `${((i * 7919 + seed) % 10007).toString(36)} line ${i}\n`).join(''));
const sortLines = (b: Buffer, rev = false) => {
  const sorted = b.toString('latin1').split('\n').filter(Boolean).sort();
  return (rev ? sorted.reverse() : sorted).map((l) => `${l}\n`).join('');
};

const storeAt = (t: Test) => engineHome(t, { chunkSize: CS });

t.test('a corrupt cached output read through a ref input is rebuilt, then the recipe over the ref computes', async (t) => {
  const { dir, open } = await storeAt(t);
  let engine = open();
  const text = lines(3000, 4);
  const leaf = await engine.put(text);
  const sorted = await engine.putRecipe(fn('sort-lines@1'), [leaf], none);
  await engine.read(sorted);
  await engine.setRef('src', sorted);
  const reversed = await engine.putRecipe(fn('sort-lines@1'), [{ ref: 'src' }], reverse);
  await engine.close();
  await flipChunkByte(dir, (await chunksOf(dir, await outputOf(dir, sorted)))[0]!, 3);

  engine = open();
  t.equal((await engine.read(reversed)).toString('latin1'), sortLines(text, true), 'the whole function over the ref gets the right bytes');
  t.equal(engine.status().integrityEvents, 1, 'one integrity event');
  t.equal(engine.status().computations, 3, 'reverse sort tried, the ref target rebuilt, reverse sort again');
});

t.test('verification mode verifies a ref input at its binding, and again after a rebinding', async (t) => {
  const { open } = await storeAt(t);
  const engine = open();
  const a = await engine.put(Buffer.from('b\na\n'));
  const b = await engine.put(Buffer.from('d\nc\n'));
  const sortedA = await engine.putRecipe(fn('sort-lines@1'), [a], none);
  const nd = await engine.putRecipe(fn('nondeterministic@1'), [b], none);
  await engine.setRef('src', sortedA);
  const up = await engine.putRecipe(fn('upper@1'), [{ ref: 'src' }], none);
  t.equal((await engine.read(up, 0, 100, { verify: true })).toString(), 'A\nB\n');
  t.equal(engine.status().computations, 4, 'sort-lines (the binding) and upper, each twice');

  await engine.setRef('src', nd);
  const err = await engine.read(up, 0, 100, { verify: true }).catch((e: unknown) => e);
  t.type(err, NonDeterministicError, 'the new binding is verified: its function is caught');
  t.ok(engine.nonDeterministic().has('nondeterministic@1'));
});

t.test('a quarantined recipe over a ref leaves the dependents of what the ref is bound to', async (t) => {
  const { dir, open } = await storeAt(t);
  let engine = open();
  const leaf = await engine.put(Buffer.from('some text'));
  await engine.setRef('src', leaf);
  const up = await engine.putRecipe(fn('upper@1'), [{ ref: 'src' }], none);
  const direct = await engine.putRecipe(fn('lower@1'), [leaf], none);
  t.same(engine.dependents(leaf).map((a) => a.hex).sort(), [up.hex, direct.hex].sort());
  await engine.close();
  await flipRecipeByte(dir, up);

  engine = open();
  const report = await engine.scrub();
  t.match(report, { corrupt: 1, quarantined: [{ kind: 'recipe', addr: up.hex }] });
  t.same(engine.dependents(leaf).map((a) => a.hex), [direct.hex], 'only the intact recipe is a dependent');
  const set = await engine.setRef('src', await engine.put(Buffer.from('other')));
  t.equal(set.evicted, 0, 'rebinding walks no quarantined recipe');
});
