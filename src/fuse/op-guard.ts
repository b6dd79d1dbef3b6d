/**
 * Adapts async op handlers to fuse-native's callback convention, with the guarantees every op
 * needs: the callback is called exactly once, nothing thrown (synchronously or not) escapes to
 * fuse-native, every failure becomes an errno through {@link toErrno} and is logged at a level
 * that matches what it means (a lookup miss is routine, a failed computation is not).
 */
import { errnoName, toErrno } from './errno.js';

/** The logger the fuse layer writes to; a pino logger fits. */
export interface FuseLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: FuseLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** fuse-native's op callback: a result code (0, a count, or a negative errno), then values. */
export type FuseCallback = (code: number, ...values: unknown[]) => void;

/** A handler as fuse-native calls it: the op's arguments, then the callback. */
export type FuseHandler = (...args: never[]) => void;

/** Errnos that are ordinary answers, not incidents. */
const ROUTINE = new Set(['ENOENT', 'ENODATA', 'EROFS', 'EISDIR', 'ENOTDIR', 'ERANGE']);

/** Replies `cb(0, value)` with the handler's result (or `cb(0)` when it returns nothing). */
export function valueOp<A extends unknown[]>(log: FuseLogger, op: string, run: (...args: A) => unknown): FuseHandler {
  return guard(log, op, run, (cb, value) => (value === undefined ? cb(0) : cb(0, value)));
}

/** Replies `cb(0, ...values)` with the handler's array of results: readdir's names and stats. */
export function valuesOp<A extends unknown[]>(log: FuseLogger, op: string, run: (...args: A) => unknown[] | Promise<unknown[]>): FuseHandler {
  return guard(log, op, run, (cb, values) => cb(0, ...(values as unknown[])));
}

/** Replies `cb(n)` with the handler's numeric result: the convention of read (bytes read). */
export function countOp<A extends unknown[]>(log: FuseLogger, op: string, run: (...args: A) => Promise<number> | number): FuseHandler {
  return guard(log, op, run, (cb, count) => cb(count as number));
}

function guard<A extends unknown[]>(
  log: FuseLogger,
  op: string,
  run: (...args: A) => unknown,
  reply: (cb: FuseCallback, result: unknown) => void,
): FuseHandler {
  const handler = (...all: unknown[]): void => {
    const cb = all[all.length - 1] as FuseCallback;
    const args = all.slice(0, -1) as A;
    let replied = false;
    const once: FuseCallback = (code, ...values) => {
      if (replied) return;
      replied = true;
      cb(code, ...values);
    };
    const fail = (err: unknown): void => {
      logFailure(log, op, args[0], err);
      once(toErrno(err));
    };
    let pending: Promise<unknown>;
    try {
      pending = Promise.resolve(run(...args));
    } catch (err) {
      pending = Promise.reject(err);
    }
    pending.then((result) => reply(once, result)).catch(fail);
  };
  return handler as FuseHandler;
}

function logFailure(log: FuseLogger, op: string, path: unknown, err: unknown): void {
  const errno = errnoName(err);
  const fields = { op, path, errno, err };
  const msg = `fuse ${op} ${String(path)}: ${errno}`;
  if (ROUTINE.has(errno)) log.debug(fields, msg);
  else if (errno === 'EIO') log.error(fields, msg);
  else log.warn(fields, msg);
}
