/**
 * Stat and statfs records for the mount. Values are immutable, so times are the epoch, except
 * a value's mtime after an invalidation (a recipe over a rebound ref changes content: see
 * engine/change-clock.ts); modes are read-only; owner is the daemon. Directory sizes are 0 so that `du -b` of a
 * directory is exactly the sum of the values in it.
 */
import type { Engine } from '../engine/engine.js';

/** The stat fields fuse-native reads (times in ms since the epoch, or Dates). */
export interface FuseStat {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  nlink: number;
  blocks: number;
  blksize: number;
  atime: number;
  mtime: number;
  ctime: number;
  dev?: number;
  ino?: number;
  rdev?: number;
}

/** The statvfs fields fuse-native passes on (each a uint32). */
export interface FuseStatfs {
  bsize: number;
  frsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  favail: number;
  fsid: number;
  flag: number;
  namemax: number;
}

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
/** I/O size hint: the kernel's largest FUSE read (128 KiB), so `cp`/`cat` ask in whole requests. */
const IO_BLOCK = 128 * 1024;
/** st_blocks unit, fixed by POSIX regardless of the filesystem's block size. */
const STAT_BLOCK = 512;
const FRAGMENT = 4096;
const ST_RDONLY = 1;
const UINT32_MAX = 0xffff_ffff;

/** Owner of every node: the user the daemon runs as. */
export interface Owner {
  readonly uid: number;
  readonly gid: number;
}

export function daemonOwner(): Owner {
  return { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
}

/** A read-only directory (0555). */
export function dirStat(owner: Owner): FuseStat {
  return { ...base(owner), mode: S_IFDIR | 0o555, nlink: 2, size: 0, blocks: 0 };
}

/** A read-only regular file (0444) of `size` bytes, last changed at `mtime` (ms). */
export function fileStat(owner: Owner, size: number, mtime = 0): FuseStat {
  return { ...base(owner), mode: S_IFREG | 0o444, nlink: 1, size, blocks: Math.ceil(size / STAT_BLOCK), mtime, ctime: mtime };
}

/** A symlink (a ref) whose target is `target`; bound at `time` (ms). */
export function symlinkStat(owner: Owner, target: string, time: number): FuseStat {
  return { ...base(owner), mode: S_IFLNK | 0o777, nlink: 1, size: Buffer.byteLength(target), blocks: 0, mtime: time, ctime: time };
}

function base(owner: Owner): Pick<FuseStat, 'uid' | 'gid' | 'blksize' | 'atime' | 'mtime' | 'ctime'> {
  return { uid: owner.uid, gid: owner.gid, blksize: IO_BLOCK, atime: 0, mtime: 0, ctime: 0 };
}

/**
 * Filesystem totals for `df`: used space is the stored chunks (an upper bound: the last chunk
 * of a value is usually short), nothing is free (the mount is read-only), one inode per address.
 */
export function fsStat(engine: Engine): FuseStatfs {
  const { chunks, leaves, recipes, chunkSize } = engine.status();
  const blocks = Math.min(UINT32_MAX, Math.ceil((chunks * chunkSize) / FRAGMENT));
  return {
    bsize: IO_BLOCK,
    frsize: FRAGMENT,
    blocks,
    bfree: 0,
    bavail: 0,
    files: Math.min(UINT32_MAX, leaves + recipes),
    ffree: 0,
    favail: 0,
    fsid: 0,
    flag: ST_RDONLY,
    namemax: 255,
  };
}
