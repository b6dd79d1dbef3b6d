/**
 * PutLeaf: the client's stream of pieces goes straight into engine.put as an async iterable,
 * so a leaf of any size passes through bounded memory (grpc-js reads ahead at most a few
 * messages). engine.put makes the leaf visible only after its source ends; the source here
 * throws instead of ending unless the last message had `finish` set (see the proto: a
 * cancelled grpc-js upload can look like a clean end of stream), so an interrupted upload
 * stores nothing.
 */
import { status as GrpcStatus, type handleClientStreamingCall, type ServerReadableStream } from '@grpc/grpc-js';
import type { Engine } from '../engine/engine.js';
import { attempt, failure } from './call-errors.js';
import type * as pb from './gen/deriva.js';
import { startCall } from './call-timer.js';
import type { CallReporting } from './server-info.js';
import { CallStatusError } from './status.js';

type PutCall = ServerReadableStream<pb.PutLeafRequest, pb.PutLeafResponse>;

/** What the stream said so far: bytes received, and the first message's `no_pin`. */
interface Upload {
  size: number;
  noPin?: boolean;
}

/** The request stream's bytes; throws unless the upload ended complete. */
async function* pieces(call: PutCall, counted: Upload): AsyncGenerator<Uint8Array> {
  let finished = false;
  for await (const req of call as AsyncIterable<pb.PutLeafRequest>) {
    counted.noPin ??= req.noPin;
    if (finished) {
      throw new CallStatusError(GrpcStatus.INVALID_ARGUMENT, 'PutLeaf sent data after its finishing message; nothing was stored');
    }
    finished = req.finish;
    counted.size += req.data.length;
    yield req.data;
  }
  if (call.cancelled || !finished) {
    throw new CallStatusError(GrpcStatus.CANCELLED, 'PutLeaf ended without a message with finish set (cancelled by the client?); nothing was stored');
  }
}

export function putLeafHandler(engine: Engine, { logger: log, observer }: CallReporting): handleClientStreamingCall<pb.PutLeafRequest, pb.PutLeafResponse> {
  return (call, callback) => {
    const done = startCall(observer, 'PutLeaf');
    const counted: Upload = { size: 0 };
    // A getter: the engine reads it once the stream has ended, when the first message is known.
    const options = { get pin() { return !counted.noPin; } };
    attempt(() => engine.put(pieces(call, counted), options))
      .then(
        (addr) => {
          done(GrpcStatus.OK);
          callback(null, { addr: addr.hex, size: BigInt(counted.size) });
        },
        (err: unknown) => {
          // A cancelled call has already ended; there is no one to answer.
          if (call.cancelled) return done(GrpcStatus.CANCELLED);
          const status = failure('PutLeaf', err, log);
          done(status.code);
          callback(status);
        },
      )
      .catch((err: unknown) => log?.error({ err, rpc: 'PutLeaf' }, 'PutLeaf: responding failed'));
  };
}
