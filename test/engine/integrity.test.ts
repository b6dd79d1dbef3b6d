/**
 * Chunk verification on read, through a real engine on a real LMDB: bytes are damaged with a
 * direct LMDB write while the engine is closed (test/helpers/corrupt.ts), then the engine is
 * reopened on the same store and read. A damaged leaf fails with a typed integrity error and
 * one integrity event; a damaged computed output (whole, partial, or the input of another
 * computation) is recomputed and the right bytes are served.
 */
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { CorruptChunkError } from '../../src/core/errors.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { ParamValue } from '../../src/core/recipe.js';
import type { EngineOptions } from '../../src/engine/engine.js';
import { Integrity } from '../../src/compute/integrity.js';
import { Store } from '../../src/store/store.js';
import { chunksOf, flipChunkByte, flipRecipeByte, outputOf } from '../helpers/corrupt.js';
import { engineHome, pseudoRandom } from '../helpers/temp.js';

const CS = 4096;
const none = new Map<string, ParamValue>();
const lines = (n: number, seed: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => `${((i * 7919 + seed) % 10007).toString(36)} line ${i}\n`).join(''));
const sortedLines = (b: Buffer) => Buffer.from(b.toString('latin1').split('\n').filter(Boolean).sort().map((l) => `${l}\n`).join(''), 'latin1');

/** Engines on one store directory, with this file's chunk size. */
const storeAt = (t: Test, options: Partial<EngineOptions> = {}) => engineHome(t, { chunkSize: CS, ...options });

t.test('a corrupt leaf chunk is never served: INTEGRITY error, one event, logged, engine keeps serving', async (t) => {
  const { dir, logs, open } = await storeAt(t);
  let engine = open();
  const data = pseudoRandom(3 * CS + 100, 3);
  const leaf = await engine.put(data);
  const other = await engine.put(Buffer.from('an intact leaf'));
  await engine.close();
  const chunk = (await chunksOf(dir, leaf))[1]!;
  await flipChunkByte(dir, chunk, 17);

  engine = open();
  t.same(await engine.read(leaf, 0, CS), data.subarray(0, CS), 'an intact chunk of the leaf still reads');
  const err = await engine.read(leaf).catch((e: unknown) => e);
  t.type(err, CorruptChunkError);
  t.equal((err as CorruptChunkError).code, 'INTEGRITY');
  t.match((err as Error).message, new RegExp(`chunk ${chunk.toString('hex')} of leaf ${leaf.hex} is corrupt`));
  t.equal(engine.status().integrityEvents, 1, 'one integrity event');
  t.equal(engine.status().quarantined, 1, 'the chunk is in quarantine');
  const logged = logs.filter((l) => l.obj.integrity);
  t.equal(logged.length, 1);
  t.equal(logged[0]!.level, 'error');
  t.match(logged[0]!.obj.integrity, { chunk: chunk.toString('hex'), value: leaf.hex, kind: 'leaf' });

  await t.rejects(engine.read(leaf, CS, 10), { code: 'INTEGRITY' }, 'still refused once quarantined');
  t.equal(engine.status().integrityEvents, 1, 'found once, counted once');
  t.equal((await engine.read(other)).toString(), 'an intact leaf', 'other values still read');
  const up = await engine.putRecipe(parseFunctionId('upper@1'), [leaf], none);
  await t.rejects(engine.read(up, CS, 10), { code: 'INTEGRITY' }, 'a chunkwise output over it fails the same way');
  const sorted = await engine.putRecipe(parseFunctionId('sort-lines@1'), [leaf], none);
  await t.rejects(engine.read(sorted), { code: 'INTEGRITY' }, 'a whole computation over it: INTEGRITY, not FUNCTION_FAILED');

  t.same(await engine.put(data), leaf, 'putting the same bytes again gives the same address');
  t.same(await engine.read(leaf), data, 'and heals the leaf: the good copy of the chunk is stored again');
  t.equal(engine.status().quarantined, 1, 'the bad copy stays in quarantine');
  t.same(await engine.read(sorted), sortedLines(data), 'what failed over it now computes');
});

t.test('a corrupt chunk reported after it was healed is left alone; concurrent reports share one repair', async (t) => {
  const { dir, open } = await storeAt(t);
  const engine = open();
  const data = pseudoRandom(3 * CS, 5);
  const leaf = await engine.put(data);
  const sorted = await engine.putRecipe(parseFunctionId('sort-lines@1'), [await engine.put(lines(2000, 3))], none);
  await engine.read(sorted);
  await engine.close();
  const store = Store.open(dir);
  t.teardown(() => store.close());
  const integrity = new Integrity(store, { warn: () => {}, error: () => {} }, { onIntegrityEvent: () => {} });
  const leafChunk = (await chunksOf(dir, leaf))[1]!;
  const outputChunk = (await chunksOf(dir, await outputOf(dir, sorted)))[1]!;
  // As a reader that loaded a corrupt copy before a put or a recomputation stored the good bytes would.
  const stale = (chunk: Buffer) => new CorruptChunkError(chunk.toString('hex'));
  t.equal(await integrity.repair(leaf, stale(leafChunk)), true, 'a leaf chunk intact now: read again');
  t.equal(await integrity.repair(sorted, stale(outputChunk)), true, 'an output chunk intact now: read again');
  t.equal(integrity.events, 0, 'no event');
  t.equal(store.quarantine.count(), 0, 'nothing quarantined');
  t.ok(store.getAction(sorted), 'the output is still recorded');
  await store.close();

  await flipChunkByte(dir, leafChunk, 1);
  await flipChunkByte(dir, outputChunk, 1);
  const reopened = Store.open(dir);
  t.teardown(() => reopened.close());
  const again = new Integrity(reopened, { warn: () => {}, error: () => {} }, { onIntegrityEvent: () => {} });
  await t.rejects(again.repair(leaf, stale(leafChunk)), { code: 'INTEGRITY' }, 'really corrupt: refused as before');
  t.equal(again.events, 1);

  // Concurrent readers of the output meet its corrupt chunk together: one repair for all.
  const mark = reopened.invalidationMark();
  t.same(await Promise.all([1, 2, 3].map(() => again.repair(sorted, stale(outputChunk)))), [true, true, true], 'each reads again');
  t.equal(again.events, 2, 'one more event');
  t.equal(reopened.invalidationMark(), mark + 1, 'the output dropped once (a second drop would void its recomputation)');
  t.notOk(reopened.getAction(sorted), 'the output is no longer recorded');
});

t.test('a corrupt chunk of a cached whole output is dropped and recomputed transparently', async (t) => {
  const { dir, logs, open } = await storeAt(t);
  let engine = open();
  const text = lines(2000, 1);
  const leaf = await engine.put(text);
  const sorted = await engine.putRecipe(parseFunctionId('sort-lines@1'), [leaf], none);
  const want = await engine.read(sorted);
  t.same(want, sortedLines(text), 'reference');
  await engine.close();
  const content = await outputOf(dir, sorted);
  await flipChunkByte(dir, (await chunksOf(dir, content))[2]!, 5);

  engine = open();
  t.same(await engine.read(sorted), want, 'the right bytes');
  const s = engine.status();
  t.equal(s.computations, 1, 'recomputed once');
  t.equal(s.integrityEvents, 1);
  t.equal(logs.filter((l) => l.level === 'warn' && l.obj.integrity?.kind === 'output').length, 1, 'logged as a rebuilt output');
  t.same(await engine.read(sorted), want, 'read again from the new cached output');
  t.equal(engine.status().computations, 1, 'no further computation');
});

t.test('a corrupt partial chunk of a chunkwise output is recomputed', async (t) => {
  const { dir, open } = await storeAt(t);
  let engine = open();
  const data = pseudoRandom(4 * CS, 9);
  const leaf = await engine.put(data);
  const up = await engine.putRecipe(parseFunctionId('upper@1'), [leaf], none);
  const want = await engine.read(up, CS + 10, 100);
  t.equal(engine.status().chunksComputed, 1, 'one chunk computed (partial output)');
  await engine.close();
  const store = Store.open(dir);
  const partial = store.partials.get(up, 1)!;
  await store.close();
  await flipChunkByte(dir, partial, 0);

  engine = open();
  t.same(await engine.read(up, CS + 10, 100), want, 'the right bytes');
  t.equal(engine.status().chunksComputed, 1, 'the chunk was computed again');
  t.equal(engine.status().integrityEvents, 1);
});

t.test('a corrupt input chunk met by the worker computing a chunkwise chunk: refused for a leaf, rebuilt for an output', async (t) => {
  const { dir, open } = await storeAt(t);
  let engine = open();
  const data = pseudoRandom(3 * CS, 11);
  const leaf = await engine.put(data);
  const text = lines(3000, 4);
  const sorted = await engine.putRecipe(parseFunctionId('sort-lines@1'), [await engine.put(text)], none);
  await engine.read(sorted);
  await engine.close();
  await flipChunkByte(dir, (await chunksOf(dir, leaf))[1]!, 3);
  await flipChunkByte(dir, (await chunksOf(dir, await outputOf(dir, sorted)))[1]!, 3);

  engine = open();
  // Neither chunk has been read since it was damaged: the pool worker reading it in place is
  // the first to see it, and the engine's own read of the input then decides.
  const up = await engine.putRecipe(parseFunctionId('upper@1'), [leaf], none);
  await t.rejects(engine.read(up, CS + 10, 10), { code: 'INTEGRITY' }, 'over a leaf: INTEGRITY');
  t.equal(engine.status().integrityEvents, 1, 'one event');
  t.equal(engine.status().quarantined, 1, 'the chunk is quarantined');
  t.same(await engine.read(up, 0, 10), data.subarray(0, 10).map((b) => (b >= 0x61 && b <= 0x7a ? b - 0x20 : b)), 'the intact chunks still map');

  const low = await engine.putRecipe(parseFunctionId('lower@1'), [sorted], none);
  const want = Buffer.from(sortedLines(text).toString('latin1').toLowerCase(), 'latin1');
  t.same(await engine.read(low, CS + 5, 100), want.subarray(CS + 5, CS + 105), 'over a cached output: the right bytes');
  t.equal(engine.status().integrityEvents, 2, 'one more event');
  t.equal(engine.status().computations, 1, 'the sorted output was rebuilt');
});

t.test('a corrupt cached output used as an input is rebuilt, for a whole function (in the pool) and a streaming one', async (t) => {
  const { dir, open } = await storeAt(t);
  let engine = open();
  const text = lines(3000, 2);
  const leaf = await engine.put(text);
  const sorted = await engine.putRecipe(parseFunctionId('sort-lines@1'), [leaf], none);
  await engine.read(sorted);
  const reversed = await engine.putRecipe(parseFunctionId('sort-lines@1'), [sorted], new Map([['reverse', { type: 'bool', value: true }]]));
  const sha = await engine.putRecipe(parseFunctionId('sha256@1'), [sorted], none);
  await engine.close();
  const damaged = (await chunksOf(dir, await outputOf(dir, sorted)))[0]!;

  await flipChunkByte(dir, damaged, 9);
  engine = open();
  const want = sortedLines(text).toString('latin1').split('\n').filter(Boolean).reverse().map((l) => `${l}\n`).join('');
  t.equal((await engine.read(reversed)).toString('latin1'), want, 'the whole function over it gets the right bytes');
  t.equal(engine.status().integrityEvents, 1);
  t.equal(engine.status().computations, 3, 'reverse sort tried in the pool, sort-lines rebuilt, reverse sort again');
  await engine.close();

  await flipChunkByte(dir, damaged, 9);
  engine = open();
  const digest = `${createHash('sha256').update(sortedLines(text)).digest('hex')}\n`;
  t.equal((await engine.read(sha)).toString(), digest, 'the streaming function over it gets the right bytes');
  t.equal(engine.status().integrityEvents, 1);
  t.equal(engine.status().computations, 2, 'sort-lines rebuilt under the one sha256 stream run');
});

t.test('a corrupt recipe read alone fails with INTEGRITY, is quarantined and counted once', async (t) => {
  const { dir, logs, open } = await storeAt(t);
  let engine = open();
  const leaf = await engine.put(Buffer.from('some text'));
  const up = await engine.putRecipe(parseFunctionId('upper@1'), [leaf], none);
  await engine.close();
  await flipRecipeByte(dir, up);

  engine = open();
  await t.rejects(engine.read(up), { code: 'INTEGRITY', message: `recipe ${up.hex} is corrupt (its bytes do not hash to its address)` });
  await t.rejects(engine.read(up, 0, 4), { code: 'INTEGRITY' }, 'a range read too');
  await engine.settled();
  t.equal(engine.status().integrityEvents, 1, 'found twice, counted once');
  t.equal(engine.status().quarantined, 1, 'the recipe is in quarantine');
  t.match(logs.filter((l) => l.obj.integrity), [{ level: 'error', obj: { integrity: { recipe: up.hex, kind: 'recipe', by: 'read' } } }]);
  await t.rejects(engine.read(up), { code: 'NOT_FOUND' }, 'once quarantined, it is no longer in the store');
  t.same(await engine.read(leaf), Buffer.from('some text'), 'its input still reads');
});

t.test('with verification off (--verify-reads off) stored bytes are served unchecked', async (t) => {
  const { dir, open } = await storeAt(t, { verifyReads: false });
  let engine = open();
  const data = pseudoRandom(2 * CS, 4);
  const leaf = await engine.put(data);
  await engine.close();
  await flipChunkByte(dir, (await chunksOf(dir, leaf))[0]!, 0);
  engine = open();
  const got = await engine.read(leaf);
  t.equal(got[0], data[0]! ^ 1, 'the damaged byte is served');
  t.same(got.subarray(1), data.subarray(1));
  t.equal(engine.status().integrityEvents, 0);
});
