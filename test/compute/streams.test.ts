/**
 * Streaming outputs are read while they are computed: first bytes before the end, a reader
 * that stops pauses the computation, readers share one run, the finished output is stored as
 * a value. Checked through the engine on a real store and pool; gzip output is checked by
 * decompressing it with node:zlib, an independent implementation.
 */
import { gunzipSync } from 'node:zlib';
import t from 'tap';
import { FunctionFailedError } from '../../src/core/errors.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { ParamValue } from '../../src/core/recipe.js';
import type { Engine } from '../../src/engine/engine.js';
import { hash } from '../../src/native/index.js';
import { createEngine, pseudoRandom } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

const CS = 64 * 1024;
const MiB = 1024 * 1024;
const fn = parseFunctionId;
const none = new Map<string, ParamValue>();
const computations = (e: Engine) => e.status().computations;

/** How far a run may be ahead of its furthest reader: the window plus input pieces in flight. */
const SLACK = 8 * CS + 3 * 256 * 1024 + CS;

t.test('a reader gets the first bytes of a streaming output long before the output is complete', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS });
  const data = pseudoRandom(16 * MiB, 7); // incompressible: gzip output is as large as its input
  const gz = await engine.putRecipe(fn('gzip@1'), [await engine.put(data)], none);

  const head = await engine.read(gz, 0, 10);
  t.same([...head.subarray(0, 3)], [0x1f, 0x8b, 8], 'a gzip header');
  const info = engine.info(gz);
  t.equal(info.state, 'computing');
  t.ok(info.produced! <= 10 + SLACK, `the run paused at ${info.produced} bytes, a window ahead of the reader`);

  for (const at of [2 * MiB, 5 * MiB]) {
    await engine.read(gz, at, 100);
    const produced = engine.info(gz).produced!;
    t.ok(produced >= at + 100 && produced <= at + 100 + SLACK, `reading at ${at} moved the run to ${produced} and no further`);
  }
  t.equal(computations(engine), 1, 'one run for all those reads');

  const whole = await engine.read(gz);
  t.same(gunzipSync(whole), data, 'the whole output decompresses to the input');
  t.equal(engine.info(gz).state, 'materialized', 'recorded as a value once read to the end');
  t.equal(engine.info(gz).content!.hex, Buffer.from(hash(whole)).toString('hex'), 'content address is the BLAKE3 of the bytes');
  t.equal(await engine.size(gz), whole.length);
  t.same(await engine.read(gz, 1000, 50), whole.subarray(1000, 1050), 'served from the store afterwards');
  t.equal(computations(engine), 1, 'and never computed again');
});

t.test('concurrent readers of one streaming output share one run', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS });
  const data = Buffer.from('the quick brown fox jumps over the lazy dog\n'.repeat(100_000));
  const gz = await engine.putRecipe(fn('gzip@1'), [await engine.put(data)], none);
  const reads = await Promise.all([
    engine.read(gz),
    engine.read(gz, 5),
    engine.size(gz).then(() => engine.read(gz)),
    engine.materialize(gz).then(() => engine.read(gz)),
  ]);
  t.same(gunzipSync(reads[0]!), data);
  t.same(reads[1], reads[0]!.subarray(5));
  t.same(reads[2], reads[0]);
  t.same(reads[3], reads[0]);
  t.equal(computations(engine), 1, 'one computation for four readers');
  t.equal(engine.status().streaming, 0, 'no run left in progress');
});

t.test('streams chain: each stage streams its input from the one before', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS });
  const data = pseudoRandom(3 * MiB + 123, 9);
  const gz = await engine.putRecipe(fn('gzip@1'), [await engine.put(data)], none);
  const back = await engine.putRecipe(fn('gunzip@1'), [gz], none);
  const first = await engine.read(back, 0, 1000);
  t.same(first, data.subarray(0, 1000));
  t.equal(engine.info(back).state, 'computing');
  t.equal(engine.info(gz).state, 'computing', 'the input is itself still being computed');
  t.same(await engine.read(back), data);
  t.equal(computations(engine), 2);
});

t.test('a streaming run nobody reads any more is abandoned, and a later read starts over', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS, streamIdleMs: 100 });
  const data = pseudoRandom(8 * MiB, 11);
  const gz = await engine.putRecipe(fn('gzip@1'), [await engine.put(data)], none);
  const head = await engine.read(gz, 0, 100);
  t.equal(engine.info(gz).state, 'computing');
  // The run first fills its window ahead of the reader, then waits 100 ms for a reader.
  await waitFor(() => engine.info(gz).state !== 'computing', { what: 'the unread run to be abandoned', timeoutMs: 30_000 });
  t.equal(engine.info(gz).state, 'not-materialized', 'abandoned, not failed');
  t.equal(engine.status().streaming, 0);
  const whole = await engine.read(gz);
  t.same(whole.subarray(0, 100), head);
  t.same(gunzipSync(whole), data);
  t.equal(computations(engine), 2, 'the second read ran it again');
});

t.test('a reader waiting on a run the engine closes under it gets ABORTED, not an internal error', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS });
  const data = pseudoRandom(64 * MiB, 12); // incompressible: the run needs all of it to reach the end
  const gz = await engine.putRecipe(fn('gzip@1'), [await engine.put(data)], none);
  const waiting = engine.read(gz, 60 * MiB, 10); // far ahead: it waits for the run to get there
  const closed = engine.close();
  await t.rejects(waiting, { name: 'AbortedError', code: 'ABORTED', message: /stopped: the engine is closing/ });
  await closed;
});

t.test('a streaming function that fails: readers get the error, stat says why, the engine serves on', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS });
  const bad = await engine.putRecipe(fn('gunzip@1'), [await engine.put(Buffer.from('not gzip at all'))], none);
  await t.rejects(engine.read(bad), FunctionFailedError);
  await t.rejects(engine.size(bad), FunctionFailedError);
  t.match(engine.info(bad), { state: 'failed', error: /gunzip@1.*corrupt gzip data/ });
  const ok = await engine.putRecipe(fn('count@1'), [await engine.put(Buffer.from('a b\nc\n'))], none);
  t.equal((await engine.read(ok)).toString(), '2 3 6\n');
});

t.test('a streaming output reports an upper bound until computed, then its exact size', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS });
  const data = Buffer.from('x'.repeat(100_000));
  const gz = await engine.putRecipe(fn('gzip@1'), [await engine.put(data)], none);
  const bound = await engine.sizeBound(gz);
  t.ok(bound >= 100_000, `bound ${bound}`);
  t.equal(computations(engine), 0, 'a bound computes nothing');
  t.equal(engine.info(gz).size, undefined, 'the exact size is not known yet');
  const out = await engine.read(gz);
  t.ok(out.length < bound);
  t.equal(await engine.sizeBound(gz), out.length, 'exact once computed');
});

t.test('head-lines stops consuming its input once it has its lines', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS });
  const lines = Buffer.from(Array.from({ length: 400_000 }, (_, i) => `line ${i}\n`).join(''));
  const head = await engine.putRecipe(fn('head-lines@1'), [await engine.put(lines)], new Map([['n', { type: 'int', value: 3n }]]));
  t.equal((await engine.read(head)).toString(), 'line 0\nline 1\nline 2\n');
  t.equal(engine.info(head).state, 'materialized');
});
