/**
 * The worker side of a streaming run. The main thread feeds input pieces in order over a
 * MessagePort, and this side pushes them through the function's transformer and sends the
 * output back as it comes, marking where each store-sized chunk ends with the chunk's BLAKE3
 * (the whole value is hashed incrementally too). The main thread stores the chunks and serves
 * readers, from the bytes of an unfinished chunk too; it feeds more input only while readers
 * want more output, which is how a slow reader pauses the computation.
 *
 * Protocol: for each 'input' message, 'data' and 'chunk' messages for the output it produced,
 * then one 'consumed' (its `done` set once the function needs no more input). 'end' flushes the
 * transformer, sends the rest, then 'final' with the value's address and size, and settles.
 * 'abort' settles it at once. A function that throws, or outgrows its declared bound, rejects
 * the task (and closes the port).
 */
import type { MessagePort } from 'node:worker_threads';
import { Hasher, hash } from '../native/index.js';
import type { StreamingFunction, Transformer } from './function.js';
import type { StreamInput, StreamOutput, StreamTask } from './task.js';

/** Cuts output into `chunkSize` pieces, hashing each and the whole, and posts it. */
class ChunkCutter {
  private readonly chunk: Uint8Array;
  private filled = 0;
  /** Bytes of the current chunk already posted. */
  private sent = 0;
  private readonly whole = new Hasher();
  size = 0;

  constructor(
    private readonly chunkSize: number,
    private readonly maxSize: number,
    private readonly port: MessagePort,
  ) {
    this.chunk = new Uint8Array(chunkSize);
  }

  add(piece: Uint8Array): void {
    this.size += piece.length;
    if (this.size > this.maxSize) throw new Error(`output exceeds the function's declared bound of ${this.maxSize} bytes`);
    this.whole.update(piece);
    for (let at = 0; at < piece.length; ) {
      const n = Math.min(piece.length - at, this.chunkSize - this.filled);
      this.chunk.set(piece.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === this.chunkSize) this.endChunk();
    }
  }

  /** Posts the bytes of the current chunk not posted yet. */
  flush(): void {
    if (this.sent === this.filled) return;
    const bytes = this.chunk.slice(this.sent, this.filled); // an owned copy, moved not cloned
    const message: StreamOutput = { type: 'data', bytes };
    this.port.postMessage(message, [bytes.buffer]);
    this.sent = this.filled;
  }

  /** Ends the last, short chunk; returns the whole value's address. */
  finish(): string {
    if (this.filled > 0) this.endChunk();
    return Buffer.from(this.whole.finalize()).toString('hex');
  }

  private endChunk(): void {
    this.flush();
    const message: StreamOutput = { type: 'chunk', addr: hash(this.chunk.subarray(0, this.filled)) };
    this.port.postMessage(message);
    this.filled = 0;
    this.sent = 0;
  }
}

/** Runs one streaming function over input fed through `task.port` (see the protocol above). */
export function runStream(fn: StreamingFunction, task: StreamTask): Promise<void> {
  const { port } = task;
  const out = new ChunkCutter(task.chunkSize, task.maxSize, port);
  let transformer: Transformer | undefined;
  let cpuMs = 0;
  return new Promise<void>((resolve, reject) => {
    const settle = (err?: unknown): void => {
      port.close();
      if (err === undefined) resolve();
      else reject(err instanceof Error ? err : new Error(String(err)));
    };
    port.on('message', (message: StreamInput) => {
      const started = performance.now();
      try {
        if (message.type === 'abort') return settle();
        transformer ??= fn.start(task.params);
        const last = message.type === 'end';
        for (const piece of last ? transformer.finish() : transformer.push(message.bytes)) out.add(piece);
        out.flush();
        cpuMs += performance.now() - started;
        const reply: StreamOutput = last
          ? { type: 'final', content: out.finish(), size: out.size, cpuMs }
          : { type: 'consumed', done: transformer.done === true };
        port.postMessage(reply);
        if (last) settle();
      } catch (err) {
        settle(err);
      }
    });
  });
}
