/**
 * Lazy materialization, in process on a real store and pool:
 * - latency of a 4 KiB read at a random offset of a never-read chunkwise output (upper@1 over
 *   a 1 GiB leaf) against computing one chunk of the same function in process: the overhead of
 *   reading the input chunk, the pool round trip and storing the result, as a ratio;
 * - bytes computed per byte requested over 1,000 random 4 KiB reads, which must stay at or
 *   below chunk size / 4 KiB (only touched chunks computed, each once);
 * - time to the first byte of a streaming output (gzip@1 over 1 GiB of text) against the time
 *   to compute all of it, in the same run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtins } from '../compute/builtins/index.js';
import { parseFunctionId } from '../core/function-id.js';
import { Engine } from '../engine/engine.js';
import { atMost, median, type BenchResult } from './result.js';

const SIZE = 1024 * 1024 * 1024;
const MiB = 1024 * 1024;
const LATENCY_READS = 200;
const RANDOM_READS = 1000;

export async function benchLazy(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'deriva-bench-lazy-'));
  const engine = Engine.open({ storeDir: join(dir, 'store') });
  try {
    const block = Buffer.alloc(MiB);
    for (let i = 0; i < MiB; i++) block[i] = (i * 2654435761) >>> 24;
    const leaf = await engine.put(pieces(block, SIZE));
    return [await readLatency(engine, leaf, block), await amplification(engine, leaf), await firstByte(engine)];
  } finally {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function* pieces(block: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i * block.length < size; i++) {
    block.writeUInt32BE(i, 0);
    yield block;
  }
}

async function readLatency(engine: Engine, leaf: Awaited<ReturnType<Engine['put']>>, block: Buffer): Promise<BenchResult> {
  const up = await engine.putRecipe(parseFunctionId('upper@1'), [leaf], new Map());
  const upper = builtins.find((f) => f.name === 'upper')!;
  if (upper.kind !== 'chunkwise') throw new Error('upper@1 is expected to be chunkwise');
  const reads: number[] = [];
  const computes: number[] = [];
  // Into memory used before, as the pool's workers map into reused buffers: fresh memory would
  // add page faults to the baseline (a third of its time) and flatter the ratio.
  const out = new Uint8Array(MiB);
  const chunks = shuffle(Array.from({ length: SIZE / MiB }, (_, i) => i)).slice(0, LATENCY_READS);
  for (const chunk of chunks) {
    await engine.settled(); // each read alone: the last one's chunk is stored (as the baseline runs alone)
    let start = performance.now();
    upper.map(block, chunk * MiB, new Map(), out); // the baseline: one chunk computed in process
    computes.push(performance.now() - start);
    start = performance.now();
    await engine.read(up, chunk * MiB + 12345, 4096); // a never-computed chunk each time
    reads.push(performance.now() - start);
  }
  const [r, c] = [median(reads), median(computes)];
  return atMost('4 KiB read of a never-computed chunk vs computing one chunk in process', r / c, 2,
    `read p50 ${r.toFixed(2)} ms, compute p50 ${c.toFixed(2)} ms (${LATENCY_READS} chunks, 1 MiB each)`);
}

async function amplification(engine: Engine, leaf: Awaited<ReturnType<Engine['put']>>): Promise<BenchResult> {
  const low = await engine.putRecipe(parseFunctionId('lower@1'), [leaf], new Map());
  const before = engine.status().bytesComputed;
  for (let i = 0; i < RANDOM_READS; i++) await engine.read(low, Math.floor(Math.random() * (SIZE - 4096)), 4096);
  const computed = engine.status().bytesComputed - before;
  const ratio = computed / (RANDOM_READS * 4096);
  return atMost('bytes computed / bytes requested, 1,000 random 4 KiB reads', ratio, MiB / 4096,
    `${(computed / MiB).toFixed(0)} MiB computed for ${(RANDOM_READS * 4096) / 1024} KiB requested (bound: chunk size / 4 KiB = 256)`);
}

/** 1 GiB of numbered text lines: compressible, never the same line twice. */
async function* textLines(size: number): AsyncGenerator<Buffer> {
  const line = (i: number) => `${String(i).padStart(10, '0')} the quick brown fox jumps over the lazy dog\n`;
  const perBlock = Math.floor(MiB / line(0).length);
  let written = 0;
  for (let i = 0; written < size; i += perBlock) {
    let text = '';
    for (let j = 0; j < perBlock; j++) text += line(i + j);
    const block = Buffer.from(text).subarray(0, size - written);
    written += block.length;
    yield block;
  }
}

async function firstByte(engine: Engine): Promise<BenchResult> {
  const leaf = await engine.put(textLines(SIZE));
  const gz = await engine.putRecipe(parseFunctionId('gzip@1'), [leaf], new Map());
  const start = performance.now();
  await engine.read(gz, 0, 1);
  const first = performance.now() - start;
  const { size } = await engine.materialize(gz);
  const total = performance.now() - start;
  return atMost('time to first byte vs total time, gzip@1 streaming over 1 GiB', first / total, 0.05,
    `first byte after ${first.toFixed(0)} ms, all ${(size / MiB).toFixed(1)} MiB after ${total.toFixed(0)} ms`);
}

function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}
