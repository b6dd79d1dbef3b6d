/**
 * The README tour against the real daemon: put a file, register upper@1 over it, read it
 * through the mount with coreutils, ls, stat, getfattr; and the shell tools the mount promises.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { startDaemon } from '../helpers/daemon.js';
import { pseudoRandom, tempDir } from '../helpers/temp.js';

const sh = promisify(execFile);
const run = async (cmd: string, args: string[]) => (await sh(cmd, args, { encoding: 'buffer', maxBuffer: 1 << 28 })).stdout;
const text = async (cmd: string, args: string[]) => (await run(cmd, args)).toString().trim();

t.test('put, recipe, cat through the mount, ls, stat, getfattr', async (t) => {
  const d = await startDaemon(t);
  const dir = await tempDir(t);
  const file = join(dir, 'hello.txt');
  await writeFile(file, 'hello, deriva\n');

  const put = await d.cli(['put', file]);
  t.equal(put.code, 0, put.stderr);
  const leaf = put.stdout.toString().trim();
  t.match(leaf, /^[0-9a-f]{64}$/, 'put prints only the address');
  t.equal(leaf, (await text('b3sum', [file])).split(/\s+/)[0], 'the address is b3sum of the bytes');

  const rec = await d.cli(['recipe', 'upper@1', '--input', leaf.slice(0, 8)]);
  t.equal(rec.code, 0, rec.stderr);
  const up = rec.stdout.toString().trim();
  const path = (await d.cli(['path', up])).stdout.toString().trim();
  t.equal(path, join(d.mount!, up.slice(0, 2), up));

  t.equal(await text('cat', [path]), 'HELLO, DERIVA');
  t.ok((await text('ls', [d.mount!])).split('\n').includes(up.slice(0, 2)), 'ls lists the shard');
  t.ok((await text('ls', [join(d.mount!, up.slice(0, 2))])).split('\n').includes(up), 'ls lists the address');
  t.equal(await text('stat', ['-c', '%s %a %Y %F', path]), '14 444 0 regular file');
  t.equal(await text('getfattr', ['--only-values', '-n', 'user.deriva.kind', path]), 'recipe');
  t.equal(await text('getfattr', ['--only-values', '-n', 'user.deriva.state', path]), 'materialized');
  const recipe = JSON.parse(await text('getfattr', ['--only-values', '-n', 'user.deriva.recipe', path]));
  t.same(recipe, { function: 'upper@1', inputs: [leaf], params: {} });
  t.equal(await text('b3sum', ['--no-names', join(d.mount!, leaf.slice(0, 2), leaf)]), leaf, 'b3sum of a leaf path prints its address');
});

t.test('shell pipelines over a multi-chunk value', async (t) => {
  const d = await startDaemon(t);
  const dir = await tempDir(t);
  const file = join(dir, 'big.bin');
  const bytes = pseudoRandom(3 * 1024 * 1024 + 12345, 77);
  await writeFile(file, bytes);
  const leaf = (await d.cli(['put', file])).stdout.toString().trim();
  const path = join(d.mount!, leaf.slice(0, 2), leaf);

  t.same(await run('cat', [path]), bytes, 'cat');
  t.same(await run('head', ['-c', '1000', path]), bytes.subarray(0, 1000), 'head -c');
  t.same(await run('tail', ['-c', '777', path]), bytes.subarray(bytes.length - 777), 'tail -c');
  const dd = await run('dd', [`if=${path}`, 'bs=4096', 'skip=300', 'count=3', 'status=none']);
  t.same(dd, bytes.subarray(300 * 4096, 303 * 4096), 'dd skip=');
  await run('cp', [path, join(dir, 'copy.bin')]);
  await run('cmp', [file, join(dir, 'copy.bin')]);
  t.pass('cp then cmp');
  t.equal((await text('sha256sum', [path])).split(' ')[0], (await text('sha256sum', [file])).split(' ')[0], 'sha256sum');
  t.ok((await text('find', [d.mount!, '-type', 'f'])).split('\n').includes(path), 'find');
  t.equal((await text('du', ['-b', path])).split('\t')[0], String(bytes.length), 'du -b');

  const gz = (await d.cli(['recipe', 'gzip@1', '-i', leaf])).stdout.toString().trim();
  const gzPath = (await d.cli(['path', gz])).stdout.toString().trim();
  const { stdout } = await sh('sh', ['-c', `cat '${gzPath}' | gunzip | cmp - '${file}' && echo same`]);
  t.equal(stdout.trim(), 'same', 'cat | gunzip | cmp');
});
