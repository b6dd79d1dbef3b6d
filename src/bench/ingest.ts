/**
 * Ingest benchmark: putting a 512 MiB file (read, chunk, hash, store, flush) against copying
 * the same file on the same filesystem, both from a warm page cache. A put is acknowledged only
 * once durable, so the baseline the target applies to is the copy made durable too: `cp`, then
 * `sync` of the copy (an fsync of that one file). Plain `cp`, which returns with its data still
 * in the page cache, is reported for context: against it a put would be charged for a disk
 * flush the baseline never waits for.
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { Engine } from '../engine/engine.js';
import { atLeast, context, type BenchResult } from './result.js';

const run = promisify(execFile);
const SIZE = 512 * 1024 * 1024;
const ROUNDS = 3;

export async function benchIngest(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'deriva-bench-ingest-'));
  try {
    const file = join(dir, 'input.bin');
    const block = randomBytes(16 * 1024 * 1024);
    const blocks = Array.from({ length: SIZE / block.length }, (_, i) => Buffer.concat([Buffer.from([i]), block.subarray(1)]));
    await writeFile(file, Buffer.concat(blocks));
    let cpBest = Infinity;
    let cpSyncBest = Infinity;
    let putBest = Infinity;
    for (let round = 0; round < ROUNDS; round++) {
      const copy = join(dir, `copy-${round}.bin`);
      let start = performance.now();
      await run('cp', [file, copy]);
      cpBest = Math.min(cpBest, performance.now() - start);
      await rm(copy);
      // The same copy made durable, as a put is: cp, then fsync of the copy (`sync FILE`).
      start = performance.now();
      await run('cp', [file, copy]);
      await run('sync', [copy]);
      cpSyncBest = Math.min(cpSyncBest, performance.now() - start);
      await rm(copy);

      const engine = Engine.open({ storeDir: join(dir, `store-${round}`), threads: 1 });
      start = performance.now();
      await engine.put(createReadStream(file, { highWaterMark: 1024 * 1024 }));
      putBest = Math.min(putBest, performance.now() - start);
      await engine.close();
      await rm(join(dir, `store-${round}`), { recursive: true });
    }
    const mbps = (ms: number) => `${((SIZE / ms) * 1e3 / 1e6).toFixed(0)} MB/s`;
    return [
      atLeast('ingest 512 MiB vs cp + sync of the copy', cpSyncBest / putBest, 0.5,
        `put ${mbps(putBest)} (durable), cp + sync ${mbps(cpSyncBest)} (durable; best of ${ROUNDS})`),
      context('ingest 512 MiB vs cp (not durable)', cpBest / putBest,
        `put ${mbps(putBest)} (durable), cp ${mbps(cpBest)} (page cache only; best of ${ROUNDS})`),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
