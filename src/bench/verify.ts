/**
 * What checking chunks on read costs, in-process on a real store: a 128 MiB leaf read start
 * to end in 128 KiB pieces (what the mount asks for) through the read path the mount and gRPC
 * use (chunks checked on the libuv pool, the next one loading meanwhile), once with
 * verification off and once on, interleaved round after round. The value is four times the
 * read cache, so every chunk enters memory from LMDB on each pass and is hashed there (the
 * worst case; a cached chunk is never hashed again). Alongside: one 1 MiB BLAKE3 against one
 * 1 MiB copy out of LMDB, the two steps a verified chunk miss adds up to.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hash } from '../native/index.js';
import { Store } from '../store/store.js';
import { readIntoLoaded } from '../store/value-reader.js';
import { ValueWriter } from '../store/value-writer.js';
import { writeRandomFile } from './daemon-process.js';
import { atMost, medianMs, type BenchResult } from './result.js';

const MiB = 1024 * 1024;
const SIZE = 128 * MiB;
const PIECE = 128 * 1024;
const ROUNDS = 5;

export async function benchVerify(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'deriva-bench-verify-'));
  const store = Store.open(dir);
  try {
    const manifest = await storeRandom(store, dir);
    const target = Buffer.allocUnsafe(PIECE);
    const pass = async (): Promise<void> => {
      for (let at = 0; at < SIZE; at += PIECE) await readIntoLoaded(store, manifest, at, target);
    };
    let off = Infinity;
    let on = Infinity;
    for (let round = 0; round < ROUNDS; round++) {
      store.verifyReads = false;
      off = Math.min(off, await medianMs(1, pass));
      store.verifyReads = true;
      on = Math.min(on, await medianMs(1, pass));
    }
    const chunk = store.getChunk(manifest.chunks[0]!);
    const hashMs = await medianMs(200, () => hash(chunk));
    const copyMs = await medianMs(200, () => store.rawChunk(manifest.chunks[1]!));
    const mbps = (ms: number): string => `${(SIZE / 1e6 / (ms / 1e3)).toFixed(0)} MB/s`;
    return [
      atMost('verified reads vs unverified (every chunk a cache miss)', on / off, 1.5,
        `verify on ${mbps(on)}, off ${mbps(off)} (128 MiB in 128 KiB reads, best of ${ROUNDS}; target is ours)`),
      atMost('one 1 MiB BLAKE3 vs one 1 MiB chunk copy from LMDB', hashMs / copyMs, 10,
        `hash ${(hashMs * 1000).toFixed(0)} us, copy ${(copyMs * 1000).toFixed(0)} us (median of 200; target is ours)`),
    ];
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function storeRandom(store: Store, dir: string): Promise<{ size: number; chunks: readonly Buffer[] }> {
  const file = join(dir, 'random.bin');
  await writeRandomFile(file, SIZE);
  const writer = new ValueWriter(store, 'leaf');
  for await (const piece of createReadStream(file, { highWaterMark: MiB })) await writer.write(piece as Buffer);
  const { addr, manifest } = await writer.finish();
  await store.putValue(addr, manifest, 'leaf', 'held');
  return manifest;
}
