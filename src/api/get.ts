/**
 * Get: a value streamed to the client in pieces of at most one chunk, with backpressure. The
 * engine's stream yields chunk by chunk from LMDB, and the handler pulls the next chunk only
 * while less than a small window of bytes is queued on the call, so a slow reader holds the
 * server to about that window instead of the whole value. A cancelled call stops the loop.
 */
import { status as GrpcStatus, type handleServerStreamingCall, type ServerWritableStream } from '@grpc/grpc-js';
import type { ApiObserver } from '../metrics/observer.js';
import type { Engine } from '../engine/engine.js';
import { attempt, failure } from './call-errors.js';
import type * as pb from './gen/deriva.js';
import { GET_PIECE_BYTES } from './limits.js';
import { startCall } from './call-timer.js';
import type { CallReporting } from './server-info.js';

type GetCall = ServerWritableStream<pb.GetRequest, pb.GetResponse>;

/** Bytes a Get may have queued on its call (written, not yet handed to HTTP/2) before it waits. */
export const GET_WINDOW_BYTES = 4 * 1024 * 1024;

/** Writes to a call, waiting while too much is queued or the stream asks for 'drain'. */
class Outbox {
  private queued = 0;
  private waiter: (() => void) | undefined;

  constructor(
    private readonly call: GetCall,
    private readonly window: number,
  ) {
    const wake = (): void => this.wake();
    call.on('drain', wake);
    call.on('cancelled', wake);
    call.on('close', wake);
  }

  async send(data: Buffer): Promise<void> {
    const n = data.length;
    this.queued += n;
    const ok = this.call.write({ data }, () => {
      this.queued -= n;
      this.wake();
    });
    while (this.open() && (this.queued > this.window || (!ok && this.call.writableNeedDrain))) {
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  open(): boolean {
    return !this.call.cancelled && !this.call.destroyed;
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}

async function streamValue(engine: Engine, call: GetCall, observer: ApiObserver | undefined): Promise<void> {
  const { addr: text, offset, length, verify } = call.request;
  const addr = engine.resolveAddress(text);
  const outbox = new Outbox(call, GET_WINDOW_BYTES);
  const from = offset === undefined ? 0 : Number(offset);
  const count = length === undefined ? Number.MAX_SAFE_INTEGER : Number(length);
  for await (const chunk of engine.stream(addr, from, count, { verify })) {
    for (let at = 0; at < chunk.length; at += GET_PIECE_BYTES) {
      if (!outbox.open()) return;
      const piece = chunk.subarray(at, at + GET_PIECE_BYTES);
      await outbox.send(piece);
      observer?.onBytesServed('grpc', piece.length);
    }
  }
}

export function getHandler(engine: Engine, { logger: log, observer }: CallReporting): handleServerStreamingCall<pb.GetRequest, pb.GetResponse> {
  return (call) => {
    const done = startCall(observer, 'Get');
    attempt(() => streamValue(engine, call, observer))
      .then(
        () => {
          done(call.cancelled ? GrpcStatus.CANCELLED : GrpcStatus.OK);
          if (!call.cancelled) call.end();
        },
        (err: unknown) => {
          if (call.cancelled) return done(GrpcStatus.CANCELLED);
          const status = failure('Get', err, log);
          done(status.code);
          call.emit('error', status);
        },
      )
      .catch((err: unknown) => log?.error({ err, rpc: 'Get' }, 'Get: ending the call failed'));
  };
}
