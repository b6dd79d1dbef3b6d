import t from 'tap';
import fc from 'fast-check';
import { count } from '../../../src/compute/builtins/count.js';
import { RUNS, bytesArb, enc, expectSame, python, run, runSplits, seedArb, tool } from './helpers.js';

/** Printable ASCII or whitespace. */
const isText = (b: number): boolean => (b >= 0x20 && b < 0x7f) || (b >= 0x09 && b <= 0x0d);
const WORDS = ['word', 'a', 'Hello,', 'x.y', ' ', '  ', '\n', '\n\n', '\r\n', '\t', '\v', '\f', '\r', '~'];

t.test('count matches LC_ALL=C wc on text, however the input is pushed', async (t) => {
  // Printable ASCII and whitespace only: here wc 9.1's word rule and ours coincide (see count.ts).
  await fc.assert(fc.asyncProperty(bytesArb(WORDS, 100).filter((b) => b.every(isText)), seedArb,
    async (input, seed) => {
      const wc = (await tool('wc', [], input)).toString().trim().split(/\s+/).join(' ');
      expectSame(runSplits(count, input, {}, seed), enc(`${wc}\n`), 'wc');
    }), RUNS);
  t.pass('count agrees with wc');
});

t.test('count matches python on arbitrary bytes (words = bytes.split())', async (t) => {
  const code = 'sys.stdout.write(f"{data.count(10)} {len(data.split())} {len(data)}\\n")';
  await fc.assert(fc.asyncProperty(bytesArb(), seedArb, async (input, seed) => {
    expectSame(runSplits(count, input, {}, seed), await python(code, input), 'python');
  }), RUNS);
  t.pass('count agrees with python');
});

t.test('count edge cases', async (t) => {
  const c = (s: string) => run(count, [Buffer.from(s, 'latin1')], {}, 'bytes').toString();
  t.equal(c(''), '0 0 0\n');
  t.equal(c('\n\n\n'), '3 0 3\n');
  t.equal(c('one'), '0 1 3\n', 'no trailing newline');
  t.equal(c('a\r\nb\r\n'), '2 2 6\n');
  t.equal(c('a\x00b \x80'), '0 2 5\n', 'NUL and high bytes are word bytes');
});
