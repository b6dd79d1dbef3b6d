/**
 * Golden vectors: test/fixtures/dcf-golden.json pins DCF v1 bytes and recipe addresses, so any
 * change to the encoding or the address scheme fails here. The fixture is produced by
 * test/core/make-golden.py, which encodes from the spec in Python and hashes with the Debian
 * `b3sum` binary, independently of our TypeScript and our BLAKE3 binding:
 *
 *     python3 test/core/make-golden.py > test/fixtures/dcf-golden.json
 *
 * Never regenerate to make this test pass: a changed vector means every stored address changed.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { leafAddress, recipeAddress } from '../../src/core/address.js';
import { decodeRecipe, encodeRecipe } from '../../src/core/dcf.js';
import { MAGIC, bytes, canonical, lp, normalize, recipeFromJson, u32, type GoldenVector } from './dcf-helpers.js';

const vectors = JSON.parse(
  readFileSync(new URL('../fixtures/dcf-golden.json', import.meta.url), 'utf8'),
) as GoldenVector[];

t.ok(vectors.length >= 20, `${vectors.length} golden vectors`);

for (const v of vectors) {
  t.test(v.name, async (t) => {
    const recipe = recipeFromJson(v.recipe);
    t.equal(encodeRecipe(recipe).toString('hex'), v.dcf, 'encode == fixture hex');
    const decoded = decodeRecipe(Buffer.from(v.dcf, 'hex'));
    t.strictSame(canonical(decoded), canonical(recipe), 'decode(hex) is the recipe');
    t.strictSame(normalize(decoded), canonical(decoded), 'decoded params in UTF-8 key order');
    t.equal(recipeAddress(recipe).hex, v.address, 'recipeAddress == b3sum --derive-key');
    t.equal(leafAddress(Buffer.from(v.dcf, 'hex')).hex, v.dcfLeafAddress, 'leafAddress(dcf) == b3sum');
    t.not(v.address, v.dcfLeafAddress, 'recipe address differs from the leaf address of its bytes');
  });
}

t.test('fixture hex agrees with the spec, checked by hand', async (t) => {
  const byName = new Map(vectors.map((v) => [v.name, v]));
  const a = byName.get('one input, no params')!;
  const expected = bytes(MAGIC, '01', lp('upper'), '02', u32(1), '03', u32(1), '00', a.recipe.inputs[0]!, '04', u32(0));
  t.equal(a.dcf, expected.toString('hex'));
  const empty = byName.get('zero inputs, no params')!;
  t.equal(empty.dcf, '44434601' + '01' + '00000005' + '656d707479' + '02' + '00000001' + '03' + '00000000' + '04' + '00000000');
  const order = byName.get('UTF-16 order differs from UTF-8 order')!;
  t.match(order.dcf, /00000003efbd9e.*00000004f09f9880/, 'U+FF5E (ef bd 9e) before U+1F600 (f0 9f 98 80)');
  t.equal(order.recipe.params[0]!.key, '\u{1F600}', 'the fixture lists them the other way round');
  const ints = byName.get('int extremes')!;
  t.match(ints.dcf, lp('max').toString('hex') + '02' + '7fffffffffffffff');
  t.match(ints.dcf, lp('min').toString('hex') + '02' + '8000000000000000');
  t.match(ints.dcf, lp('neg-one').toString('hex') + '02' + 'ffffffffffffffff');
  t.match(ints.dcf, lp('zero').toString('hex') + '02' + '0000000000000000');
});

t.test('all golden addresses are distinct', async (t) => {
  const all = vectors.flatMap((v) => [v.address, v.dcfLeafAddress]);
  t.equal(new Set(all).size, all.length);
});
