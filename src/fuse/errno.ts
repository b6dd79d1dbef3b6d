/**
 * Errno values as fuse-native wants them (negative Linux numbers), and the one mapping from
 * Deriva's typed errors to errno. Ops never invent their own mapping: they throw a typed error
 * (or an {@link FsError} for conditions that only exist at the filesystem surface) and the op
 * wrapper turns it into a callback code here.
 */
import { DerivaError, type ErrorCode } from '../core/errors.js';

/** Negative Linux errno values, the form fuse-native callbacks take. */
export const Errno = {
  EPERM: -1,
  ENOENT: -2,
  EIO: -5,
  /** "Resource temporarily unavailable": try again later. */
  EAGAIN: -11,
  ENOTDIR: -20,
  EISDIR: -21,
  EINVAL: -22,
  EROFS: -30,
  ERANGE: -34,
  /** "No data available": the Linux answer for an extended attribute that is not there. */
  ENODATA: -61,
  ETIMEDOUT: -110,
  ECANCELED: -125,
} as const;

export type ErrnoName = keyof typeof Errno;

/** A failure that exists only at the filesystem surface (read-only, not a directory, ...). */
export class FsError extends Error {
  constructor(
    readonly errno: ErrnoName,
    message: string,
  ) {
    super(message);
  }

  override get name(): string {
    return this.constructor.name;
  }
}

const byCode: Record<ErrorCode, ErrnoName> = {
  NOT_FOUND: 'ENOENT',
  INVALID_ADDRESS: 'ENOENT',
  AMBIGUOUS_PREFIX: 'ENOENT',
  FUNCTION_FAILED: 'EIO',
  STORE: 'EIO',
  INTEGRITY: 'EIO',
  NON_DETERMINISTIC: 'EIO',
  DECODE: 'EIO',
  BAD_PARAM: 'EINVAL',
  INPUT_COUNT: 'EINVAL',
  INVALID_REF: 'EINVAL',
  UNKNOWN_FUNCTION: 'EINVAL',
  /** The daemon's float policy forbids computing it: not an I/O fault, a refusal. */
  FLOAT_DISABLED: 'EPERM',
  ABORTED: 'ECANCELED',
  UNAVAILABLE: 'EAGAIN',
  DEADLINE_EXCEEDED: 'ETIMEDOUT',
  CONFIG: 'EINVAL',
};

/** The errno name for any thrown value: typed errors by code, anything else is EIO. */
export function errnoName(err: unknown): ErrnoName {
  if (err instanceof FsError) return err.errno;
  if (err instanceof DerivaError) return byCode[err.code];
  return 'EIO';
}

/** The negative errno a fuse-native callback takes for `err`. */
export function toErrno(err: unknown): number {
  return Errno[errnoName(err)];
}
