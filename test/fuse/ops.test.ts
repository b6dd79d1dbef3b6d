/**
 * Pure pieces of the fuse layer: path parsing, the typed-error -> errno table, and the op
 * guard's promise that every op calls back exactly once and nothing escapes.
 */
import t from 'tap';
import { CAddr } from '../../src/core/caddr.js';
import {
  AbortedError,
  BadParamError,
  CorruptChunkError,
  DeadlineExceededError,
  FunctionFailedError,
  IntegrityError,
  InvalidAddressError,
  NonDeterministicError,
  NotFoundError,
  StoreError,
  UnavailableError,
} from '../../src/core/errors.js';
import type { Engine } from '../../src/engine/engine.js';
import { Errno, FsError, toErrno } from '../../src/fuse/errno.js';
import { FuseUnavailableError, mountEngine } from '../../src/fuse/index.js';
import { countOp, valueOp, valuesOp, type FuseCallback } from '../../src/fuse/op-guard.js';
import { parsePath } from '../../src/fuse/paths.js';
import { drainTurn, waitFor } from '../helpers/wait.js';
import { recordingLogger } from './fixtures/mount.js';

const hex = 'ab' + '0123456789abcdef'.repeat(3) + '0123456789abcd';

// First in this file: fuse-native is loaded once per process, and only after the check passes.
t.test('without fusermount, mounting fails with a clear error', async (t) => {
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent';
  t.teardown(() => void (process.env.PATH = path));
  const err = await mountEngine(undefined as unknown as Engine, '/nonexistent/mnt').catch((e: unknown) => e);
  t.type(err, FuseUnavailableError);
  t.match((err as Error).message, 'FUSE is not available: install libfuse2 and fuse (apt-get install libfuse2 fuse)');
  t.match((err as Error).message, 'fusermount');
});

t.test('parsePath accepts exactly the mount layout', async (t) => {
  t.same(parsePath('/'), { kind: 'root' });
  t.same(parsePath('/ab'), { kind: 'shard', shard: 'ab' });
  const value = parsePath(`/ab/${hex}`);
  t.equal(value?.kind, 'value');
  t.ok(value?.kind === 'value' && value.addr.equals(CAddr.fromHex(hex)));
  for (const bad of ['', '/AB', '/a', '/abc', '/zz', '/ab/', `/cd/${hex}`, `/ab/${hex.toUpperCase()}`, `/AB/${hex}`,
    `/ab/${hex}0`, `/ab/${hex.slice(1)}`, `/ab/${hex}/x`, `//ab`, `/ab//${hex}`]) {
    t.equal(parsePath(bad), undefined, `rejects '${bad.length > 20 ? `${bad.slice(0, 20)}...` : bad}'`);
  }
});

t.test('typed errors map to errno', async (t) => {
  t.equal(toErrno(new NotFoundError('x')), Errno.ENOENT);
  t.equal(toErrno(new InvalidAddressError('x')), Errno.ENOENT);
  t.equal(toErrno(new FunctionFailedError('x')), Errno.EIO);
  t.equal(toErrno(new StoreError('x')), Errno.EIO);
  t.equal(toErrno(new IntegrityError('x')), Errno.EIO);
  t.equal(toErrno(new CorruptChunkError('ab'.repeat(32))), Errno.EIO);
  t.equal(toErrno(new NonDeterministicError('x')), Errno.EIO);
  t.equal(toErrno(new BadParamError('p', 'x')), Errno.EINVAL);
  t.equal(toErrno(new AbortedError('x')), Errno.ECANCELED);
  t.equal(toErrno(new UnavailableError('x')), Errno.EAGAIN);
  t.equal(toErrno(new DeadlineExceededError('x')), Errno.ETIMEDOUT);
  t.equal(toErrno(new FsError('EROFS', 'x')), Errno.EROFS);
  t.equal(toErrno(new Error('anything else')), Errno.EIO);
  t.equal(toErrno('not even an error'), Errno.EIO);
  t.equal(Errno.ENODATA, -61, 'ENODATA is Linux 61');
  t.equal(Errno.ECANCELED, -125, 'ECANCELED is Linux 125');
  t.equal(Errno.ETIMEDOUT, -110, 'ETIMEDOUT is Linux 110');
});

/**
 * Calls `handler` like fuse-native would and collects every callback it makes: waits for the
 * first, then for one turn of the event loop, by which every promise reaction the guard chained
 * after the handler's (already settled) result has run, so a second callback would be seen.
 */
async function call(handler: (...args: never[]) => void, ...args: unknown[]): Promise<unknown[][]> {
  const calls: unknown[][] = [];
  const cb: FuseCallback = (...reply) => void calls.push(reply);
  (handler as (...a: unknown[]) => void)(...args, cb);
  await waitFor(() => calls.length > 0, { what: 'the op to call back', intervalMs: 0 });
  await drainTurn();
  return calls;
}

t.test('ops call back exactly once, whatever the handler does', async (t) => {
  const log = recordingLogger();
  t.same(await call(valueOp(log, 'getattr', () => ({ size: 1 })), '/'), [[0, { size: 1 }]], 'sync value');
  t.same(await call(valueOp(log, 'release', async () => undefined), '/'), [[0]], 'no value');
  t.same(await call(valuesOp(log, 'readdir', async () => [['a'], [{}]]), '/'), [[0, ['a'], [{}]]], 'several values');
  t.same(await call(countOp(log, 'read', async () => 5), '/x'), [[5]], 'a count');
  t.same(await call(valueOp(log, 'getattr', () => {
    throw new NotFoundError('gone');
  }), '/a'), [[Errno.ENOENT]], 'a synchronous throw');
  t.same(await call(countOp(log, 'read', async () => {
    throw new FunctionFailedError('boom');
  }), '/b'), [[Errno.EIO]], 'a rejection');
  t.same(await call(valueOp(log, 'getattr', () => {
    throw new TypeError('a bug');
  }), '/c'), [[Errno.EIO]], 'an unexpected error is EIO');

  const levels = Object.fromEntries(log.entries.map((e) => [(e.obj as { path: string }).path, e.level]));
  t.same(levels, { '/a': 'debug', '/b': 'error', '/c': 'error' }, 'a miss is routine, an I/O error is not');
});
