/**
 * Mount lifecycle: the mount point is created, unmount is normal when idle and lazy when busy,
 * a live mount is never mounted over, and a stale mount left by a killed process (ENOTCONN)
 * is cleared so the directory can be mounted again.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { open, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { mountEngine } from '../../src/fuse/index.js';
import { mountedType } from '../../src/fuse/mount-table.js';
import { createEngine, tempDir } from '../helpers/temp.js';
import { pathOf, run, text } from './fixtures/mount.js';

const fixture = fileURLToPath(new URL('./fixtures/mount-child.ts', import.meta.url));

t.test('mount creates the directory; unmount is normal when idle, lazy when busy', async (t) => {
  const engine = await createEngine(t);
  const leaf = await engine.put(Buffer.from('held open\n'));
  const dir = join(await tempDir(t), 'a', 'b', 'mnt');

  const idle = await mountEngine(engine, dir);
  t.equal(idle.dir, dir);
  t.equal(await mountedType(dir), 'fuse.deriva', 'mounted as fuse.deriva');
  const again = await mountEngine(engine, dir).then(
    () => 'mounted twice',
    (err: Error) => err.message,
  );
  t.match(again, /already mounted/, 'a live mount is not mounted over');
  t.same(await idle.unmount(), { lazy: false });
  t.same(await idle.unmount(), { lazy: false }, 'unmount again is harmless');
  t.equal(await mountedType(dir), undefined, 'gone');

  const busy = await mountEngine(engine, dir);
  t.teardown(() => busy.unmount());
  const handle = await open(pathOf(busy, leaf), 'r');
  t.same(await busy.unmount(), { lazy: true }, 'an open file makes it lazy');
  t.equal(await mountedType(dir), undefined, 'detached from the tree at once');
  const { bytesRead, buffer } = await handle.read(Buffer.alloc(64), 0, 64, 0);
  t.equal(buffer.subarray(0, bytesRead).toString(), 'held open\n', 'the open file still reads');
  await handle.close();
});

t.test('a stale mount left by a killed process is cleared before mounting', async (t) => {
  const dir = join(await tempDir(t), 'mnt');
  const child = spawn(process.execPath, [...process.execArgv, fixture, await tempDir(t), dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if ((await mountedType(dir)) !== undefined) await run('fusermount', ['-uz', dir]);
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('mounted')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before mounting`)));
  });
  t.match(await text('ls', [dir]), /^[0-9a-f]{2}\nrefs\n$/, 'the child serves its mount');

  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  const err = await stat(dir).then(
    () => undefined,
    (e: NodeJS.ErrnoException) => e.code,
  );
  t.equal(err, 'ENOTCONN', 'the dead mount gives ENOTCONN');

  const engine = await createEngine(t);
  const leaf = await engine.put(Buffer.from('from the parent\n'));
  const mount = await mountEngine(engine, dir);
  t.teardown(() => mount.unmount());
  t.equal(await text('cat', [pathOf(mount, leaf)]), 'from the parent\n', 'mounted again over the cleared stale mount');
});
