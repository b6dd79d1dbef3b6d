/**
 * The addon is context-aware: it loads and hashes inside worker threads (several at once, next to
 * the main thread), and a worker terminated while its native work is in flight does not take the
 * process down.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import t, { type Test } from 'tap';
import { hash } from '../../src/native/index.js';

const WORKER = new URL('./fixtures/hash-worker.ts', import.meta.url);

/** A worker running fixtures/hash-worker.ts, terminated when the test ends. */
function startWorker(t: Test, workerData?: unknown): Worker {
  const worker = new Worker(WORKER, { workerData });
  t.teardown(() => worker.terminate());
  return worker;
}

async function ask(worker: Worker, data: Uint8Array): Promise<Record<string, string>> {
  const reply = once(worker, 'message');
  worker.postMessage({ data });
  const [answer] = (await reply) as [Record<string, string>];
  return answer;
}

t.test('two workers hash the same as the main thread', async (t) => {
  const workers = [startWorker(t), startWorker(t)];
  for (const size of [0, 3, 200 * 1024, 3 * 1024 * 1024 + 1]) {
    const data = new Uint8Array(size).map((_, i) => (i * 7) & 0xff);
    const expected = hash(data).toString('hex');
    const answers = await Promise.all(workers.map((w) => ask(w, data)));
    for (const [i, answer] of answers.entries()) {
      t.same(answer, { sync: expected, single: expected, async: expected, incremental: expected }, `worker ${i}, ${size} bytes`);
    }
  }
});

t.test('terminating a worker mid-hashAsync is harmless', async (t) => {
  for (let round = 0; round < 3; round++) {
    const worker = startWorker(t, { mode: 'busy' });
    await once(worker, 'message');
    await new Promise((resolve) => setTimeout(resolve, 20 * round));
    t.equal(await worker.terminate(), 1, `round ${round}: worker stopped`);
  }
  t.equal(hash(Buffer.from('abc')).toString('hex'), '6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85');
});
