import t from 'tap';
import fc from 'fast-check';
import { identity } from '../../../src/compute/builtins/identity.js';
import { RUNS, bytesArb, expectSame, run, tool } from './helpers.js';

t.test('identity matches cat', async (t) => {
  await fc.assert(fc.asyncProperty(bytesArb(), async (input) => {
    expectSame(run(identity, [input]), await tool('cat', [], input), 'identity');
  }), RUNS);
  t.pass('identity agrees with cat');
});

t.test('identity layout is one whole-input segment, none for empty input', async (t) => {
  t.same(identity.layout([5], new Map()), [{ input: 0, offset: 0, length: 5 }]);
  t.same(identity.layout([0], new Map()), []);
  t.same(identity.inputs, { min: 1, max: 1 });
});
