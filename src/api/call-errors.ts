/**
 * Ending calls with errors, the same way for every handler: map through status.ts, log what is
 * the daemon's fault (INTERNAL) rather than the caller's, and make sure nothing a handler does
 * can throw out into grpc-js or leave a rejected promise unhandled.
 */
import type { StatusObject, handleUnaryCall } from '@grpc/grpc-js';
import type { ApiLogger } from './server-info.js';
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

/** A grpc-js unary handler around an async function of the request. */
export function unary<Req, Res>(
  rpc: string,
  log: ApiLogger | undefined,
  fn: (request: Req) => Res | Promise<Res>,
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    attempt(() => fn(call.request))
      .then(
        (response) => callback(null, response),
        (err: unknown) => callback(failure(rpc, err, log)),
      )
      .catch((err: unknown) => log?.error({ err, rpc }, `${rpc}: responding failed`));
  };
}
