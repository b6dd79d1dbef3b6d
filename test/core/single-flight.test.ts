import t from 'tap';
import { SingleFlight } from '../../src/core/single-flight.js';
import { TaskSet } from '../../src/core/task-set.js';

t.test('concurrent callers of one key share one call; the next caller after it settles starts anew', async (t) => {
  const flights = new SingleFlight<number>();
  let calls = 0;
  let finish!: (n: number) => void;
  const start = () => {
    calls++;
    return new Promise<number>((resolve) => (finish = resolve));
  };
  const a = flights.run('k', start);
  const b = flights.run('k', start);
  t.equal(a, b);
  t.equal(calls, 1);
  finish(7);
  t.same(await Promise.all([a, b]), [7, 7]);
  t.equal(flights.size, 0);
  const c = flights.run('k', () => Promise.resolve(8));
  t.equal(await c, 8);
});

t.test('a failed call is forgotten too, and its callers see the failure', async (t) => {
  const flights = new SingleFlight<number>();
  await t.rejects(flights.run('k', () => Promise.reject(new Error('boom'))), /boom/);
  t.equal(flights.has('k'), false);
  t.equal(await flights.run('k', () => Promise.resolve(1)), 1);
});

t.test('forget lets a new call start while the old one goes on, and the old one does not evict the new', async (t) => {
  const flights = new SingleFlight<string>();
  let finishOld!: (s: string) => void;
  const old = flights.run('k', () => new Promise((resolve) => (finishOld = resolve)));
  flights.forget('k');
  let finishNew!: (s: string) => void;
  const fresh = flights.run('k', () => new Promise((resolve) => (finishNew = resolve)));
  t.not(old, fresh);
  finishOld('old');
  await old;
  t.equal(flights.get('k'), fresh, 'the old call settling leaves the new entry in place');
  finishNew('new');
  t.equal(await fresh, 'new');
});

t.test('TaskSet.settled waits for tasks added while it waits, and never rethrows', async (t) => {
  const tasks = new TaskSet();
  const order: string[] = [];
  let release!: () => void;
  tasks.add(
    new Promise<void>((resolve) => (release = resolve)).then(() => {
      order.push('first');
      tasks.add(Promise.reject(new Error('ignored')).finally(() => order.push('second')));
    }),
  );
  const settled = tasks.settled().then(() => order.push('settled'));
  release();
  await settled;
  t.same(order, ['first', 'second', 'settled']);
  t.equal(tasks.size, 0);
});

t.test('TaskSet.settled(key) waits only for the tasks added under that key', async (t) => {
  const tasks = new TaskSet();
  let releaseA!: () => void;
  let releaseB!: () => void;
  tasks.add(new Promise<void>((r) => (releaseA = r)), 'a');
  tasks.add(new Promise<void>((r) => (releaseB = r)), 'b');
  t.ok(tasks.has('a') && tasks.has('b'));
  t.notOk(tasks.has('c'), 'no task under c');
  await tasks.settled('c');
  const a = tasks.settled('a');
  releaseA();
  await a; // settles although b is still pending
  t.notOk(tasks.has('a'), 'a is done');
  t.ok(tasks.has('b'), 'b still pending');
  releaseB();
  await tasks.settled();
  t.equal(tasks.size, 0);
});
