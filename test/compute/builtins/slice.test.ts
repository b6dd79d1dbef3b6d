import t from 'tap';
import fc from 'fast-check';
import { slice } from '../../../src/compute/builtins/slice.js';
import { RUNS, bytesArb, expectSame, run, tool } from './helpers.js';

t.test('slice matches tail -c +OFFSET+1 | head -c LENGTH', async (t) => {
  await fc.assert(fc.asyncProperty(bytesArb(), fc.nat(400), fc.nat(400), async (input, offset, length) => {
    const tail = await tool('tail', ['-c', `+${offset + 1}`], input);
    const expected = await tool('head', ['-c', String(length)], tail);
    expectSame(run(slice, [input], { offset: BigInt(offset), length: BigInt(length) }), expected,
      `offset ${offset} length ${length}`);
  }), RUNS);
  t.pass('slice agrees with tail | head');
});

t.test('slice clamps to the input end', async (t) => {
  const p = (offset: bigint, length: bigint) => new Map([['offset', offset], ['length', length]]);
  t.same(slice.layout([10], p(4n, 100n)), [{ input: 0, offset: 4, length: 6 }]);
  t.same(slice.layout([10], p(10n, 5n)), []);
  t.same(slice.layout([10], p(1000n, 5n)), []);
  t.same(slice.layout([10], p(3n, 0n)), []);
});

t.test('slice checks reject bad offsets and lengths', async (t) => {
  t.match(slice.params.offset!.check!(-1n), /must be >= 0 \(got -1\)/);
  t.match(slice.params.length!.check!(-5n), /must be >= 0/);
  t.match(slice.params.length!.check!(2n ** 60n), /must be <= 9007199254740991/);
  t.equal(slice.params.offset!.check!(0n), undefined);
  t.equal(slice.params.offset!.default, undefined, 'offset is required');
  t.equal(slice.params.length!.default, undefined, 'length is required');
});
