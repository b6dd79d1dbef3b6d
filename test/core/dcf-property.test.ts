/**
 * Property tests: DCF v1 is a bijection between recipes and the byte strings decode accepts,
 * and param insertion order never reaches the bytes.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import t from 'tap';
import { decodeRecipe, encodeRecipe } from '../../src/core/dcf.js';
import type { Recipe } from '../../src/core/recipe.js';
import { canonical, normalize, paramEntriesArb, recipeArb } from './dcf-helpers.js';

const NUM_RUNS = 2000;

t.test('decode(encode(r)) equals r, params in UTF-8 key order', async (t) => {
  fc.assert(
    fc.property(recipeArb, (r) => {
      const decoded = decodeRecipe(encodeRecipe(r));
      assert.deepStrictEqual(canonical(decoded), canonical(r));
      assert.deepStrictEqual(normalize(decoded), canonical(decoded), 'decoded params in UTF-8 key order');
    }),
    { numRuns: NUM_RUNS },
  );
  t.pass(`${NUM_RUNS} recipes round-tripped`);
});

t.test('encode(decode(b)) === b for every encoding', async (t) => {
  fc.assert(
    fc.property(recipeArb, (r) => {
      const b = encodeRecipe(r);
      return encodeRecipe(decodeRecipe(b)).equals(b) && encodeRecipe(r).equals(b);
    }),
    { numRuns: NUM_RUNS },
  );
  t.pass(`${NUM_RUNS} encodings re-encoded identically`);
});

t.test('params in any insertion order encode to identical bytes', async (t) => {
  const arb = paramEntriesArb.chain((entries) =>
    fc.tuple(
      fc.constant(entries),
      fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }),
    ),
  );
  fc.assert(
    fc.property(recipeArb, arb, (r, [entries, shuffled]) => {
      const a: Recipe = { ...r, params: new Map(entries) };
      const b: Recipe = { ...r, params: new Map(shuffled) };
      const c: Recipe = { ...r, params: new Map([...entries].reverse()) };
      const bytes = encodeRecipe(a);
      return bytes.equals(encodeRecipe(b)) && bytes.equals(encodeRecipe(c));
    }),
    { numRuns: NUM_RUNS },
  );
  t.pass(`${NUM_RUNS} permutations agreed`);
});

t.test('different recipes encode differently', async (t) => {
  fc.assert(
    fc.property(recipeArb, recipeArb, (r1, r2) => {
      const same = JSON.stringify(canonical(r1)) === JSON.stringify(canonical(r2));
      return encodeRecipe(r1).equals(encodeRecipe(r2)) === same;
    }),
    { numRuns: NUM_RUNS },
  );
  t.pass('injective on the sample');
});

t.test('decode output is an independent, plain Recipe', async (t) => {
  fc.assert(
    fc.property(recipeArb, (r) => {
      const b = encodeRecipe(r);
      const before = JSON.stringify(normalize(decodeRecipe(b)));
      const decoded = decodeRecipe(b);
      b.fill(0);
      return JSON.stringify(normalize(decoded)) === before;
    }),
    { numRuns: 500 },
  );
  t.pass('zeroing the input after decode changes nothing');
});
