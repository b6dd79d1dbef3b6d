import t from 'tap';
import fc from 'fast-check';
import { lower } from '../../../src/compute/builtins/lower.js';
import { upper } from '../../../src/compute/builtins/upper.js';
import { RUNS, bytesArb, expectSame, run, seedArb, tool } from './helpers.js';

for (const [fn, from, to] of [[upper, 'a-z', 'A-Z'], [lower, 'A-Z', 'a-z']] as const) {
  t.test(`${fn.name} matches LC_ALL=C tr ${from} ${to} on any chunking`, async (t) => {
    await fc.assert(fc.asyncProperty(bytesArb(), seedArb, async (input, seed) => {
      const expected = await tool('tr', [from, to], input);
      expectSame(run(fn, [input]), expected, 'one chunk');
      expectSame(run(fn, [input], {}, { seed }), expected, 'random chunks');
      expectSame(run(fn, [input], {}, 'bytes'), expected, '1-byte chunks');
    }), RUNS);
    t.pass(`${fn.name} agrees with tr`);
  });
}

t.test('upper and lower change ASCII letters only', async (t) => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  const isLower = (b: number): boolean => b >= 0x61 && b <= 0x7a;
  const isUpper = (b: number): boolean => b >= 0x41 && b <= 0x5a;
  t.same(run(upper, [all]), Buffer.from(all.map((b) => (isLower(b) ? b - 32 : b))));
  t.same(run(lower, [all]), Buffer.from(all.map((b) => (isUpper(b) ? b + 32 : b))));
  t.same(run(upper, [new Uint8Array(0)]), Buffer.alloc(0), 'empty input');
});
