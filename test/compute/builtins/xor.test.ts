import t from 'tap';
import fc from 'fast-check';
import { xor } from '../../../src/compute/builtins/xor.js';
import { RUNS, bytesArb, expectSame, python, run, seedArb } from './helpers.js';

const XOR = 'key = bytes.fromhex(argv[0])\n'
  + 'sys.stdout.buffer.write(bytes(b ^ key[i % len(key)] for i, b in enumerate(data)))';

t.test('xor matches python at absolute offsets, however chunked', async (t) => {
  const keyArb = fc.uint8Array({ minLength: 1, maxLength: 9 }).map((k) => Buffer.from(k).toString('hex'));
  await fc.assert(fc.asyncProperty(bytesArb(), keyArb, fc.boolean(), seedArb, async (input, key, upper, seed) => {
    const hex = upper ? key.toUpperCase() : key;
    const expected = await python(XOR, input, [key]);
    expectSame(run(xor, [input], { key: hex }), expected, `key ${hex}`);
    expectSame(run(xor, [input], { key: hex }, { seed }), expected, `key ${hex}, random chunks`);
    expectSame(run(xor, [input], { key: hex }, 'bytes'), expected, `key ${hex}, 1-byte chunks`);
  }), RUNS);
  t.pass('xor agrees with python');
});

t.test('xor map uses the absolute offset it is given', async (t) => {
  const params = new Map([['key', '010203']]);
  const mapped = (length: number, offset: number) => {
    const out = new Uint8Array(length);
    xor.map(new Uint8Array(length), offset, params, out);
    return out;
  };
  t.same(mapped(3, 4), Uint8Array.of(2, 3, 1));
  t.same(mapped(2, 2 ** 40), Uint8Array.of(2, 3), '2^40 mod 3 = 1');
});

t.test('xor check rejects bad keys with a reason', async (t) => {
  const check = xor.params.key!.check!;
  t.match(check(''), /must not be empty/);
  t.match(check('abc'), /even number of hex digits \(got 3\)/);
  t.match(check('zz'), /only hex digits/);
  t.match(check('0x12'), /only hex digits/);
  t.equal(check('DeadBeef'), undefined);
  t.equal(xor.params.key!.default, undefined, 'key is required');
});
