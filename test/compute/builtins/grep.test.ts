import t from 'tap';
import fc from 'fast-check';
import { grep } from '../../../src/compute/builtins/grep.js';
import { RUNS, bytesArb, enc, expectSame, run, runSplits, seedArb, tool } from './helpers.js';

t.test('grep matches LC_ALL=C grep -aF / -vaF, however the input is pushed', async (t) => {
  const tokens = ['foo', 'fo', 'o', 'bar', ' ', '\n', '\n', '\r\n', 'é', '\t', 'FOO', '\0'];
  const patternArb = fc.constantFrom('', 'foo', 'o', 'oo\n', 'foo\nbar', 'é', 'o f', 'FOO', 'bar\r', 'zzz', 'o\nzzz');
  await fc.assert(fc.asyncProperty(bytesArb(tokens, 100), patternArb, fc.boolean(), seedArb,
    async (input, pattern, invert, seed) => {
      const expected = await tool('grep', [invert ? '-vaF' : '-aF', '-e', pattern], input, [0, 1]);
      expectSame(runSplits(grep, input, { pattern, invert }, seed), expected, `pattern ${JSON.stringify(pattern)}`);
    }), RUNS);
  t.pass('grep agrees with grep -F');
});

t.test('grep edge cases', async (t) => {
  const g = (input: string, pattern: string, invert = false) => run(grep, [enc(input)], { pattern, invert }).toString();
  t.equal(g('', ''), '', 'empty input has no lines');
  t.equal(g('\n\n', ''), '\n\n', 'empty pattern matches empty lines');
  t.equal(g('a\nb', 'b'), 'b\n', 'final line without newline gets one');
  t.equal(g('a\nb', 'b', true), 'a\n');
  t.equal(g('a\r\nb\r\n', 'a'), 'a\r\n', 'CRLF lines keep their CR');
  t.equal(grep.params.invert!.default, false);
  t.equal(grep.params.pattern!.default, undefined, 'pattern is required');
});
