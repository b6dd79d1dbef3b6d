import t from 'tap';
import fc from 'fast-check';
import { headLines } from '../../../src/compute/builtins/head-lines.js';
import { RUNS, bytesArb, enc, expectSame, run, runSplits, seedArb, tool } from './helpers.js';

t.test('head-lines matches head -n N, however the input is pushed', async (t) => {
  await fc.assert(fc.asyncProperty(bytesArb(), fc.nat(12), seedArb, async (input, n, seed) => {
    const expected = await tool('head', ['-n', String(n)], input);
    const raw = { n: BigInt(n) };
    expectSame(runSplits(headLines, input, raw, seed), expected, `n ${n}`);
    expectSame(run(headLines, [input], raw, { seed }, true), expected, `n ${n}, pushing on after done`);
  }), RUNS);
  t.pass('head-lines agrees with head');
});

t.test('head-lines sets done once n lines are out', async (t) => {
  const tr = headLines.start(new Map([['n', 2n]]));
  t.equal(tr.done, false);
  t.same(tr.push(enc('a\nb')), [enc('a\nb')]);
  t.equal(tr.done, false);
  t.same(tr.push(enc('\nc\n')), [enc('\n')]);
  t.equal(tr.done, true);
  t.same(tr.push(enc('more\n')), []);
  t.same(tr.finish(), []);
  t.equal(headLines.start(new Map([['n', 0n]])).done, true, 'n = 0 is done at once');
});

t.test('head-lines check rejects a negative n', async (t) => {
  t.match(headLines.params.n!.check!(-3n), /must be >= 0 \(got -3\)/);
  t.equal(headLines.params.n!.default, undefined, 'n is required');
});
