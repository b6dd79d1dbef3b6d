import t from 'tap';
import fc from 'fast-check';
import { replace } from '../../../src/compute/builtins/replace.js';
import { RUNS, bytesArb, enc, expectSame, python, run, runSplits, seedArb } from './helpers.js';

const REPLACE = 'sys.stdout.buffer.write(data.replace(bytes.fromhex(argv[0]), bytes.fromhex(argv[1])))';
const hex = (s: string): string => Buffer.from(enc(s)).toString('hex');

t.test('replace matches python bytes.replace, however the input is pushed', async (t) => {
  // Small alphabets so matches are frequent, overlap (aa in aaa) and straddle push boundaries.
  const tokens = ['a', 'b', 'ab', 'aa', '\n', 'é', 'ba'];
  const fromArb = fc.constantFrom('a', 'ab', 'aa', 'aba', 'abab', 'é', 'ba\n', 'bbb');
  const toArb = fc.constantFrom('', 'X', 'a', 'aa', 'ab', 'long replacement', '€');
  await fc.assert(fc.asyncProperty(bytesArb(tokens, 120), fromArb, toArb, seedArb, async (input, from, to, seed) => {
    const expected = await python(REPLACE, input, [hex(from), hex(to)]);
    expectSame(runSplits(replace, input, { from, to }, seed), expected, `${from} -> ${to}`);
  }), RUNS);
  t.pass('replace agrees with python');
});

t.test('replace edge cases', async (t) => {
  const r = (input: string, from: string, to: string) => run(replace, [enc(input)], { from, to }, 'bytes').toString();
  t.equal(r('aaaa', 'aa', 'b'), 'bb', 'non-overlapping, left to right');
  t.equal(r('aaa', 'aa', 'b'), 'ba');
  t.equal(r('', 'x', 'y'), '', 'empty input');
  t.equal(r('ab', 'abc', 'y'), 'ab', 'partial match at end is kept');
  t.equal(r('xabcx', 'abc', ''), 'xx', 'empty replacement');
});

t.test('replace check rejects an empty from', async (t) => {
  t.match(replace.params.from!.check!(''), /must not be empty/);
  t.equal(replace.params.from!.check!('x'), undefined);
  t.equal(replace.params.from!.default, undefined, 'from is required');
  t.equal(replace.params.to!.default, undefined, 'to is required');
});
