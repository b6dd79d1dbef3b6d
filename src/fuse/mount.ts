/**
 * Mount lifecycle: mount an engine read-only at a directory, and unmount it again. Before
 * mounting, a stale mount left at the directory by a crashed process is cleared and the
 * directory is created if missing.
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Engine } from '../engine/engine.js';
import { daemonOwner } from './attrs.js';
import type { FuseObserver } from '../metrics/observer.js';
import { createSession, loadFuse, releaseSession } from './fuse-binding.js';
import { clearStaleMount, mountState, unmountDir } from './mount-table.js';
import { silentLogger, type FuseHandler, type FuseLogger } from './op-guard.js';
import { readOps, type OpContext } from './read-ops.js';
import { timedOps } from './op-timing.js';
import { readOnlyOps } from './read-only.js';
import { xattrOps } from './xattrs.js';

export interface MountOptions {
  /** Where op failures and lifecycle events go (a pino logger fits); silent by default. */
  readonly logger?: FuseLogger;
  /** Told each op's latency and the bytes reads serve (default: nobody). */
  readonly observer?: FuseObserver;
}

/** A live mount of an engine. */
export interface Mount {
  /** Absolute path of the mount point. */
  readonly dir: string;
  /**
   * Unmounts: normally if nothing holds the mount, else lazily (`lazy: true`: detached now,
   * released when its last user lets go). Calling it again returns the same outcome.
   */
  unmount(): Promise<{ lazy: boolean }>;
}

/**
 * fuse-native options (libfuse 2.9's high-level API: fuse-native exposes neither per-file
 * open flags such as keep_cache or direct_io, nor the low-level notify_inval_inode, whose
 * inode numbers the high-level API keeps to itself). Almost every value is immutable, but the
 * output of a recipe over a ref changes, under the same path, when the ref is rebound. So:
 *
 * - autoCache, not kernelCache: on open, libfuse compares the file's mtime and size with
 *   what it saw before and keeps the kernel page cache only if both are unchanged (kernelCache
 *   would keep it always). An invalidated value gets a new mtime (engine.changedAt), so the
 *   first open after a rebind drops the old pages; an immutable value keeps mtime and size, so
 *   a second `cat` still never reaches us. acAttrTimeout '0' makes that comparison use a fresh
 *   getattr at every open (strings: fuse-native drops a falsy 0);
 * - attrTimeout '0': the kernel asks getattr again rather than trust a cached size, so a value
 *   that grew on a rebind is read to its new end (the kernel stops reads at the size it holds),
 *   and a streaming output's exact size replaces its upper bound as soon as it is known;
 * - entryTimeout 3600: names never change meaning (a ref symlink's target is read by readlink,
 *   which the kernel does not cache), and a lookup miss is not cached, so new addresses show up;
 * - timeout false: fuse-native otherwise fails any op after 15 s with ETIMEDOUT, and a read
 *   or stat of a large recipe legitimately waits for its computation longer than that.
 */
export const FUSE_OPTIONS = {
  fsname: 'deriva',
  subtype: 'deriva',
  autoCache: true,
  acAttrTimeout: '0',
  attrTimeout: '0',
  entryTimeout: 3600,
  timeout: false,
} as const;

/** Mounts `engine` read-only at `dir` (see ARCHITECTURE.md for the layout). */
export async function mountEngine(engine: Engine, dir: string, options: MountOptions = {}): Promise<Mount> {
  const log = options.logger ?? silentLogger;
  const mnt = resolve(dir);
  const fuse = await loadFuse();
  await clearStaleMount(mnt, log);
  if ((await mountState(mnt)) === 'live') throw new Error(`cannot mount at ${mnt}: something is already mounted there`);
  await mkdir(mnt, { recursive: true });

  const ops = fuseOps({ engine, mnt, owner: daemonOwner(), log });
  const session = createSession(fuse, mnt, options.observer ? timedOps(ops, options.observer) : ops, FUSE_OPTIONS);
  await new Promise<void>((done, fail) =>
    session.mount((err) => (err ? fail(new Error(`cannot mount at ${mnt}: ${err.message}`, { cause: err })) : done())),
  );
  log.info({ dir: mnt }, 'mounted');

  let unmounted: Promise<{ lazy: boolean }> | undefined;
  return {
    dir: mnt,
    unmount() {
      unmounted ??= unmountDir(mnt).then((outcome) => {
        releaseSession(fuse, session);
        log.info({ dir: mnt, lazy: outcome.lazy }, 'unmounted');
        return outcome;
      });
      return unmounted;
    },
  };
}

/** All ops the mount implements. */
export function fuseOps(ctx: OpContext): Record<string, FuseHandler> {
  return { ...readOps(ctx), ...xattrOps(ctx), ...readOnlyOps(ctx.log) };
}
