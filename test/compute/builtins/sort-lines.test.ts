import t from 'tap';
import fc from 'fast-check';
import { sortLines } from '../../../src/compute/builtins/sort-lines.js';
import { RUNS, bytesArb, enc, expectSame, run, tool } from './helpers.js';

t.test('sort-lines matches LC_ALL=C sort with -r and -u', async (t) => {
  // Few distinct lines so duplicates and shared prefixes are common; high bytes test unsigned order.
  const tokens = ['a', 'b', 'ab', 'B', ' ', '\t', '\n', '\n', '\n', '\r\n', 'é', '\u00ff', '\0'];
  await fc.assert(fc.asyncProperty(bytesArb(tokens, 80), fc.boolean(), fc.boolean(), async (input, reverse, unique) => {
    const flags = [reverse ? '-r' : '', unique ? '-u' : ''].filter((f) => f !== '');
    expectSame(run(sortLines, [input], { reverse, unique }), await tool('sort', flags, input), `sort ${flags.join(' ')}`);
  }), RUNS);
  t.pass('sort-lines agrees with sort');
});

t.test('sort-lines edge cases', async (t) => {
  const s = (input: Uint8Array | string, reverse = false, unique = false) =>
    run(sortLines, [typeof input === 'string' ? enc(input) : input], { reverse, unique });
  t.same(s(''), Buffer.alloc(0), 'empty input, empty output');
  t.equal(s('b\na').toString(), 'a\nb\n', 'final line gets a newline');
  t.equal(s('\n\n').toString(), '\n\n', 'empty lines');
  t.same(s(Uint8Array.of(0x80, 0x0a, 0x7f, 0x0a)), Buffer.from([0x7f, 0x0a, 0x80, 0x0a]), 'bytes compare unsigned');
  t.equal(s('ab\na\nab\n', true, true).toString(), 'ab\na\n', 'reverse unique');
  t.equal(sortLines.params.reverse!.default, false);
  t.equal(sortLines.params.unique!.default, false);
});
