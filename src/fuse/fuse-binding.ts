/**
 * The one module that touches fuse-native (CommonJS, loaded through createRequire). It checks
 * that FUSE is usable, creates the session object, and corrects fuse-native 2.2.6 where its
 * Linux behaviour is wrong for us:
 *
 * - getxattr/listxattr: the op handler never sees the caller's buffer size (on Linux the
 *   `position` argument is always 0, not a size). fuse-native answers a size probe (size 0)
 *   with the value's length, which is right, but when the buffer is too small it copies a
 *   truncated value and still reports the full length; the kernel then gets more bytes than it
 *   asked for. We answer ERANGE, as getxattr(2) specifies, and listxattr's probe with the exact
 *   length instead of length + 128.
 * - unmount: fuse-native always unmounts lazily (`fusermount -uz`) and then releases its native
 *   handle. We do the unmount ourselves (see unmount.ts) and only release the handle here.
 */
import { access, constants } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { Errno } from './errno.js';
import type { FuseCallback, FuseHandler } from './op-guard.js';

/** What callers see of a fuse-native session. */
export interface FuseSession {
  readonly mnt: string;
  mount(cb: (err: Error | null) => void): void;
}

type Signal = (code: number, ...values: unknown[]) => void;

interface FuseInstance extends FuseSession {
  readonly ops: Record<string, (...args: unknown[]) => void>;
  readonly _thread: Buffer | null;
  _op_getxattr(signal: Signal, path: string, name: string, valueBuf: Buffer, position: number): void;
  _op_listxattr(signal: Signal, path: string, listBuf: Buffer): void;
}

type FuseConstructor = new (mnt: string, ops: Record<string, FuseHandler>, opts: object) => FuseInstance;

interface NativeBinding {
  fuse_native_unmount(mnt: string, thread: Buffer): void;
}

interface Loaded {
  readonly Fuse: FuseConstructor;
  readonly binding: NativeBinding;
}

export const FUSE_UNAVAILABLE = 'FUSE is not available: install libfuse2 and fuse (apt-get install libfuse2 fuse)';

/** FUSE cannot be used on this machine; `message` says what to install. */
export class FuseUnavailableError extends Error {
  readonly code = 'FUSE_UNAVAILABLE';

  override get name(): string {
    return this.constructor.name;
  }
}

let loaded: Loaded | undefined;

/** Loads fuse-native once, after checking /dev/fuse and fusermount; a clear error otherwise. */
export async function loadFuse(): Promise<Loaded> {
  if (loaded) return loaded;
  const missing = await missingPieces();
  if (missing.length > 0) throw new FuseUnavailableError(`${FUSE_UNAVAILABLE}; missing: ${missing.join(', ')}`);
  try {
    const require = createRequire(import.meta.url);
    const main = require.resolve('fuse-native');
    const Fuse = require(main) as FuseConstructor;
    const nodeGypBuild = createRequire(main)('node-gyp-build') as (dir: string) => NativeBinding;
    loaded = { Fuse, binding: nodeGypBuild(dirname(main)) };
    return loaded;
  } catch (err) {
    throw new FuseUnavailableError(`${FUSE_UNAVAILABLE}; fuse-native failed to load: ${(err as Error).message}`, { cause: err });
  }
}

async function missingPieces(): Promise<string[]> {
  const missing: string[] = [];
  if (!(await isAccessible('/dev/fuse', constants.R_OK | constants.W_OK))) missing.push('/dev/fuse');
  const path = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const found = await Promise.all(path.map((d) => isAccessible(join(d, 'fusermount'), constants.X_OK)));
  if (!found.includes(true)) missing.push('fusermount on PATH');
  return missing;
}

async function isAccessible(path: string, mode: number): Promise<boolean> {
  return access(path, mode).then(
    () => true,
    () => false,
  );
}

/** A session at `mnt` serving `ops`, with the corrections described in the module header. */
export function createSession(fuse: Loaded, mnt: string, ops: Record<string, FuseHandler>, opts: object): FuseSession {
  const session = new fuse.Fuse(mnt, ops, opts);
  session._op_getxattr = function (signal, path, name, valueBuf, position) {
    this.ops.getxattr!(path, name, position, ((code: number, value?: Buffer | null) => {
      if (code) return signal(code, valueBuf.buffer);
      if (!value) return signal(Errno.ENODATA, valueBuf.buffer);
      if (valueBuf.length === 0) return signal(value.length, valueBuf.buffer);
      if (value.length > valueBuf.length) return signal(Errno.ERANGE, valueBuf.buffer);
      value.copy(valueBuf);
      return signal(value.length, valueBuf.buffer);
    }) as FuseCallback);
  };
  session._op_listxattr = function (signal, path, listBuf) {
    this.ops.listxattr!(path, ((code: number, names?: string[]) => {
      if (code || !names) return signal(code || Errno.EIO, listBuf.buffer);
      const list = Buffer.from(names.map((n) => `${n}\0`).join(''), 'utf8');
      if (listBuf.length === 0) return signal(list.length, listBuf.buffer);
      if (list.length > listBuf.length) return signal(Errno.ERANGE, listBuf.buffer);
      list.copy(listBuf);
      return signal(list.length, listBuf.buffer);
    }) as FuseCallback);
  };
  return session;
}

/** Releases fuse-native's native handle (so the event loop can exit) once the mount is gone. */
export function releaseSession(fuse: Loaded, session: FuseSession): void {
  const thread = (session as FuseInstance)._thread;
  if (thread) fuse.binding.fuse_native_unmount(session.mnt, thread);
}
