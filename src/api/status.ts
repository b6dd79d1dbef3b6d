/**
 * Deriva error codes to gRPC status, for the server side. Typed errors keep their message and
 * travel with their code in a `deriva-error-code` trailer, so a client can act on the exact
 * cause; a {@link CallStatusError} is about the call, not Deriva, and keeps its status; anything
 * untyped is a bug or an environment fault, sent as INTERNAL with a generic
 * prefix and logged, since the client cannot fix it.
 */
import { Metadata, status as GrpcStatus, type StatusObject } from '@grpc/grpc-js';
import { DerivaError, type ErrorCode } from '../core/errors.js';

/** Trailer (or trailers-only header) carrying Deriva's own error code. */
export const ERROR_CODE_KEY = 'deriva-error-code';

const STATUS_OF: Readonly<Record<ErrorCode, GrpcStatus>> = {
  INVALID_ADDRESS: GrpcStatus.INVALID_ARGUMENT,
  AMBIGUOUS_PREFIX: GrpcStatus.INVALID_ARGUMENT,
  DECODE: GrpcStatus.INVALID_ARGUMENT,
  UNKNOWN_FUNCTION: GrpcStatus.INVALID_ARGUMENT,
  BAD_PARAM: GrpcStatus.INVALID_ARGUMENT,
  INPUT_COUNT: GrpcStatus.INVALID_ARGUMENT,
  INVALID_REF: GrpcStatus.INVALID_ARGUMENT,
  NOT_FOUND: GrpcStatus.NOT_FOUND,
  FUNCTION_FAILED: GrpcStatus.FAILED_PRECONDITION,
  STORE: GrpcStatus.INTERNAL,
  // Stored bytes are lost or damaged: the data is unrecoverable here (a leaf), not a daemon bug.
  INTEGRITY: GrpcStatus.DATA_LOSS,
  NON_DETERMINISTIC: GrpcStatus.FAILED_PRECONDITION,
  FLOAT_DISABLED: GrpcStatus.FAILED_PRECONDITION,
  ABORTED: GrpcStatus.ABORTED,
  UNAVAILABLE: GrpcStatus.UNAVAILABLE,
  DEADLINE_EXCEEDED: GrpcStatus.DEADLINE_EXCEEDED,
  CONFIG: GrpcStatus.FAILED_PRECONDITION,
};

/** A failure of the call itself rather than of Deriva (e.g. an incomplete upload): sent as is. */
export class CallStatusError extends Error {
  constructor(
    readonly grpcCode: GrpcStatus,
    message: string,
  ) {
    super(message);
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** The gRPC status a Deriva error code is reported with. */
export function grpcStatusOf(code: ErrorCode): GrpcStatus {
  return STATUS_OF[code];
}

/** The name of a gRPC status code, e.g. 14 -> 'UNAVAILABLE' ('UNKNOWN' if not a code). */
export function grpcStatusName(code: number): string {
  return GrpcStatus[code] ?? 'UNKNOWN';
}

/** A status the server should log when sending: faults of the daemon, not of the request. */
export function isServerFault(s: StatusObject): boolean {
  return s.code === GrpcStatus.INTERNAL || s.code === GrpcStatus.DATA_LOSS;
}

/**
 * The status to end a call with for `err`. A {@link DerivaError} keeps its message and puts
 * its code in the trailer; any other error becomes INTERNAL "internal error: <message>".
 */
export function toStatus(err: unknown): StatusObject {
  const metadata = new Metadata();
  if (err instanceof DerivaError) {
    metadata.set(ERROR_CODE_KEY, err.code);
    return { code: grpcStatusOf(err.code), details: err.message, metadata };
  }
  if (err instanceof CallStatusError) return { code: err.grpcCode, details: err.message, metadata };
  const message = err instanceof Error ? err.message : String(err);
  return { code: GrpcStatus.INTERNAL, details: `internal error: ${message}`, metadata };
}
