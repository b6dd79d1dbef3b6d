/**
 * Scrubbing a real store: a clean store reports every chunk and recipe ok; chunks and a recipe
 * damaged by direct LMDB writes are found, quarantined (bad bytes kept) and counted, and what
 * was quarantined is never served; a pass held part-way shows its progress; a rate limit spaces
 * a pass out.
 */
import t, { type Test } from 'tap';
import type { CAddr } from '../../src/core/caddr.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { ParamValue } from '../../src/core/recipe.js';
import { Store } from '../../src/store/store.js';
import { chunksOf, flipChunkByte, flipRecipeByte, outputOf } from '../helpers/corrupt.js';
import { engineHome, pseudoRandom, type EngineHome } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

const CS = 4096;
const none = new Map<string, ParamValue>();
/** upper@1's reference: ASCII a-z only. */
const upper = (b: Buffer) => Buffer.from(b.map((c) => (c >= 0x61 && c <= 0x7a ? c - 32 : c)));

/** A store of two leaves and two recipes, one computed; the engine that filled it is closed. */
async function filledStore(t: Test): Promise<EngineHome & Record<'a' | 'b' | 'up' | 'cat', CAddr>> {
  const home = await engineHome(t, { chunkSize: CS });
  const engine = home.open();
  const a = await engine.put(pseudoRandom(5 * CS + 1, 1));
  const b = await engine.put(pseudoRandom(2 * CS, 2));
  const up = await engine.putRecipe(parseFunctionId('upper@1'), [a], none);
  const cat = await engine.putRecipe(parseFunctionId('concat@1'), [a, b], none);
  await engine.read(up);
  await engine.close();
  return { ...home, a, b, up, cat };
}

t.test('a clean store: every chunk and recipe ok', async (t) => {
  const home = await filledStore(t);
  const engine = home.open({ threads: 1 });
  const { chunks, recipes } = engine.status();
  const report = await engine.scrub();
  t.match(report, { objects: chunks + recipes, ok: chunks + recipes, corrupt: 0, quarantined: [] });
  t.ok(report.bytes > 2 * (5 * CS + 1) + 2 * CS, 'every chunk byte (and recipe byte) was read');
  t.ok(report.durationMs > 0);
  t.equal(engine.status().integrityEvents, 0);
  t.match(engine.status().scrub, { last: { objects: chunks + recipes, corrupt: 0 } }, 'status shows the last pass');
});

t.test('corrupt chunks and a corrupt recipe are found, quarantined and never served', async (t) => {
  const { dir, open, a, b, up, cat } = await filledStore(t);
  const leafChunk = (await chunksOf(dir, a))[2]!;
  const outputChunk = (await chunksOf(dir, await outputOf(dir, up)))[4]!;
  await flipChunkByte(dir, leafChunk, 100);
  await flipChunkByte(dir, outputChunk, 3);
  await flipRecipeByte(dir, cat);

  const engine = open();
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
  const { dir, open, up } = await filledStore(t);
  const outputChunk = (await chunksOf(dir, await outputOf(dir, up)))[1]!;
  await flipChunkByte(dir, outputChunk, 3);
  const engine = open();
  t.equal((await engine.scrub()).corrupt, 1);
  const want = upper(pseudoRandom(5 * CS + 1, 1));
  t.same(await engine.read(up), want, 'recomputed');
  t.equal((await engine.scrub()).corrupt, 0, 'the next pass finds the store clean');
});

t.test('progress is visible while a pass runs', async (t) => {
  const home = await filledStore(t);
  const engine = home.open({ threads: 1 });
  const total = engine.status().chunks + engine.status().recipes;
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let held = false;
  const pass = engine.scrub({
    afterObject: (objects) => {
      if (objects !== 3) return;
      held = true;
      return released; // the pass waits here, three objects in
    },
  });
  await waitFor(() => held, { what: 'the pass to reach its third object' });
  t.match(engine.status().scrub.current, { objects: 3, total }, 'a pass is under way, part-way through');
  t.ok(3 < total);
  release();
  t.match(await pass, { objects: total, ok: total });
  t.equal(engine.status().scrub.current, undefined, 'done');
});

t.test('a rate limit spaces a pass out', async (t) => {
  const home = await filledStore(t);
  const engine = home.open({ threads: 1 });
  const report = await engine.scrub({ rate: 40 * CS }); // about 0.3 s for ~13 chunks of 4 KiB
  // A lower bound the pacing guarantees (it waits until each byte is due), never an upper one.
  t.ok(report.durationMs >= (report.bytes / (40 * CS)) * 1000 - 30, `took ${report.durationMs.toFixed(0)} ms for ${report.bytes} bytes`);
});
