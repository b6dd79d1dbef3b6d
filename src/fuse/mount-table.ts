/**
 * The kernel's view of mounts, for the lifecycle: is a directory a mount point, is it a stale
 * FUSE mount left by a process that died (every access fails with ENOTCONN), and unmounting
 * with `fusermount` — run asynchronously, since a synchronous child would stop the very thread
 * that serves the mount.
 */
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { FuseLogger } from './op-guard.js';

const run = promisify(execFile);

/** The filesystem type mounted at `dir` (e.g. `fuse.deriva`), or undefined when none is. */
export async function mountedType(dir: string): Promise<string | undefined> {
  const table = await readFile('/proc/self/mountinfo', 'utf8');
  let found: string | undefined;
  for (const line of table.split('\n')) {
    const [left, right] = line.split(' - ');
    const fields = left?.split(' ');
    if (!fields || fields.length < 5 || !right) continue;
    if (unescape(fields[4]!) === dir) found = right.split(' ')[0];
  }
  return found;
}

/** mountinfo writes space, tab, newline and backslash in paths as octal escapes. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** What is at `dir` now: nothing mounted, a live mount, or a dead (stale) FUSE mount. */
export async function mountState(dir: string): Promise<'none' | 'live' | 'stale'> {
  try {
    await stat(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTCONN' || code === 'ECONNABORTED') return 'stale';
    if (code === 'ENOENT') return 'none';
    throw err;
  }
  return (await mountedType(dir)) === undefined ? 'none' : 'live';
}

/** Lazily detaches a stale mount at `dir` (a crashed daemon's), so `dir` can be mounted again. */
export async function clearStaleMount(dir: string, log: FuseLogger): Promise<boolean> {
  if ((await mountState(dir)) !== 'stale') return false;
  log.warn({ dir }, 'clearing a stale FUSE mount left by a process that died');
  await fusermount(['-uz', dir]);
  return true;
}

/**
 * Unmounts `dir`: normally, or, when something still holds it (EBUSY: an open file, a shell
 * inside), lazily — detached now, released by the kernel when the last user lets go.
 */
export async function unmountDir(dir: string): Promise<{ lazy: boolean }> {
  try {
    await fusermount(['-u', dir]);
    return { lazy: false };
  } catch (err) {
    if (/busy/i.test((err as Error).message)) {
      await fusermount(['-uz', dir]);
      return { lazy: true };
    }
    if ((await mountedType(dir)) === undefined) return { lazy: false };
    throw err;
  }
}

async function fusermount(args: string[]): Promise<void> {
  try {
    await run('fusermount', args);
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(`fusermount ${args.join(' ')} failed: ${stderr || (err as Error).message}`, { cause: err });
  }
}
