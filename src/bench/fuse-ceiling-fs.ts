/**
 * A bench child process: the fastest filesystem fuse-native can serve, one 256 MiB file whose
 * reads copy from a constant in-memory buffer. Reading it with `cat` measures what FUSE through
 * fuse-native costs by itself (kernel round trips of 128 KiB, every op on the JS thread), the
 * ceiling for any daemon built on it. Mounted with the daemon's options (mount.ts), so both pay
 * for the same per-op machinery, except auto_cache: the kernel drops this file's pages at every
 * open, so each `cat` is a first read. Usage: node fuse-ceiling-fs.js MOUNTDIR; prints "ready",
 * unmounts and exits on SIGTERM.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { createSession, loadFuse } from '../fuse/fuse-binding.js';
import { FUSE_OPTIONS } from '../fuse/mount.js';
import type { FuseHandler } from '../fuse/op-guard.js';

export const CEILING_FILE_SIZE = 256 * 1024 * 1024;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const ENOENT = -2;

const block = Buffer.alloc(1024 * 1024, 0x5a);
const stat = (mode: number, size: number) => ({
  mtime: new Date(0), atime: new Date(0), ctime: new Date(0), nlink: 1, size, mode, uid: 0, gid: 0,
});

const ops: Record<string, FuseHandler> = {
  readdir: (_path: string, cb: (code: number, names?: string[]) => void) => cb(0, ['file']),
  getattr: (path: string, cb: (code: number, st?: object) => void) => {
    if (path === '/') return cb(0, stat(S_IFDIR | 0o555, 0));
    if (path === '/file') return cb(0, stat(S_IFREG | 0o444, CEILING_FILE_SIZE));
    return cb(ENOENT);
  },
  open: (_path: string, _flags: number, cb: (code: number, fd?: number) => void) => cb(0, 0),
  release: (_path: string, _fd: number, cb: (code: number) => void) => cb(0),
  read: (_path: string, _fd: number, buf: Buffer, len: number, pos: number, cb: (n: number) => void) => {
    const n = Math.max(0, Math.min(len, CEILING_FILE_SIZE - pos));
    buf.set(block.subarray(0, n));
    cb(n);
  },
} as unknown as Record<string, FuseHandler>;

const mnt = process.argv[2];
if (!mnt) throw new Error('usage: fuse-ceiling-fs MOUNTDIR');
await mkdir(mnt, { recursive: true });
const session = createSession(await loadFuse(), mnt, ops, { ...FUSE_OPTIONS, fsname: 'deriva-bench-ceiling', autoCache: false });
await new Promise<void>((resolve, reject) => session.mount((err) => (err ? reject(err) : resolve())));
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  promisify(execFile)('fusermount', ['-uz', mnt]).finally(() => process.exit(0));
});
