/**
 * The read side of the mount: getattr, readdir, readlink, open, read, release, access and
 * statfs, over the engine. A value's size comes from the engine. A streaming output not yet
 * computed reports its function's upper bound, so that opening and reading it streams (the
 * kernel reads no further than a file's size, and the short read at the real end sets the
 * exact size, which end-reads.ts makes sure the kernel keeps); a whole output whose size is not
 * yet known is materialized at getattr time (awaited, never blocking the thread fuse-native
 * serves ops on).
 */
import { join } from 'node:path';
import type { CAddr } from '../core/caddr.js';
import type { Engine, RefBinding } from '../engine/engine.js';
import { kernelFileSize } from '../native/index.js';
import { dirStat, fileStat, fsStat, symlinkStat, type Owner } from './attrs.js';
import { EndReads } from './end-reads.js';
import { FsError } from './errno.js';
import { lookup, lookupValue } from './lookup.js';
import { REFS_DIR, parsePath } from './paths.js';
import { countOp, valueOp, valuesOp, type FuseHandler, type FuseLogger } from './op-guard.js';

/** What every op needs: the engine, where it is mounted, who owns the nodes, where to log. */
export interface OpContext {
  readonly engine: Engine;
  /** The mount point (absolute): the mount asks the kernel about its own files there. */
  readonly mnt: string;
  readonly owner: Owner;
  readonly log: FuseLogger;
}

const O_ACCMODE = 3;
const O_RDONLY = 0;
const W_OK = 2;
/** fuse-native stores a non-zero handle in fuse_file_info.fh; 0 leaves it unset. We need none. */
const NO_HANDLE = 0;

export function readOps(ctx: OpContext): Record<string, FuseHandler> {
  const { engine, owner, log } = ctx;
  const file = (addr: CAddr) => join(ctx.mnt, addr.shard, addr.hex);
  const endReads = new EndReads(
    {
      fresh: (addr) => kernelFileSize(file(addr), { fresh: true }),
      cached: (addr) => kernelFileSize(file(addr), { fresh: false }),
    },
    log,
  );
  return {
    getattr: valueOp(log, 'getattr', async (path: string) => {
      const node = lookup(engine, path);
      if (node.kind === 'ref') return symlinkStat(owner, refTarget(node.binding), node.binding.time);
      if (node.kind !== 'value') return dirStat(owner);
      const { addr, size } = node.info;
      if (size !== undefined) return fileStat(owner, size, engine.changedAt(addr));
      endReads.mayShowBound(addr);
      return fileStat(owner, endReads.sizeLearned(addr) ?? (await engine.sizeBound(addr)), engine.changedAt(addr));
    }),

    readlink: valueOp(log, 'readlink', (path: string) => {
      const node = lookup(engine, path);
      if (node.kind !== 'ref') throw new FsError('EINVAL', `${path} is not a symlink`);
      return refTarget(node.binding);
    }),

    readdir: valuesOp(log, 'readdir', (path: string) => readdir(ctx, path)),

    open: valueOp(log, 'open', (path: string, flags: number) => {
      lookupValue(engine, path);
      if ((flags & O_ACCMODE) !== O_RDONLY) throw new FsError('EROFS', `${path} is read-only`);
      return NO_HANDLE;
    }),

    read: countOp(log, 'read', async (path: string, _fd: number, buf: Buffer, len: number, pos: number) => {
      // The hot path: parse and read straight into the kernel's buffer (open already checked).
      const parsed = parsePath(path);
      if (parsed?.kind !== 'value') {
        lookupValue(engine, path); // a directory or no such path: throws EISDIR or ENOENT
        return 0;
      }
      const target = buf.subarray(0, len);
      return endReads.read(parsed.addr, pos, target, () => engine.info(parsed.addr).size, () => engine.readInto(parsed.addr, pos, target));
    }),

    release: valueOp(log, 'release', () => undefined),

    access: valueOp(log, 'access', (path: string, mode: number) => {
      lookup(engine, path);
      if (mode & W_OK) throw new FsError('EROFS', `${path} is read-only`);
    }),

    statfs: valueOp(log, 'statfs', () => fsStat(engine)),
  };
}

/**
 * Names in a directory, with a mode-only stat each: libfuse turns the mode into the entry's
 * d_type, which is all `find -type f` needs, and a size here would mean computing every recipe.
 */
function readdir(ctx: OpContext, path: string): [string[], ReturnType<typeof dirStat>[]] {
  const node = lookup(ctx.engine, path);
  if (node.kind === 'value' || node.kind === 'ref') throw new FsError('ENOTDIR', `${path} is not a directory`);
  if (node.kind === 'root') {
    const names = [...ctx.engine.shards(), REFS_DIR];
    return [names, names.map(() => dirStat(ctx.owner))];
  }
  if (node.kind === 'refs') {
    const refs = ctx.engine.listRefs();
    return [refs.map((r) => r.name), refs.map((r) => symlinkStat(ctx.owner, refTarget(r), r.time))];
  }
  const addrs = ctx.engine.inShard(node.shard);
  return [addrs.map((a) => a.hex), addrs.map(() => fileStat(ctx.owner, 0))];
}

/** Where `<mnt>/refs/NAME` points: the bound value's path, relative to the refs directory. */
export function refTarget(binding: RefBinding): string {
  return `../${binding.addr.shard}/${binding.addr.hex}`;
}
