import t from 'tap';
import fc from 'fast-check';
import { sha256 } from '../../../src/compute/builtins/sha256.js';
import { RUNS, bytesArb, expectSame, run, runSplits, seedArb, tool } from './helpers.js';

t.test('sha256 matches sha256sum, however the input is pushed', async (t) => {
  await fc.assert(fc.asyncProperty(bytesArb(), seedArb, async (input, seed) => {
    const digest = (await tool('sha256sum', [], input)).toString().split(' ')[0];
    expectSame(runSplits(sha256, input, {}, seed), Buffer.from(`${digest}\n`), 'sha256sum');
  }), RUNS);
  t.pass('sha256 agrees with sha256sum');
});

t.test('sha256 of empty input', async (t) => {
  t.equal(run(sha256, [new Uint8Array(0)]).toString(),
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n');
});
