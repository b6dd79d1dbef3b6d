/**
 * gRPC Get throughput: DerivaClient.get of a stored 256 MiB leaf from the real daemon (a child
 * process, over its unix socket), every piece drained, against reading the same bytes from a
 * plain file in page cache with fs.createReadStream in this same process. The baseline is what
 * a local reader gets without Deriva; the ratio shows what the API's framing, HTTP/2 and the
 * store's chunk reads cost on top. Rounds alternate the two so machine drift hits both alike.
 */
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, writeRandomFile } from './daemon-process.js';
import { atLeast, type BenchResult } from './result.js';

const SIZE = 256 * 1024 * 1024;
const ROUNDS = 3;

export async function benchGrpc(): Promise<BenchResult[]> {
  const daemon = await startDaemon();
  try {
    const file = join(daemon.dir, 'plain.bin');
    await writeRandomFile(file, SIZE);
    const leaf = await daemon.putFile(file);
    await drain(createReadStream(file)); // the baseline reads from page cache
    let plain = Infinity;
    let get = Infinity;
    for (let round = 0; round < ROUNDS; round++) {
      plain = Math.min(plain, await timeDrain(createReadStream(file, { highWaterMark: 1 << 20 })));
      get = Math.min(get, await timeDrain(daemon.client.get(leaf)));
    }
    const mbps = (ms: number): string => `${(SIZE / 1e6 / (ms / 1e3)).toFixed(0)} MB/s`;
    const detail = `get ${mbps(get)}, createReadStream ${mbps(plain)} (256 MiB, best of ${ROUNDS}; target is ours, the issue sets none)`;
    return [atLeast('grpc Get vs createReadStream of cached file', plain / get, 0.1, detail)];
  } finally {
    await daemon.stop();
  }
}

/** Milliseconds to read every byte of `source`; throws unless it held exactly SIZE bytes. */
async function timeDrain(source: AsyncIterable<Buffer>): Promise<number> {
  const start = performance.now();
  const bytes = await drain(source);
  const ms = performance.now() - start;
  if (bytes !== SIZE) throw new Error(`read ${bytes} bytes, expected ${SIZE}`);
  return ms;
}

async function drain(source: AsyncIterable<Buffer>): Promise<number> {
  let bytes = 0;
  for await (const piece of source) bytes += piece.length;
  return bytes;
}
