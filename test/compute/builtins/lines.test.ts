import t from 'tap';
import fc from 'fast-check';
import { parseFieldList } from '../../../src/compute/builtins/field-list.js';
import { LineSplitter, splitLines } from '../../../src/compute/builtins/lines.js';
import { bytesArb, enc, seedArb, splitBytes } from './helpers.js';

t.test('LineSplitter sees the same lines as splitLines, however input is pushed', async (t) => {
  fc.assert(fc.property(bytesArb(), seedArb, (input, seed) => {
    const splitter = new LineSplitter();
    const seen: Buffer[] = [];
    for (const piece of splitBytes(input, { seed })) {
      const fresh = Uint8Array.from(piece);
      splitter.push(fresh, (line) => seen.push(Buffer.from(line)));
      fresh.fill(0xa5); // a held partial line must not alias the caller's buffer
    }
    const last = splitter.finish();
    if (last !== undefined) seen.push(Buffer.from(last));
    const expected = splitLines(input).map((l) => Buffer.from(l));
    if (seen.length !== expected.length || seen.some((l, i) => !l.equals(expected[i]!))) {
      throw new Error(`lines differ for ${JSON.stringify(Buffer.from(input).toString('latin1'))}`);
    }
  }), { numRuns: 300 });
  t.pass('splitter agrees with splitLines');
});

t.test('splitLines', async (t) => {
  const lines = (s: string) => splitLines(enc(s)).map((l) => Buffer.from(l).toString());
  t.same(lines(''), []);
  t.same(lines('\n'), ['']);
  t.same(lines('a\nb'), ['a', 'b']);
  t.same(lines('a\nb\n'), ['a', 'b']);
  t.same(lines('\n\na'), ['', '', 'a']);
});

t.test('parseFieldList sorts and merges ranges', async (t) => {
  t.same(parseFieldList('5,1-2,3'), [{ first: 1, last: 3 }, { first: 5, last: 5 }]);
  t.same(parseFieldList('-2,4-'), [{ first: 1, last: 2 }, { first: 4, last: Infinity }]);
  t.same(parseFieldList('2-3,1-'), [{ first: 1, last: Infinity }]);
  t.same(parseFieldList('007'), [{ first: 7, last: 7 }], 'leading zeros, as cut accepts');
});
