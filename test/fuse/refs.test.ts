/**
 * Refs through a real mount, read by real coreutils: `<mnt>/refs/NAME` is a symlink to the
 * bound value, and a recipe over a ref serves its new content after a rebind, although the
 * kernel cached the old pages (same size and a larger size), for chunkwise, structural and
 * streaming functions.
 */
import t from 'tap';
import { join } from 'node:path';
import type { CAddr } from '../../src/core/caddr.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { ParamValue, RecipeInput } from '../../src/core/recipe.js';
import type { Engine } from '../../src/engine/engine.js';
import { createEngine, pseudoRandom } from '../helpers/temp.js';
import { mountTemp, ok, pathOf, run, text } from './fixtures/mount.js';

const params = (o: Record<string, string> = {}) =>
  new Map<string, ParamValue>(Object.entries(o).map(([k, v]) => [k, { type: 'string', value: v }]));
/** Deterministic lowercase text, so case functions change every byte. */
const letters = (n: number, seed: number) => Buffer.from(pseudoRandom(n, seed).map((c) => 97 + (c % 26)));
const recipe = (engine: Engine, fn: string, inputs: RecipeInput[], p: Record<string, string> = {}) =>
  engine.putRecipe(parseFunctionId(fn), inputs, params(p));

t.test('refs directory and symlinks', async (t) => {
  const engine = await createEngine(t, { chunkSize: 4096 });
  const mount = await mountTemp(t, engine);
  const a = await engine.put(Buffer.from('first value\n'));
  const b = await engine.put(Buffer.from('second value\n'));
  t.match(await text('ls', [mount.dir]), /^refs$/m, 'ls / shows refs');
  t.equal(await text('ls', ['-A', join(mount.dir, 'refs')]), '', 'no refs yet');

  await engine.setRef('data', a);
  const link = join(mount.dir, 'refs', 'data');
  t.equal(await text('readlink', [link]), `../${a.shard}/${a.hex}\n`, 'readlink gives ../<hex2>/<hex>');
  t.equal(await text('stat', ['-c', '%F', link]), 'symbolic link\n');
  t.equal(await text('cat', [link]), 'first value\n', 'cat through the symlink');
  t.equal(await text('ls', [join(mount.dir, 'refs')]), 'data\n');
  t.equal(await text('readlink', ['-f', link]), `${pathOf(mount, a)}\n`, 'resolves inside the mount');

  await engine.setRef('data', b);
  t.equal(await text('readlink', [link]), `../${b.shard}/${b.hex}\n`, 'readlink follows the rebind');
  t.equal(await text('cat', [link]), 'second value\n', 'cat through the symlink after the rebind');

  const missing = await run('cat', [join(mount.dir, 'refs', 'nope')]);
  t.not(missing.code, 0, 'an unbound ref is not there');
  t.match(missing.stderr, /No such file/);
  const bad = await run('stat', [join(mount.dir, 'refs', '..x..', 'y')]);
  t.not(bad.code, 0, 'nothing nested below refs');
  const write = await run('ln', ['-s', 'x', join(mount.dir, 'refs', 'new')]);
  t.match(write.stderr, /Read-only file system/, 'refs cannot be made through the mount');
});

/** cat (twice, so the second is served from the page cache) and stat of a recipe over a ref. */
async function readTwice(path: string): Promise<{ cat: Buffer; again: Buffer; size: number }> {
  const cat = await ok('cat', [path]);
  const again = await ok('cat', [path]);
  const size = Number(await text('stat', ['-c', '%s', path]));
  return { cat, again, size };
}

t.test('a recipe over a ref serves new content after a rebind, not the kernel cache', async (t) => {
  const engine = await createEngine(t, { chunkSize: 4096 });
  const mount = await mountTemp(t, engine);
  const v1 = letters(10_000, 1);
  const v2 = letters(10_000, 2); // same size, other bytes
  const v3 = letters(30_000, 3); // larger
  const v4 = Buffer.from('tiny\n'); // smaller
  const [a1, a2, a3, a4] = await Promise.all([v1, v2, v3, v4].map((v) => engine.put(v)));
  await engine.setRef('src', a1);
  const kinds: [string, CAddr, (v: Buffer) => Buffer][] = [
    ['chunkwise upper', await recipe(engine, 'upper@1', [{ ref: 'src' }]), (v) => Buffer.from(v.toString('latin1').toUpperCase(), 'latin1')],
    ['structural concat', await recipe(engine, 'concat@1', [{ ref: 'src' }, a4], { sep: '|' }), (v) => Buffer.concat([v, Buffer.from('|'), v4])],
    ['streaming replace', await recipe(engine, 'replace@1', [{ ref: 'src' }], { from: 'a', to: 'AA' }), (v) => Buffer.from(v.toString('latin1').replaceAll('a', 'AA'), 'latin1')],
  ];
  const steps: [string, CAddr, Buffer][] = [
    ['first binding', a1, v1],
    ['same size, other bytes', a2, v2],
    ['larger', a3, v3],
    ['smaller', a4, v4],
    ['back to the first', a1, v1],
  ];
  for (const [step, addr, value] of steps) {
    if (step !== 'first binding') await engine.setRef('src', addr);
    for (const [kind, r, expect] of kinds) {
      const want = expect(value);
      const got = await readTwice(pathOf(mount, r));
      t.equal(got.size, want.length, `${step}: ${kind}: stat size`);
      t.ok(got.cat.equals(want), `${step}: ${kind}: cat`);
      t.ok(got.again.equals(want), `${step}: ${kind}: cat again (page cache)`);
    }
  }
});

t.test('an immutable value keeps its page cache: mtime stays at the epoch', async (t) => {
  const engine = await createEngine(t, { chunkSize: 4096 });
  const mount = await mountTemp(t, engine);
  const leaf = await engine.put(Buffer.from('stable\n'));
  const up = await recipe(engine, 'upper@1', [leaf]);
  await ok('cat', [pathOf(mount, up)]);
  const before = engine.status().chunksComputed + engine.status().computations;
  t.equal(await text('cat', [pathOf(mount, up)]), 'STABLE\n');
  t.equal(await text('stat', ['-c', '%Y', pathOf(mount, up)]), '0\n', 'mtime 0');
  t.equal(engine.status().chunksComputed + engine.status().computations, before, 'nothing recomputed');
  await engine.invalidate(leaf);
  t.not(await text('stat', ['-c', '%Y', pathOf(mount, up)]), '0\n', 'an invalidated output gets a new mtime');
});
