/**
 * Client-side streaming helpers: cutting a leaf into messages below the size limit, writing
 * them with backpressure, and stopping as soon as the call ends on the server's side.
 */
import { once } from 'node:events';
import type { ClientWritableStream } from '@grpc/grpc-js';
import type * as pb from './gen/deriva.js';

/** `source` as pieces of at most `max` bytes, without copying. */
export async function* messagePieces(source: Uint8Array | AsyncIterable<Uint8Array>, max: number): AsyncGenerator<Buffer> {
  const pieces: Iterable<Uint8Array> | AsyncIterable<Uint8Array> = source instanceof Uint8Array ? [source] : source;
  for await (const piece of pieces) {
    for (let at = 0; at < piece.length; at += max) {
      const part = piece.subarray(at, at + max);
      yield Buffer.from(part.buffer, part.byteOffset, part.byteLength);
    }
  }
}

/**
 * Writes every piece to `call`, waiting for 'drain' whenever the stream asks to, then the
 * finishing message, then half-closes. Stops reading `pieces` as soon as `ended` settles (the
 * call failed, e.g. the daemon went away), and rejects with that failure.
 */
export async function writePieces(
  call: ClientWritableStream<pb.PutLeafRequest>,
  pieces: AsyncIterable<Buffer>,
  ended: Promise<unknown>,
  onProgress?: (bytesSent: number) => void,
  noPin = false,
): Promise<void> {
  let over = false;
  ended.then(
    () => (over = true),
    () => (over = true),
  );
  let sent = 0;
  for await (const data of pieces) {
    if (over) break;
    if (!call.write({ data, finish: false, noPin: sent === 0 && noPin })) {
      const stop = new AbortController();
      await Promise.race([once(call, 'drain', { signal: stop.signal }), ended]).finally(() => stop.abort());
    }
    sent += data.length;
    onProgress?.(sent);
  }
  if (over) {
    await ended;
    throw new Error('the daemon answered PutLeaf before the upload was complete');
  }
  call.write({ data: Buffer.alloc(0), finish: true, noPin: sent === 0 && noPin }); // the upload is complete
  call.end();
}
