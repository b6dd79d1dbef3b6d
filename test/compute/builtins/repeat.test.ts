import t from 'tap';
import fc from 'fast-check';
import { MAX_REPEAT_SEGMENTS, repeat } from '../../../src/compute/builtins/repeat.js';
import { RUNS, bytesArb, expectSame, python, run } from './helpers.js';

t.test('repeat matches python data * count', async (t) => {
  await fc.assert(fc.asyncProperty(bytesArb(undefined, 20), fc.nat(20), async (input, count) => {
    const expected = await python('sys.stdout.buffer.write(data * int(argv[0]))', input, [String(count)]);
    expectSame(run(repeat, [input], { count: BigInt(count) }), expected, `count ${count}`);
  }), RUNS);
  t.pass('repeat agrees with python');
});

t.test('repeat keeps its layout small', async (t) => {
  const p = (count: bigint) => new Map([['count', count]]);
  t.same(repeat.layout([0], p(10_000_000n)), [], 'huge count of an empty input is empty');
  t.same(repeat.layout([7], p(0n)), [], 'zero count is empty');
  t.equal(repeat.layout([3], p(1000n)).length, 1000);
  t.throws(() => repeat.layout([1], p(BigInt(MAX_REPEAT_SEGMENTS) + 1n)), /exceeds/);
  t.throws(() => repeat.layout([2 ** 40], p(2n ** 20n)), /too large/);
});

t.test('repeat check rejects a negative count', async (t) => {
  t.match(repeat.params.count!.check!(-1n), /must be >= 0 \(got -1\)/);
  t.equal(repeat.params.count!.check!(3n), undefined);
  t.equal(repeat.params.count!.default, undefined, 'count is required');
});
