/**
 * DCF v1 encoder checked against the spec: encodings written out byte by byte from
 * docs/dcf.md, canonical param ordering, and the typed errors for unencodable recipes.
 */
import t from 'tap';
import { CAddr } from '../../src/core/caddr.js';
import { decodeRecipe, encodeRecipe } from '../../src/core/dcf.js';
import { BadParamError, InvalidAddressError, UnknownFunctionError } from '../../src/core/errors.js';
import type { ParamValue, Recipe } from '../../src/core/recipe.js';
import { MAGIC, bytes, normalize } from './dcf-helpers.js';

const str = (value: string): ParamValue => ({ type: 'string', value });
const int = (value: bigint): ParamValue => ({ type: 'int', value });
const bool = (value: boolean): ParamValue => ({ type: 'bool', value });
const bin = (hex: string): ParamValue => ({ type: 'bytes', value: new Uint8Array(Buffer.from(hex, 'hex')) });

/** b3sum of "hello\n". */
const HELLO = CAddr.fromHex('8e4c7c1b99dbfd50e7a95185fead5ee1448fa904a2fdd778eaf5f2dbfd629a99');

const handVectors: { name: string; recipe: Recipe; expected: Buffer }[] = [
  {
    name: 'worked example of docs/dcf.md',
    recipe: {
      fn: { name: 'replace', version: 1 },
      inputs: [HELLO],
      params: new Map([
        ['to', str('L')],
        ['from', str('l')],
        ['max', int(2n)],
        ['fold-case', bool(true)],
      ]),
    },
    expected: bytes(
      MAGIC,
      '01', '00 00 00 07', '72 65 70 6c 61 63 65', // fn name "replace"
      '02', '00 00 00 01', // fn version 1
      '03', '00 00 00 01', // inputs: 1
      '00', HELLO.hex, //   kind address, 32 bytes
      '04', '00 00 00 04', // params: 4, sorted by UTF-8 key bytes
      '00 00 00 09', '66 6f 6c 64 2d 63 61 73 65', '03', '01', // "fold-case" bool true
      '00 00 00 04', '66 72 6f 6d', '01', '00 00 00 01', '6c', // "from" string "l"
      '00 00 00 03', '6d 61 78', '02', '00 00 00 00 00 00 00 02', // "max" int 2
      '00 00 00 02', '74 6f', '01', '00 00 00 01', '4c', // "to" string "L"
    ),
  },
  {
    name: 'no inputs, bytes, negative int, keys in UTF-8 (not UTF-16) order',
    recipe: {
      fn: { name: 'x', version: 0x01020304 },
      inputs: [],
      params: new Map([
        ['\u{1F600}', bin('dead')],
        ['\uFF5E', int(-2n)],
      ]),
    },
    expected: bytes(
      MAGIC,
      '01', '00 00 00 01', '78', // "x"
      '02', '01 02 03 04',
      '03', '00 00 00 00',
      '04', '00 00 00 02',
      '00 00 00 03', 'ef bd 9e', '02', 'ff ff ff ff ff ff ff fe', // U+FF5E int -2
      '00 00 00 04', 'f0 9f 98 80', '04', '00 00 00 02', 'de ad', // U+1F600 bytes dead
    ),
  },
  {
    name: 'repeated input, bool false, i64 min, empty string',
    recipe: {
      fn: { name: 'a-b', version: 1 },
      inputs: [CAddr.fromBytes(Buffer.alloc(32)), CAddr.fromBytes(Buffer.alloc(32))],
      params: new Map([
        ['s', str('')],
        ['b', bool(false)],
        ['i', int(-(2n ** 63n))],
      ]),
    },
    expected: bytes(
      MAGIC,
      '01', '00 00 00 03', '61 2d 62', // "a-b"
      '02', '00 00 00 01',
      '03', '00 00 00 02', '00', Buffer.alloc(32), '00', Buffer.alloc(32),
      '04', '00 00 00 03',
      '00 00 00 01', '62', '03', '00', // "b" false
      '00 00 00 01', '69', '02', '80 00 00 00 00 00 00 00', // "i" -2^63
      '00 00 00 01', '73', '01', '00 00 00 00', // "s" ""
    ),
  },
];

for (const v of handVectors) {
  t.test(`hand-built: ${v.name}`, async (t) => {
    t.equal(encodeRecipe(v.recipe).toString('hex'), v.expected.toString('hex'), 'encode matches the spec');
    t.same(normalize(decodeRecipe(v.expected)), normalize({ ...v.recipe, params: sortedParams(v.recipe) }));
  });
}

/** The recipe's params re-inserted in UTF-8 key order: the order decode yields them in. */
function sortedParams(r: Recipe): Map<string, ParamValue> {
  const keys = [...r.params.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return new Map(keys.map((k) => [k, r.params.get(k)!]));
}

t.test('encode returns a fresh Buffer independent of the recipe', async (t) => {
  const value = new Uint8Array([1, 2, 3]);
  const r: Recipe = { fn: { name: 'f', version: 1 }, inputs: [], params: new Map([['b', { type: 'bytes', value }]]) };
  const first = encodeRecipe(r);
  t.ok(Buffer.isBuffer(first));
  value[0] = 9;
  t.not(encodeRecipe(r).toString('hex'), first.toString('hex'), 'encoding reads current values');
  const decoded = decodeRecipe(first);
  first[first.length - 3] = 7;
  t.same([...(decoded.params.get('b')!.value as Uint8Array)], [1, 2, 3], 'decoded bytes are a copy');
});

t.test('leading BOM and NUL survive the round trip', async (t) => {
  const r: Recipe = { fn: { name: 'f', version: 1 }, inputs: [], params: new Map([['\uFEFFk', str('\uFEFF\0')]]) };
  const b = encodeRecipe(r);
  t.match(b.toString('hex'), 'efbbbf6b', 'BOM bytes in the key');
  t.same(normalize(decodeRecipe(b)), normalize(r));
  t.equal(encodeRecipe(decodeRecipe(b)).toString('hex'), b.toString('hex'));
});

// ---------------------------------------------------------------------------------------------
// Recipes that cannot be encoded

const base: Recipe = { fn: { name: 'upper', version: 1 }, inputs: [HELLO], params: new Map() };
const withParams = (entries: [string, unknown][]): Recipe => ({
  ...base,
  params: new Map(entries as [string, ParamValue][]),
});

t.test('invalid function ids are UnknownFunctionError', async (t) => {
  const cases: [string, unknown, unknown][] = [
    ['uppercase name', 'Upper', 1],
    ['empty name', '', 1],
    ['double dash', 'a--b', 1],
    ['trailing dash', 'a-', 1],
    ['65-char name', 'a'.repeat(65), 1],
    ['non-ASCII name', 'uppér', 1],
    ['non-string name', 42, 1],
    ['version 0', 'upper', 0],
    ['negative version', 'upper', -1],
    ['fractional version', 'upper', 1.5],
    ['version 2^32', 'upper', 2 ** 32],
    ['NaN version', 'upper', NaN],
    ['bigint version', 'upper', 1n],
  ];
  for (const [name, fnName, version] of cases) {
    const r = { ...base, fn: { name: fnName, version } } as unknown as Recipe;
    t.throws(() => encodeRecipe(r), UnknownFunctionError, name);
  }
});

t.test('invalid inputs are InvalidAddressError naming the index', async (t) => {
  const cases: [string, unknown][] = [
    ['31-byte address', { bytes: Buffer.alloc(31) }],
    ['33-byte address', { bytes: Buffer.alloc(33) }],
    ['hex string', HELLO.hex],
    ['null', null],
    ['no bytes', {}],
  ];
  for (const [name, bad] of cases) {
    const r = { ...base, inputs: [HELLO, bad] } as unknown as Recipe;
    t.throws(() => encodeRecipe(r), InvalidAddressError, name);
    t.throws(() => encodeRecipe(r), { message: /input 1 / }, `${name}: names the index`);
  }
});

t.test('bad params are BadParamError naming the param', async (t) => {
  const cases: [string, [string, unknown][], string, RegExp][] = [
    ['empty key', [['', str('v')]], '', /empty/],
    ['lone high surrogate in key', [['k\uD800', str('v')]], 'k\uD800', /well-formed/],
    ['lone low surrogate in value', [['k', str('\uDC00x')]], 'k', /well-formed/],
    ['reversed surrogate pair in value', [['k', str('\uDE00\uD83D')]], 'k', /well-formed/],
    ['int 2^63', [['n', int(2n ** 63n)]], 'n', /i64/],
    ['int -2^63-1', [['n', int(-(2n ** 63n) - 1n)]], 'n', /i64/],
    ['int given as a number', [['n', { type: 'int', value: 1 }]], 'n', /not a valid typed value/],
    ['bool given as 1', [['b', { type: 'bool', value: 1 }]], 'b', /not a valid typed value/],
    ['bytes given as array', [['x', { type: 'bytes', value: [1] }]], 'x', /not a valid typed value/],
    ['unknown type', [['f', { type: 'float', value: 1.5 }]], 'f', /float/],
    ['missing value', [['m', undefined]], 'm', /not a valid typed value/],
  ];
  for (const [name, entries, param, message] of cases) {
    let err: unknown;
    try {
      encodeRecipe(withParams(entries));
    } catch (e) {
      err = e;
    }
    t.type(err, BadParamError, name);
    t.equal((err as BadParamError).param, param, `${name}: names the param`);
    t.match((err as Error).message, message, `${name}: says why`);
  }
});

t.test('i64 extremes encode', async (t) => {
  for (const n of [-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n]) {
    const r = withParams([['n', int(n)]]);
    t.equal(decodeRecipe(encodeRecipe(r)).params.get('n')!.value, n, String(n));
  }
});
