/**
 * Ending calls with errors, the same way for every handler: map through status.ts, log what is
 * the daemon's fault (INTERNAL) rather than the caller's, and make sure nothing a handler does
 * can throw out into grpc-js or leave a rejected promise unhandled.
 */
import { status as GrpcStatus, type StatusObject, type handleUnaryCall } from '@grpc/grpc-js';
import { startCall } from './call-timer.js';
import type { ApiLogger, CallReporting } from './server-info.js';
import { isServerFault, toStatus } from './status.js';

/** The status for `err`, logged when it is a server fault. */
export function failure(rpc: string, err: unknown, log: ApiLogger | undefined): StatusObject {
  const status = toStatus(err);
  if (isServerFault(status)) log?.error({ err, rpc }, `${rpc} failed: ${status.details}`);
  return status;
}

/** Runs `fn`, turning a synchronous throw into a rejection. */
export async function attempt<T>(fn: () => T | Promise<T>): Promise<T> {
  return fn();
}

/** A grpc-js unary handler around an async function of the request, timed. */
export function unary<Req, Res>(
  rpc: string,
  { logger: log, observer }: CallReporting,
  fn: (request: Req) => Res | Promise<Res>,
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const done = startCall(observer, rpc);
    attempt(() => fn(call.request))
      .then(
        (response) => {
          done(GrpcStatus.OK);
          callback(null, response);
        },
        (err: unknown) => {
          const status = failure(rpc, err, log);
          done(status.code);
          callback(status);
        },
      )
      .catch((err: unknown) => log?.error({ err, rpc }, `${rpc}: responding failed`));
  };
}
