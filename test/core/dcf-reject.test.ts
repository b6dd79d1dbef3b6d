/**
 * Every non-canonical form listed in docs/dcf.md is a DecodeError that says what is wrong and at
 * which byte offset. Encodings here are spliced by hand from spec fields, not from the encoder.
 */
import t, { type Test } from 'tap';
import { decodeRecipe, encodeRecipe } from '../../src/core/dcf.js';
import { DecodeError } from '../../src/core/errors.js';
import { MAGIC, bytes, i64, lp, u32, type Part } from './dcf-helpers.js';

const ADDR = Buffer.alloc(32, 0xab);
const NAME = bytes('01', lp('upper')); // offsets 4..13
const VERSION = bytes('02', u32(1)); // 14..18
const INPUTS = bytes('03', u32(1), '00', ADDR); // 19..56
const NO_PARAMS = bytes('04', u32(0)); // 57..61
const P = 62; // first byte after the params count

const params = (...entries: Part[][]): Buffer => bytes('04', u32(entries.length), ...entries.flat());
const recipe = (...fields: Part[]): Buffer => bytes(MAGIC, ...fields);
const valid = recipe(NAME, VERSION, INPUTS, NO_PARAMS);
const str = (key: string, value: string): Part[] => [lp(key), '01', lp(value)];

/** Asserts `b` is rejected with a DecodeError whose message has `fragment` and `at byte offset N`. */
function rejects(t: Test, name: string, b: Uint8Array, fragment: string | RegExp, offset: number): void {
  try {
    decodeRecipe(b);
    t.fail(`${name}: accepted ${Buffer.from(b).toString('hex')}`);
  } catch (err) {
    t.type(err, DecodeError, `${name}: DecodeError`);
    t.match((err as Error).message, fragment, `${name}: says what`);
    t.match((err as Error).message, new RegExp(`at byte offset ${offset}$`), `${name}: says where (${offset})`);
  }
}

t.test('the base encoding is valid and canonical', async (t) => {
  const r = decodeRecipe(valid);
  t.equal(encodeRecipe(r).toString('hex'), valid.toString('hex'));
  t.equal(valid.length, P);
});

t.test('magic', async (t) => {
  rejects(t, 'empty input', bytes(), 'truncated magic', 0);
  rejects(t, 'short magic', bytes('44 43 46'), 'truncated magic', 0);
  rejects(t, 'wrong magic', bytes('58 43 46 01', NAME), 'bad magic 58434601', 0);
  rejects(t, 'wrong short magic', bytes('00'), 'bad magic 00', 0);
  rejects(t, 'future version', bytes('44 43 46 02', NAME), 'unsupported DCF version 2', 3);
  rejects(t, 'version 0', bytes('44 43 46 00'), 'unsupported DCF version 0', 3);
});

t.test('field tags: missing, duplicate, unsorted, unknown', async (t) => {
  rejects(t, 'magic only', recipe(), /missing field fn name \(tag 0x01\): input ends/, 4);
  rejects(t, 'no params field', recipe(NAME, VERSION, INPUTS), /missing field params .*input ends/, 57);
  rejects(t, 'version missing', recipe(NAME, INPUTS, NO_PARAMS), /missing field fn version .* found inputs/, 14);
  rejects(t, 'name missing', recipe(VERSION, INPUTS, NO_PARAMS), /missing field fn name .* found fn version/, 4);
  rejects(t, 'inputs missing', recipe(NAME, VERSION, NO_PARAMS), /missing field inputs .* found params/, 19);
  rejects(t, 'duplicate name', recipe(NAME, NAME, VERSION, INPUTS, NO_PARAMS), /duplicate field fn name/, 14);
  rejects(t, 'duplicate params', recipe(NAME, VERSION, INPUTS, NO_PARAMS, NO_PARAMS), 'trailing', 62);
  rejects(t, 'duplicate version', recipe(NAME, VERSION, VERSION, INPUTS, NO_PARAMS), /duplicate field fn version/, 19);
  rejects(t, 'name after inputs', recipe(NAME, VERSION, INPUTS, NAME, NO_PARAMS), /field fn name .* out of order/, 57);
  rejects(t, 'version and inputs swapped', recipe(NAME, INPUTS, VERSION, NO_PARAMS), /missing field fn version/, 14);
  for (const tag of [0x00, 0x05, 0x80, 0xff]) {
    rejects(t, `unknown tag ${tag}`, recipe(NAME, VERSION, bytes(tag), INPUTS, NO_PARAMS), /unknown field tag/, 19);
  }
});

t.test('truncated bodies', async (t) => {
  for (let cut = 5; cut < valid.length; cut++) {
    t.throws(() => decodeRecipe(valid.subarray(0, cut)), DecodeError, `cut at ${cut}`);
  }
  rejects(t, 'name length cut', valid.subarray(0, 7), 'truncated fn name length', 5);
  rejects(t, 'name cut', valid.subarray(0, 11), /fn name length 5 runs past the end of input \(2 bytes remain\)/, 5);
  rejects(t, 'version cut', valid.subarray(0, 17), 'truncated fn version', 15);
  rejects(t, 'inputs count cut', valid.subarray(0, 22), 'truncated inputs count', 20);
  rejects(t, 'address cut', valid.subarray(0, 40), 'truncated address of input 0: needs 32 bytes', 25);
  rejects(t, 'params count cut', valid.subarray(0, 60), 'truncated params count', 58);
  const header = [NAME, VERSION, INPUTS];
  rejects(t, 'int cut', recipe(...header, params([lp('n'), '02', '00 00 00'])), 'truncated value of param "n"', P + 6);
  rejects(t, 'bool missing', recipe(...header, '04', u32(1), lp('b'), '03'), 'params count 1 needs at least 7', 58);
  rejects(t, 'bool missing, padded count', recipe(...header, params([lp('bbbbbb'), '03'])), 'truncated value', P + 11);
  rejects(t, 'type missing', recipe(...header, params([lp('abcdefg')])), 'truncated type of param', P + 11);
});

t.test('length and count fields running past the end', async (t) => {
  const header = [NAME, VERSION, INPUTS];
  for (const n of [0xffff_ffff, 0x8000_0000, 0x7fff_ffff, 7]) {
    rejects(t, `name length ${n}`, recipe('01', u32(n), 'upper'), `fn name length ${n} runs past the end`, 5);
    rejects(t, `string length ${n}`, recipe(...header, params([lp('s'), '01', u32(n), 'aa'])), 'runs past', P + 6);
    rejects(t, `bytes length ${n}`, recipe(...header, params([lp('x'), '04', u32(n), 'aa'])), 'runs past', P + 6);
    rejects(t, `key length ${n}`, recipe(...header, params([u32(n), '61 01 00 00 00 00'])), 'key of param 0 length', P);
  }
  rejects(t, 'inputs count 2^32-1', recipe(NAME, VERSION, '03', u32(0xffff_ffff), '00', ADDR), 'needs at least 25769803770', 20);
  rejects(t, 'inputs count 2', recipe(NAME, VERSION, '03', u32(2), '00', ADDR, NO_PARAMS), 'unknown input kind 0x04', 57);
  rejects(t, 'params count 2^32-1', recipe(...header, '04', u32(0xffff_ffff), ...str('a', 'b')), 'params count', 58);
});

t.test('invalid UTF-8', async (t) => {
  const header = [NAME, VERSION, INPUTS];
  const bad: [string, string][] = [
    ['0xff', 'ff'],
    ['lone continuation', '80'],
    ['overlong slash', 'c0 af'],
    ['overlong NUL', 'c0 80'],
    ['encoded surrogate (CESU-8)', 'ed a0 80'],
    ['truncated 3-byte sequence', 'e6 97'],
    ['past U+10FFFF', 'f4 90 80 80'],
    ['5-byte form', 'f8 88 80 80 80'],
  ];
  for (const [name, hex] of bad) {
    const b = Buffer.from(hex.replace(/ /g, ''), 'hex');
    rejects(t, `fn name ${name}`, recipe('01', lp(b), VERSION, INPUTS, NO_PARAMS), 'fn name is not valid UTF-8', 9);
    rejects(t, `key ${name}`, recipe(...header, params([lp(b), '03', '01'])), 'key of param 0 is not valid UTF-8', P + 4);
    const value = [lp('k'), '01', lp(b)];
    rejects(t, `value ${name}`, recipe(...header, params(value)), 'value of param "k" is not valid UTF-8', P + 10);
  }
});

t.test('invalid function name and version', async (t) => {
  for (const name of ['', 'Upper', 'a--b', '-a', 'a-', '1a', 'a'.repeat(65), 'up per', 'uppér']) {
    rejects(t, `name ${JSON.stringify(name)}`, recipe('01', lp(name), VERSION, INPUTS, NO_PARAMS), 'not a valid function name', 5);
  }
  rejects(t, 'version 0', recipe(NAME, '02', u32(0), INPUTS, NO_PARAMS), 'fn version 0 is not allowed', 15);
});

t.test('input kinds', async (t) => {
  const withKind = (k: number): Buffer => recipe(NAME, VERSION, '03', u32(2), '00', ADDR, k, ADDR, NO_PARAMS);
  rejects(t, 'kind 0x02', withKind(0x02), 'unknown input kind 0x02', 57);
  rejects(t, 'kind 0xff', withKind(0xff), 'unknown input kind 0xff', 57);
});

t.test('ref inputs (kind 0x01)', async (t) => {
  const withRef = (name: Part): Buffer => recipe(NAME, VERSION, '03', u32(1), '01', name, NO_PARAMS);
  t.same(decodeRecipe(withRef(lp('data'))).inputs, [{ ref: 'data' }], 'a valid ref decodes');
  const bad: [string, Part][] = [
    ['empty name', lp('')],
    ['"."', lp('.')],
    ['".."', lp('..')],
    ['slash', lp('a/b')],
    ['space', lp('a b')],
    ['non-ASCII', lp('d\u00e9j\u00e0')],
    ['NUL', lp('a\0')],
    ['129 bytes', lp('r'.repeat(129))],
  ];
  for (const [name, body] of bad) rejects(t, `ref name ${name}`, withRef(body), /ref name .* of input 0 is not valid \(a ref name is 1 to 128/, 25);
  rejects(t, 'ref name length past the end', withRef(u32(1000)), 'ref name of input 0 length 1000 runs past the end', 25);
  rejects(t, 'ref name cut short', recipe(NAME, VERSION, '03', u32(1), '01', u32(4), 'aa'), /truncated|runs past/, 25);
});

t.test('param types and bool values', async (t) => {
  const header = [NAME, VERSION, INPUTS];
  for (const type of [0x00, 0x05, 0xff]) {
    const b = recipe(...header, params([lp('k'), type, '00 00 00 00 00 00 00 00']));
    rejects(t, `type ${type}`, b, /unknown type 0x.. of param "k"/, P + 5);
  }
  for (const v of [0x02, 0x10, 0xff]) {
    rejects(t, `bool ${v}`, recipe(...header, params([lp('k'), '03', v])), 'must be 0x00 or 0x01', P + 6);
  }
  t.ok(decodeRecipe(recipe(...header, params([lp('k'), '03', '01']))).params.get('k')!.value === true);
});

t.test('param key order', async (t) => {
  const header = [NAME, VERSION, INPUTS];
  const second = P + 4 + 1 + 1 + 4 + 1; // after key "b" = string "v"
  rejects(t, 'unsorted', recipe(...header, params(str('b', 'v'), str('a', 'v'))), 'not in increasing UTF-8 byte order', second);
  rejects(t, 'duplicate', recipe(...header, params(str('b', 'v'), str('b', 'w'))), 'duplicate param key "b"', second);
  rejects(t, 'empty key', recipe(...header, params([lp(''), '01', lp('xy')])), 'param 0 has an empty key', P);
  rejects(t, 'empty key second', recipe(...header, params(str('a', 'v'), [lp(''), '03', '01'])), 'empty key', P + 11);
  const ab = str('ab', 'v');
  rejects(t, 'longer before prefix', recipe(...header, params(ab, str('a', 'v'))), 'increasing', P + 12);
  const emoji = str('\u{1F600}', 'v');
  const tilde = str('\uFF5E', 'v');
  rejects(t, 'UTF-16 order', recipe(...header, params(emoji, tilde)), 'increasing', P + 4 + 4 + 1 + 5);
  t.ok(decodeRecipe(recipe(...header, params(tilde, emoji))), 'UTF-8 order accepted');
  t.ok(decodeRecipe(recipe(...header, params(str('B', 'v'), str('a', 'v')))), 'uppercase before lowercase');
});

t.test('trailing bytes', async (t) => {
  rejects(t, 'one zero byte', bytes(valid, '00'), '1 trailing byte(s)', P);
  rejects(t, 'a second recipe', bytes(valid, valid), `${P} trailing byte(s)`, P);
  const withParam = recipe(NAME, VERSION, INPUTS, params([lp('k'), '02', i64(5n)]));
  rejects(t, 'after a param', bytes(withParam, 'ff'), 'trailing', withParam.length);
});

t.test('non-byte-array input', async (t) => {
  t.throws(() => decodeRecipe('DCF\x01' as unknown as Uint8Array), DecodeError);
  t.throws(() => decodeRecipe(null as unknown as Uint8Array), DecodeError);
});

t.test('a view into a larger buffer decodes only its own bytes', async (t) => {
  const big = bytes('ff ff', valid, 'ff');
  t.ok(decodeRecipe(big.subarray(2, 2 + valid.length)));
  t.ok(decodeRecipe(new Uint8Array(big.buffer, big.byteOffset + 2, valid.length)));
});
