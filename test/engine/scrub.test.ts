/**
 * Scrubbing a real store: a clean store reports every chunk and recipe ok; chunks and a recipe
 * damaged by direct LMDB writes are found, quarantined (bad bytes kept) and counted, and what
 * was quarantined is never served; a rate limit spaces a pass out.
 */
import t from 'tap';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { ParamValue } from '../../src/core/recipe.js';
import { Engine } from '../../src/engine/engine.js';
import { Store } from '../../src/store/store.js';
import { chunksOf, flipChunkByte, flipRecipeByte, outputOf } from '../helpers/corrupt.js';
import { pseudoRandom, tempDir } from '../helpers/temp.js';

const CS = 4096;
const none = new Map<string, ParamValue>();
/** upper@1's reference: ASCII a-z only. */
const upper = (b: Buffer) => Buffer.from(b.map((c) => (c >= 0x61 && c <= 0x7a ? c - 32 : c)));

async function filledStore(dir: string) {
  const engine = Engine.open({ storeDir: dir, chunkSize: CS, threads: 2 });
  const a = await engine.put(pseudoRandom(5 * CS + 1, 1));
  const b = await engine.put(pseudoRandom(2 * CS, 2));
  const up = await engine.putRecipe(parseFunctionId('upper@1'), [a], none);
  const cat = await engine.putRecipe(parseFunctionId('concat@1'), [a, b], none);
  await engine.read(up);
  await engine.close();
  return { a, b, up, cat };
}

t.test('a clean store: every chunk and recipe ok', async (t) => {
  const dir = await tempDir(t);
  await filledStore(dir);
  const engine = Engine.open({ storeDir: dir, threads: 1 });
  t.teardown(() => engine.close());
  const { chunks, recipes } = engine.status();
  const report = await engine.scrub();
  t.match(report, { objects: chunks + recipes, ok: chunks + recipes, corrupt: 0, quarantined: [] });
  t.ok(report.bytes > 2 * (5 * CS + 1) + 2 * CS, 'every chunk byte (and recipe byte) was read');
  t.ok(report.durationMs > 0);
  t.equal(engine.status().integrityEvents, 0);
  t.match(engine.status().scrub, { last: { objects: chunks + recipes, corrupt: 0 } }, 'status shows the last pass');
});

t.test('corrupt chunks and a corrupt recipe are found, quarantined and never served', async (t) => {
  const dir = await tempDir(t);
  const { a, b, up, cat } = await filledStore(dir);
  const leafChunk = (await chunksOf(dir, a))[2]!;
  const outputChunk = (await chunksOf(dir, await outputOf(dir, up)))[4]!;
  await flipChunkByte(dir, leafChunk, 100);
  await flipChunkByte(dir, outputChunk, 3);
  await flipRecipeByte(dir, cat);

  const engine = Engine.open({ storeDir: dir, threads: 2 });
  t.teardown(() => engine.close());
  const before = engine.status();
  const report = await engine.scrub();
  t.equal(report.objects, before.chunks + before.recipes);
  t.equal(report.corrupt, 3);
  t.equal(report.ok, report.objects - 3);
  t.same(
    report.quarantined.map((q) => `${q.kind} ${q.addr}`).sort(),
    [`chunk ${leafChunk.toString('hex')}`, `chunk ${outputChunk.toString('hex')}`, `recipe ${cat.hex}`].sort(),
  );
  const after = engine.status();
  t.equal(after.integrityEvents, 3);
  t.equal(after.quarantined, 3);
  t.equal(after.chunks, before.chunks - 2, 'chunks moved out of the live table');
  t.equal(after.recipes, before.recipes - 1);

  await t.rejects(engine.read(a), { code: 'INTEGRITY', message: new RegExp(`leaf ${a.hex}`) }, 'the leaf is refused');
  t.same(await engine.read(b), pseudoRandom(2 * CS, 2), 'an intact leaf reads');
  const want = upper(pseudoRandom(5 * CS + 1, 1));
  t.same(await engine.read(up, 0, 4 * CS), want.subarray(0, 4 * CS), 'the output reads up to the lost leaf chunk');
  t.throws(() => engine.info(cat), { code: 'NOT_FOUND' }, 'the quarantined recipe is gone');
  t.equal(engine.status().integrityEvents, 3, 'reading what scrub quarantined finds nothing new');

  await engine.close();
  const store = Store.open(dir);
  t.teardown(() => store.close());
  const kept = store.quarantine.get('chunk', outputChunk)!;
  t.not(kept.bytes.length, 0, 'bad bytes kept for inspection');
  t.ok(store.quarantine.has('recipe', cat.bytes));
});

t.test('the output chunk quarantined by scrub is rebuilt on read', async (t) => {
  const dir = await tempDir(t);
  const { up } = await filledStore(dir);
  const outputChunk = (await chunksOf(dir, await outputOf(dir, up)))[1]!;
  await flipChunkByte(dir, outputChunk, 3);
  const engine = Engine.open({ storeDir: dir, threads: 2 });
  t.teardown(() => engine.close());
  t.equal((await engine.scrub()).corrupt, 1);
  const want = upper(pseudoRandom(5 * CS + 1, 1));
  t.same(await engine.read(up), want, 'recomputed');
  t.equal((await engine.scrub()).corrupt, 0, 'the next pass finds the store clean');
});

t.test('a rate limit spaces a pass out; progress is visible while it runs', async (t) => {
  const dir = await tempDir(t);
  await filledStore(dir);
  const engine = Engine.open({ storeDir: dir, threads: 1 });
  t.teardown(() => engine.close());
  const pass = engine.scrub({ rate: 40 * CS }); // about 0.3 s for ~13 chunks of 4 KiB
  await new Promise((r) => setTimeout(r, 50));
  const current = engine.status().scrub.current;
  t.ok(current, 'a pass is under way');
  t.ok(current!.objects < current!.total, 'part-way through');
  const report = await pass;
  t.ok(report.durationMs >= (report.bytes / (40 * CS)) * 1000 - 30, `took ${report.durationMs.toFixed(0)} ms for ${report.bytes} bytes`);
  t.equal(engine.status().scrub.current, undefined, 'done');
});
