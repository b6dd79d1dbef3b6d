/**
 * Every op that would change the mount answers EROFS. They are implemented (rather than left
 * to fuse-native's ENOSYS default) so tools print "Read-only file system", which is the truth.
 */
import { FsError } from './errno.js';
import { valueOp, type FuseHandler, type FuseLogger } from './op-guard.js';

/** Ops that modify the filesystem; the first argument of each is the path acted on. */
export const MUTATING_OPS = [
  'write',
  'create',
  'mknod',
  'mkdir',
  'rmdir',
  'unlink',
  'rename',
  'link',
  'symlink',
  'chmod',
  'chown',
  'truncate',
  'ftruncate',
  'utimens',
  'setxattr',
  'removexattr',
] as const;

export function readOnlyOps(log: FuseLogger): Record<string, FuseHandler> {
  const ops: Record<string, FuseHandler> = {};
  for (const op of MUTATING_OPS) {
    ops[op] = valueOp(log, op, (path: string) => {
      throw new FsError('EROFS', `${op} ${path}: the mount is read-only`);
    });
  }
  return ops;
}
