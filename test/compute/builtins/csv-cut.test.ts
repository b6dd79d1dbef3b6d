import t from 'tap';
import fc from 'fast-check';
import { csvCut } from '../../../src/compute/builtins/csv-cut.js';
import { RUNS, bytesArb, enc, expectSame, run, runSplits, seedArb, tool } from './helpers.js';

const itemArb = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 4 }), fc.nat(3)).map(([n, extra, form]) =>
  [`${n}`, `${n}-${n + extra}`, `${n}-`, `-${n + extra}`][form]!);
const fieldsArb = fc.array(itemArb, { minLength: 1, maxLength: 4 }).map((items) => items.join(','));

t.test('csv-cut matches cut -d D -f LIST, however the input is pushed', async (t) => {
  const caseArb = fc.constantFrom(',', ';', '\t', ' ', '|').chain((delimiter) => fc.tuple(
    fc.constant(delimiter),
    bytesArb(['a', 'bc', '"q', delimiter, delimiter, delimiter, '\n', '\n', '\r\n', 'é', ' '], 80),
  ));
  await fc.assert(fc.asyncProperty(caseArb, fieldsArb, seedArb, async ([delimiter, input], fields, seed) => {
    const expected = await tool('cut', ['-d', delimiter, '-f', fields], input);
    expectSame(runSplits(csvCut, input, { fields, delimiter }, seed), expected, `-d '${delimiter}' -f ${fields}`);
  }), RUNS);
  t.pass('csv-cut agrees with cut');
});

t.test('csv-cut edge cases', async (t) => {
  const c = (input: string, fields: string) => run(csvCut, [enc(input)], { fields }).toString();
  t.equal(c('a,b,c\nd,e,f', '3,1'), 'a,c\nd,f\n', 'fields in increasing order; final newline added');
  t.equal(c('no delimiter\n', '2'), 'no delimiter\n', 'lines without the delimiter pass whole');
  t.equal(c('a,b\n', '5'), '\n', 'no selected field: empty line');
  t.equal(c('a,b,c,d\n', '-2,4-'), 'a,b,d\n');
  t.equal(c('', '1'), '', 'empty input');
  t.equal(csvCut.params.delimiter!.default, ',');
  t.equal(csvCut.params.fields!.default, undefined, 'fields is required');
});

t.test('csv-cut checks name what is wrong', async (t) => {
  const fields = csvCut.params.fields!.check!;
  t.match(fields(''), /at least one field/);
  t.match(fields('0'), /numbered from 1/);
  t.match(fields('3-2'), /decreasing range '3-2'/);
  t.match(fields('a'), /'a' is not a field or range/);
  t.match(fields('1,,2'), /'' is not a field or range/);
  t.match(fields('-'), /'-' is not a field or range/);
  t.match(fields('1 2'), /not a field or range/);
  t.match(fields('99999999999999999999'), /too large/);
  for (const ok of ['1', '1,3', '2-4', '3-', '-2', '5,1-2,3-']) t.equal(fields(ok), undefined, ok);
  const delimiter = csvCut.params.delimiter!.check!;
  t.match(delimiter(''), /exactly one byte/);
  t.match(delimiter(';;'), /exactly one byte/);
  t.match(delimiter('é'), /exactly one byte/);
  t.match(delimiter('\n'), /must not be a newline/);
  t.equal(delimiter('\t'), undefined);
});
