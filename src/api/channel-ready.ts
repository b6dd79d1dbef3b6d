/**
 * Waiting for a client channel to connect, failing fast. grpc-js calls without `waitForReady`
 * already fail at once when nothing listens, but a daemon that accepts the socket and never
 * answers would hang a call; a deadline on the first connection catches both cases with one
 * clear DAEMON_UNAVAILABLE error.
 */
import { connectivityState, status as GrpcStatus, type Client } from '@grpc/grpc-js';
import { ApiError, DAEMON_UNAVAILABLE, daemonUnavailable } from './client-error.js';

type Channel = ReturnType<Client['getChannel']>;

/** Resolves once `channel` is READY; rejects on a failed attempt or at `deadline` (ms epoch). */
export function waitForChannel(channel: Channel, target: string, deadline: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (): void => {
      const state = channel.getConnectivityState(true);
      if (state === connectivityState.READY) return resolve();
      if (state === connectivityState.TRANSIENT_FAILURE || state === connectivityState.SHUTDOWN) {
        return reject(daemonUnavailable(target));
      }
      channel.watchConnectivityState(state, deadline, (err) => (err ? reject(timedOut(target, err)) : step()));
    };
    step();
  });
}

function timedOut(target: string, cause: Error): ApiError {
  const message = `the Deriva daemon at ${target} did not accept a connection in time; is it stuck? (restart it with \`deriva daemon\`)`;
  return new ApiError(DAEMON_UNAVAILABLE, GrpcStatus.UNAVAILABLE, message, { cause });
}
