/**
 * Leaf and recipe addresses: leaves are plain BLAKE3 (what `b3sum` prints), recipes are
 * derive-key BLAKE3 under RECIPE_CONTEXT, checked against the b3sum binary.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import t from 'tap';
import { RECIPE_CONTEXT, leafAddress, recipeAddress } from '../../src/core/address.js';
import { CAddr } from '../../src/core/caddr.js';
import { encodeRecipe } from '../../src/core/dcf.js';
import type { Recipe } from '../../src/core/recipe.js';
import { recipeArb } from './dcf-helpers.js';

function b3sum(data: Uint8Array, ...flags: string[]): string {
  return execFileSync('b3sum', ['--no-names', ...flags], { input: data }).toString().trim();
}

t.test('context string is fixed', async (t) => {
  t.equal(RECIPE_CONTEXT, 'deriva 2026-11-21 recipe address v1');
});

t.test('leaf address of the empty input is the well-known BLAKE3 of ""', async (t) => {
  const addr = leafAddress(new Uint8Array(0));
  t.type(addr, CAddr);
  t.equal(addr.hex, 'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262');
});

t.test('leaf addresses match b3sum', async (t) => {
  for (const size of [1, 63, 64, 65, 1023, 1024, 1025, 4096, 200_000, 1 << 20]) {
    const data = randomBytes(size);
    t.equal(leafAddress(data).hex, b3sum(data), `${size} random bytes`);
  }
  const big = randomBytes(300);
  t.equal(leafAddress(big.subarray(100, 200)).hex, b3sum(big.subarray(100, 200)), 'a view into a larger buffer');
});

t.test('recipe addresses match b3sum --derive-key', async (t) => {
  for (const r of fc.sample(recipeArb, { numRuns: 10, seed: 7 })) {
    t.equal(recipeAddress(r).hex, b3sum(encodeRecipe(r), '--derive-key', RECIPE_CONTEXT));
  }
});

t.test('no recipe address equals the leaf address of its own DCF bytes', async (t) => {
  fc.assert(
    fc.property(recipeArb, (r) => !recipeAddress(r).equals(leafAddress(encodeRecipe(r)))),
    { numRuns: 500 },
  );
  t.pass('500 recipes checked');
});

t.test('param insertion order does not change the address', async (t) => {
  const a: Recipe = {
    fn: { name: 'upper', version: 1 },
    inputs: [],
    params: new Map([
      ['b', { type: 'int', value: 1n }],
      ['a', { type: 'bool', value: true }],
    ]),
  };
  const b: Recipe = { ...a, params: new Map([...a.params].reverse()) };
  t.ok(recipeAddress(a).equals(recipeAddress(b)));
});

t.test('worked example of docs/dcf.md has the documented address', async (t) => {
  const r: Recipe = {
    fn: { name: 'replace', version: 1 },
    inputs: [CAddr.fromHex('8e4c7c1b99dbfd50e7a95185fead5ee1448fa904a2fdd778eaf5f2dbfd629a99')],
    params: new Map([
      ['to', { type: 'string', value: 'L' }],
      ['from', { type: 'string', value: 'l' }],
      ['max', { type: 'int', value: 2n }],
      ['fold-case', { type: 'bool', value: true }],
    ]),
  };
  t.equal(encodeRecipe(r).length, 121);
  t.equal(recipeAddress(r).hex, '957fb1528f32e790a5e435dc7fbfcd87a68bddf516cafc16c0ae7a03abbbc66a');
  t.equal(leafAddress(encodeRecipe(r)).hex, '2acb5a87cfc599d87537296331e8973e9dfe8a8fc7c9357181c17b0299ff4a36');
});
