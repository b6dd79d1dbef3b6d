/**
 * Reading the mount with real coreutils: leaves of several chunks, a default-chunk value of a
 * few MiB, and recipes (chunkwise, structural, streaming), through ls, stat, cat, head, tail,
 * dd, cp+cmp, sha256sum, b3sum, find and du.
 */
import t, { type Test } from 'tap';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { CAddr } from '../../src/core/caddr.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { ParamValue } from '../../src/core/recipe.js';
import type { Engine } from '../../src/engine/engine.js';
import type { Mount } from '../../src/fuse/index.js';
import { createEngine, pseudoRandom, tempDir } from '../helpers/temp.js';
import { mountTemp, ok, pathOf, run, text } from './fixtures/mount.js';

const params = (o: Record<string, string> = {}) =>
  new Map<string, ParamValue>(Object.entries(o).map(([k, v]) => [k, { type: 'string', value: v }]));
const recipe = (engine: Engine, fn: string, inputs: CAddr[], p: Record<string, string> = {}) =>
  engine.putRecipe(parseFunctionId(fn), inputs, params(p));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every coreutils read of `path` must agree with `want`. */
async function checkReads(t: Test, mount: Mount, addr: CAddr, want: Buffer): Promise<void> {
  const path = pathOf(mount, addr);
  t.equal(await text('stat', ['-c', '%s %a %Y %h %F', path]), `${want.length} 444 0 1 regular file\n`, 'stat');
  t.same(await ok('cat', [path]), want, 'cat');
  t.same(await ok('head', ['-c', '100', path]), want.subarray(0, 100), 'head -c');
  t.same(await ok('tail', ['-c', '100', path]), want.subarray(Math.max(0, want.length - 100)), 'tail -c');
  for (const [bs, skip, count] of [
    [1, 4090, 13],
    [1, Math.max(0, want.length - 3), 10],
    [4096, 1, 2],
    [1000, 3, 7],
    [65536, 0, 3],
  ] as const) {
    const got = await ok('dd', [`if=${path}`, `bs=${bs}`, `skip=${skip}`, `count=${count}`, 'status=none']);
    t.same(got, want.subarray(bs * skip, bs * (skip + count)), `dd bs=${bs} skip=${skip} count=${count}`);
  }
  const dir = await tempDir(t);
  const [copy, expected] = [join(dir, 'copy'), join(dir, 'expected')];
  await ok('cp', [path, copy]);
  await writeFile(expected, want);
  t.equal((await run('cmp', [copy, expected])).code, 0, 'cp then cmp');
  t.equal((await text('sha256sum', [path])).split(' ')[0], sha256(want), 'sha256sum');
  t.equal(await text('du', ['-b', path]), `${want.length}\t${path}\n`, 'du -b');
}

t.test('leaves of several chunks and recipes over them read like files', async (t) => {
  const engine = await createEngine(t, { chunkSize: 4096 });
  const lines = Buffer.from('Hello, World!\nsecond line\n'.repeat(1000));
  const noise = pseudoRandom(50_000, 7);
  const a = await engine.put(lines);
  const b = await engine.put(noise);
  const up = await recipe(engine, 'upper@1', [a]);
  const sl = await recipe(engine, 'slice@1', [b], { offset: '5000', length: '20000' });
  const cat = await recipe(engine, 'concat@1', [a, b, up], { sep: '|' });
  const gz = await recipe(engine, 'gzip@1', [a]);
  const mount = await mountTemp(t, engine);

  const upper = Buffer.from(lines.toString('latin1').toUpperCase(), 'latin1');
  const cases: [string, CAddr, Buffer][] = [
    ['leaf (text, 7 chunks)', a, lines],
    ['leaf (binary, 13 chunks)', b, noise],
    ['upper@1', up, upper],
    ['slice@1', sl, noise.subarray(5000, 25000)],
    ['concat@1', cat, Buffer.concat([lines, Buffer.from('|'), noise, Buffer.from('|'), upper])],
  ];
  for (const [name, addr, want] of cases) await t.test(name, (t) => checkReads(t, mount, addr, want));

  await t.test('gzip@1', async (t) => {
    const out = await ok('cat', [pathOf(mount, gz)]);
    t.same(gunzipSync(out), lines, 'decompresses to its input');
    await checkReads(t, mount, gz, out);
  });

  t.equal((await text('b3sum', [pathOf(mount, a), pathOf(mount, b)])).split('\n').map((l) => l.split(' ')[0]).join(' '),
    `${a.hex} ${b.hex} `, 'b3sum of a leaf prints its address');

  const all = [a, b, up, sl, cat, gz];
  const shards = [...new Set(all.map((x) => x.shard))].sort();
  t.same((await text('ls', [mount.dir])).split('\n').filter(Boolean), [...shards, 'refs'], 'ls of the root lists the shards and refs');
  for (const shard of shards) {
    const want = all.filter((x) => x.shard === shard).map((x) => x.hex).sort();
    t.same((await text('ls', [join(mount.dir, shard)])).split('\n').filter(Boolean), want, `ls ${shard}`);
  }
  const found = (await text('find', [mount.dir, '-type', 'f'])).split('\n').filter(Boolean).sort();
  t.same(found, all.map((x) => pathOf(mount, x)).sort(), 'find -type f lists every value');
  t.equal((await text('find', [mount.dir, '-type', 'd'])).split('\n').filter(Boolean).length, shards.length + 2, 'find -type d: the root, the shards and refs');

  const total = (await Promise.all(all.map((x) => engine.size(x)))).reduce((s, n) => s + n, 0);
  t.equal(await text('du', ['-sb', mount.dir]), `${total}\t${mount.dir}\n`, 'du -sb of the mount sums the values');
  t.match(await text('du', ['-sh', mount.dir]), /^\d+(\.\d+)?K\t/, 'du -sh');
  t.match(await text('df', ['-h', mount.dir]), /deriva/, 'df names the filesystem');
  t.match(await text('stat', ['-c', '%a %F', mount.dir]), '555 directory', 'the root is a read-only directory');
  t.match(await text('stat', ['-c', '%a %F', join(mount.dir, a.shard)]), '555 directory', 'a shard is too');
});

t.test('a value of a few MiB in default-size chunks', async (t) => {
  const engine = await createEngine(t);
  const big = pseudoRandom(3 * 1024 * 1024 + 12345, 11);
  const leaf = await engine.put(big);
  const low = await recipe(engine, 'lower@1', [leaf]);
  const mount = await mountTemp(t, engine);

  await checkReads(t, mount, leaf, big);
  const edge = await ok('dd', [`if=${pathOf(mount, leaf)}`, 'bs=1', `skip=${1024 * 1024 - 5}`, 'count=10', 'status=none']);
  t.same(edge, big.subarray(1024 * 1024 - 5, 1024 * 1024 + 5), 'a read across a chunk boundary');
  t.equal((await text('b3sum', [pathOf(mount, leaf)])).split(' ')[0], leaf.hex, 'b3sum prints the address');
  const lowered = Buffer.from(big.map((x) => (x >= 0x41 && x <= 0x5a ? x + 0x20 : x)));
  t.equal((await text('sha256sum', [pathOf(mount, low)])).split(' ')[0], sha256(lowered), 'lower@1 of it');
});

t.test('stat of a whole output not yet computed computes it and gives its true size', async (t) => {
  const engine = await createEngine(t, { chunkSize: 4096 });
  const leaf = await engine.put(Buffer.from('b\na\nc\n'.repeat(3000)));
  const sorted = await recipe(engine, 'sort-lines@1', [leaf]);
  const mount = await mountTemp(t, engine);
  t.equal(engine.info(sorted).size, undefined, 'the engine does not know the size yet');
  const size = Number(await text('stat', ['-c', '%s', pathOf(mount, sorted)]));
  t.equal(engine.info(sorted).state, 'materialized', 'stat computed it');
  t.equal(size, 18000, 'the size stat reported is the output size');
});

t.test('a streaming output shows an upper bound until read, then its exact size', async (t) => {
  const engine = await createEngine(t, { chunkSize: 4096 });
  const leaf = await engine.put(Buffer.from('b\na\nc\n'.repeat(3000)));
  const gz = await recipe(engine, 'gzip@1', [leaf]);
  const mount = await mountTemp(t, engine);
  const path = pathOf(mount, gz);
  const bound = Number(await text('stat', ['-c', '%s', path]));
  t.equal(engine.info(gz).state, 'not-materialized', 'stat computed nothing');
  t.equal(bound, await engine.sizeBound(gz), "the function's bound over its input");
  const bytes = await ok('cat', [path]);
  t.ok(bytes.length < bound, `cat read ${bytes.length} bytes and stopped at the end`);
  t.same(bytes, await engine.read(gz), 'the right bytes');
  t.equal(Number(await text('stat', ['-c', '%s', path])), bytes.length, 'and the kernel knows the exact size');
});
