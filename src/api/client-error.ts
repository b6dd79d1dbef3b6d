/**
 * The one error a {@link DerivaClient} call rejects with. It carries Deriva's own code when the
 * daemon sent one (the `deriva-error-code` trailer), otherwise the gRPC status name, so callers
 * (the CLI) can match on `code` without knowing gRPC; a daemon that cannot be reached becomes
 * DAEMON_UNAVAILABLE with a message saying how to start one.
 */
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { ERROR_CODE_KEY, grpcStatusName } from './status.js';

/** Code of an error meaning no daemon answered at the target. */
export const DAEMON_UNAVAILABLE = 'DAEMON_UNAVAILABLE';

export class ApiError extends Error {
  constructor(
    /** Deriva's error code (e.g. 'NOT_FOUND', 'BAD_PARAM'), or a gRPC status name. */
    readonly code: string,
    /** The gRPC status the call ended with. */
    readonly grpcCode: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** The error for "nothing is listening at `target`". */
export function daemonUnavailable(target: string, cause?: unknown): ApiError {
  const message = `no Deriva daemon at ${target}; start one with \`deriva daemon\` (or \`make run\`)`;
  return new ApiError(DAEMON_UNAVAILABLE, GrpcStatus.UNAVAILABLE, message, { cause });
}

function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && typeof (err as Partial<ServiceError>).code === 'number' && 'details' in err;
}

/** Rebuilds a call failure as an {@link ApiError}; anything else (a bug, an abort) passes through. */
export function toApiError(err: unknown, target: string): unknown {
  if (err instanceof ApiError || !isServiceError(err)) return err;
  const derivaCode = err.metadata?.get(ERROR_CODE_KEY)[0];
  if (typeof derivaCode === 'string' && derivaCode !== '') {
    return new ApiError(derivaCode, err.code, err.details, { cause: err });
  }
  if (err.code === GrpcStatus.UNAVAILABLE) return daemonUnavailable(target, err);
  return new ApiError(grpcStatusName(err.code), err.code, err.details, { cause: err });
}
