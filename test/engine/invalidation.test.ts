/**
 * Invalidation policies over a real engine: `none` leaves cached dependents, `immediate`
 * forgets them before returning, `deferred` forgets the address now and its dependents in a
 * batch (reporting what it will do). The deferred queue's batching rules are pure logic,
 * tested on their own with a recording evict function.
 */
import t, { type Test } from 'tap';
import { CAddr } from '../../src/core/caddr.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { ParamValue } from '../../src/core/recipe.js';
import type { Engine } from '../../src/engine/engine.js';
import { DEFER_DELAY_MS, DEFER_MAX_BATCH, DeferredQueue } from '../../src/engine/invalidation.js';
import { ManualClock } from '../helpers/manual-clock.js';
import { createEngine } from '../helpers/temp.js';
import { drainTurn, waitFor } from '../helpers/wait.js';

const params = (o: Record<string, string> = {}) =>
  new Map<string, ParamValue>(Object.entries(o).map(([k, v]) => [k, { type: 'string', value: v }]));

/**
 * leaf -> a -> b -> c, all sort-lines@1 (a whole function: its output is cached before a read
 * returns, so the counts below do not depend on timing), all materialized.
 */
async function chain(t: Test, engine: Engine): Promise<{ leaf: CAddr; a: CAddr; b: CAddr; c: CAddr }> {
  const leaf = await engine.put(Buffer.from('b\na\nb\n'));
  const a = await engine.putRecipe(parseFunctionId('sort-lines@1'), [leaf], params());
  const b = await engine.putRecipe(parseFunctionId('sort-lines@1'), [a], params({ reverse: 'true' }));
  const c = await engine.putRecipe(parseFunctionId('sort-lines@1'), [b], params({ unique: 'true' }));
  t.equal((await engine.read(c)).toString(), 'a\nb\n');
  return { leaf, a, b, c };
}

const states = (engine: Engine, addrs: CAddr[]) => addrs.map((x) => engine.info(x).state);

t.test('immediate (the default): every cached dependent, before returning', async (t) => {
  const engine = await createEngine(t);
  const { a, b, c } = await chain(t, engine);
  t.equal(engine.invalidationPolicy, 'immediate');
  const r = await engine.invalidate(a);
  t.same(r, { evicted: 3, depth: 2, policy: 'immediate', pending: 0 });
  t.same(states(engine, [a, b, c]), ['not-materialized', 'not-materialized', 'not-materialized']);
});

t.test('none: only the address itself; dependents stay cached', async (t) => {
  const engine = await createEngine(t, { invalidation: 'none' });
  const { a, b, c } = await chain(t, engine);
  const r = await engine.invalidate(a);
  t.same(r, { evicted: 1, depth: 0, policy: 'none', pending: 0 });
  t.same(states(engine, [a, b, c]), ['not-materialized', 'materialized', 'materialized']);
  const before = engine.status().computations;
  t.equal((await engine.read(c)).toString(), 'a\nb\n', 'the dependent is served from cache');
  t.equal(engine.status().computations, before, 'without computing');
});

t.test('deferred: the address now, dependents in a batch; the call says what it will do', async (t) => {
  const clock = new ManualClock();
  const engine = await createEngine(t, { invalidation: 'deferred', clock });
  const { a, b, c } = await chain(t, engine);
  const r = await engine.invalidate(a);
  t.same(r, { evicted: 3, depth: 2, policy: 'deferred', pending: 2 });
  t.equal(engine.info(a).state, 'not-materialized', 'the address is forgotten at once');
  clock.advance(DEFER_DELAY_MS - 1);
  t.same(states(engine, [b, c]), ['materialized', 'materialized'], 'dependents wait for their batch');
  // The batch's own timer starts it (nothing flushes by hand); its eviction then commits.
  clock.advance(1);
  t.equal(clock.pending, 0, 'the timer ran');
  await waitFor(() => engine.info(c).state !== 'materialized', { what: 'the deferred batch to commit' });
  t.same(states(engine, [b, c]), ['not-materialized', 'not-materialized'], 'then they are forgotten');
});

t.test('a per-call policy overrides the engine default', async (t) => {
  const engine = await createEngine(t, { invalidation: 'none' });
  const { a, b, c } = await chain(t, engine);
  const r = await engine.invalidate(a, 'immediate');
  t.equal(r.evicted, 3);
  t.same(states(engine, [b, c]), ['not-materialized', 'not-materialized']);
});

t.test('a rebind is immediate whatever the policy', async (t) => {
  const engine = await createEngine(t, { invalidation: 'none' });
  const v1 = await engine.put(Buffer.from('one'));
  await engine.setRef('r', v1);
  const up = await engine.putRecipe(parseFunctionId('upper@1'), [{ ref: 'r' }], params());
  t.equal((await engine.read(up)).toString(), 'ONE');
  await engine.setRef('r', await engine.put(Buffer.from('two')));
  t.equal((await engine.read(up)).toString(), 'TWO');
});

t.test('flushDeferred processes queued batches now (close calls it)', async (t) => {
  const engine = await createEngine(t, { invalidation: 'deferred' });
  const { a, b } = await chain(t, engine);
  await engine.invalidate(a);
  await engine.flushDeferred();
  t.equal(engine.info(b).state, 'not-materialized', 'flushDeferred runs the batch now');
});

const addrs = (n: number, from = 0) => Array.from({ length: n }, (_, i) => CAddr.fromBytes(Buffer.alloc(32, i + from)));

t.test('deferred queue: one batch per timer, at once when full, duplicates merged', async (t) => {
  const batches: string[][] = [];
  const clock = new ManualClock();
  const queue = new DeferredQueue(async (batch) => void batches.push(batch.map((a) => a.hex)), (err) => t.fail(String(err)), clock);
  queue.add(addrs(3));
  queue.add(addrs(3, 1)); // overlaps: 1 and 2 again, plus 3
  t.equal(queue.size, 4, 'queued once each');
  t.same(batches, [], 'nothing processed yet');
  clock.advance(DEFER_DELAY_MS - 1);
  await drainTurn();
  t.same(batches, [], 'not before the delay');
  clock.advance(1);
  t.equal(queue.size, 0, 'the timer took the batch');
  await queue.flush(); // nothing more queued: waits for the batch under way
  t.equal(batches.length, 1, 'the timer ran one batch');
  t.equal(batches[0]!.length, 4);

  queue.add(addrs(DEFER_MAX_BATCH - 1, 10).map((a, i) => CAddr.fromBytes(Buffer.concat([Buffer.from([i >> 8, i & 0xff]), a.bytes.subarray(2)]))));
  t.equal(batches.length, 1, 'below the limit: waits');
  queue.add([CAddr.fromBytes(Buffer.alloc(32, 0xee))]);
  await drainTurn(); // the clock has not moved: no timer ran
  t.equal(batches.length, 2, 'reaching the limit ran a batch without the timer');
  t.equal(clock.pending, 0, 'and cancelled the timer');
  t.equal(batches[1]!.length, DEFER_MAX_BATCH);
  t.equal(queue.size, 0);
});

t.test('deferred queue: a failed batch is reported, later batches still run', async (t) => {
  const errors: unknown[] = [];
  let calls = 0;
  const queue = new DeferredQueue(async () => {
    if (calls++ === 0) throw new Error('disk full');
  }, (err) => errors.push(err));
  queue.add(addrs(1));
  await queue.flush();
  queue.add(addrs(1, 5));
  await queue.flush();
  t.equal(calls, 2);
  t.match(String(errors[0]), /disk full/);
  t.equal(errors.length, 1);
});
