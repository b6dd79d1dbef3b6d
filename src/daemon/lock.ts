/**
 * One daemon per home: a pid file created exclusively. A pid file whose process is gone (the
 * daemon was killed) is stale and taken over; one whose process lives means another daemon
 * runs here, and starting fails at once with a message saying which.
 */
import { readFileSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';

export class HomeLockedError extends Error {
  override get name(): string {
    return 'HomeLockedError';
  }
}

export interface HomeLock {
  release(): Promise<void>;
}

export async function lockHome(pidFile: string, home: string): Promise<HomeLock> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(pidFile, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return { release: () => releaseIfOurs(pidFile) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
      throw new HomeLockedError(`another Deriva daemon (pid ${holder}) is already running on ${home}`);
    }
    await unlink(pidFile).catch(() => {}); // stale: its daemon died without cleaning up
  }
  throw new HomeLockedError(`could not take the lock ${pidFile}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** A killed daemon not yet reaped by its parent still answers kill(pid, 0); it holds nothing. */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

async function releaseIfOurs(pidFile: string): Promise<void> {
  const holder = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (holder === process.pid) await unlink(pidFile).catch(() => {});
}
