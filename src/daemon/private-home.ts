/**
 * The daemon's home is private to its owner: the home directory is 0700 and what the daemon
 * keeps in it is owner-only (directories 0700, files 0600), since the store holds every stored
 * byte and the log names what was read. Each file is also created with those modes (store.ts,
 * lock.ts, logger.ts, node-key.ts); this module makes the home so and tightens an existing one
 * made with wider modes (by an older Deriva, or by hand), reporting what it changed.
 *
 * The node key is left alone: a key other users could read may have leaked, so NodeKey refuses
 * it rather than have it quietly tightened. The socket is recreated at every start, behind the
 * home's mode. Nothing else in the home (a mount point put there, say) is walked into.
 */
import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { HomeLayout } from './home.js';

/** The owner's permission bits: what is kept of an existing mode (group and other bits go). */
const OWNER_ONLY = 0o700;

/** A path whose mode was narrowed: `from` and `to` as octal text, e.g. '755' and '700'. */
export interface Tightened {
  readonly path: string;
  readonly from: string;
  readonly to: string;
}

/** Creates the home (0700) if missing and tightens what the daemon keeps in it; returns what changed. */
export async function makeHomePrivate(layout: HomeLayout): Promise<Tightened[]> {
  try {
    await mkdir(layout.home, { recursive: true, mode: OWNER_ONLY });
    const tightened: Tightened[] = [];
    await tighten(layout.home, tightened);
    for (const path of [layout.store, layout.log, layout.pidFile]) await tighten(path, tightened, true);
    return tightened;
  } catch (err) {
    throw new ConfigError(`cannot make the Deriva home ${layout.home} private: ${(err as Error).message}`, { cause: err });
  }
}

/** Drops the group and other bits of `path` (and, with `recurse`, of everything under it). */
async function tighten(path: string, tightened: Tightened[], recurse = false): Promise<void> {
  const info = await lstat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (!info || info.isSymbolicLink()) return;
  const mode = info.mode & 0o777;
  const wanted = mode & OWNER_ONLY;
  if (wanted !== mode) {
    await chmod(path, wanted);
    tightened.push({ path, from: mode.toString(8), to: wanted.toString(8) });
  }
  if (info.isDirectory() && recurse) {
    for (const entry of await readdir(path)) await tighten(join(path, entry), tightened, true);
  }
}
