/**
 * Ingest benchmark: putting a 512 MiB file (read, chunk, hash, store, flush) against copying
 * the same file on the same filesystem, both from a warm page cache, round after round. A put
 * is acknowledged only once durable, so the target (issue #11) is against the durable copy:
 * `cp`, then `sync` of the copy (an fsync of that one file). A plain `cp` returns with its data
 * still in the page cache, paying for no disk flush; it is reported for context, as is what the
 * flush costs the copy itself.
 *
 * A put goes into a running store, as `deriva put` does into a running daemon: each round opens a
 * fresh engine and warms it (its LMDB environment created, its compute worker loaded, by putting
 * and reading a tiny value) before the clock starts, and closes it after the clock stops. Timing
 * the opening too measured a worker thread loading its modules on the same two cores as the put.
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { Engine } from '../engine/engine.js';
import { atLeast, context, median, type BenchResult } from './result.js';

const run = promisify(execFile);
const SIZE = 512 * 1024 * 1024;
const ROUNDS = 11;

type Contender = 'put' | 'cp + sync' | 'cp';

/**
 * Milliseconds one contender takes to take in `file` under `dir`; what it wrote is removed,
 * then everything dirty is flushed, untimed: a plain `cp` leaves its copy for the kernel to
 * write back (and `rm` to discard), which would otherwise land on whoever runs next.
 */
async function timeOne(contender: Contender, file: string, dir: string): Promise<number> {
  const ms = await timeTakeIn(contender, file, dir);
  await run('sync');
  return ms;
}

async function timeTakeIn(contender: Contender, file: string, dir: string): Promise<number> {
  const target = join(dir, contender === 'put' ? 'store' : 'copy.bin');
  if (contender === 'put') {
    const engine = await warmEngine(target);
    const start = performance.now();
    await engine.put(createReadStream(file, { highWaterMark: 1024 * 1024 }));
    const ms = performance.now() - start;
    await engine.close();
    await rm(target, { recursive: true });
    return ms;
  }
  const start = performance.now();
  await run('cp', [file, target]);
  // The copy made durable, as a put is: fsync of the copy (`sync FILE`).
  if (contender === 'cp + sync') await run('sync', [target]);
  const ms = performance.now() - start;
  await rm(target);
  return ms;
}

/** An engine on a fresh store at `dir`, running: a tiny value put and a recipe over it read. */
async function warmEngine(dir: string): Promise<Engine> {
  const engine = Engine.open({ storeDir: dir, threads: 1 });
  const leaf = await engine.put(Buffer.from('warm-up'));
  await engine.read(await engine.putRecipe({ name: 'upper', version: 1 }, [leaf], new Map()));
  await engine.settled();
  return engine;
}

/** Each round times every contender, in an order rotated round by round. */
async function measure(file: string, dir: string): Promise<Map<Contender, number[]>> {
  const order: Contender[] = ['cp', 'cp + sync', 'put'];
  const times = new Map<Contender, number[]>(order.map((c) => [c, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < order.length; i++) {
      const contender = order[(i + round) % order.length]!;
      times.get(contender)!.push(await timeOne(contender, file, dir));
    }
  }
  return times;
}

/**
 * The ratio of a baseline's time to the subject's, round by round (drift in machine load hits
 * the contenders of one round alike); the median and spread of those, and best times.
 */
function ratio(name: string, times: Map<Contender, number[]>, subject: Contender, baseline: Contender, min?: number): BenchResult {
  const subj = times.get(subject)!;
  const base = times.get(baseline)!;
  const ratios = subj.map((ms, round) => base[round]! / ms).sort((a, b) => a - b);
  const mbps = (ms: number) => `${((SIZE / ms) * 1e3 / 1e6).toFixed(0)} MB/s`;
  const durability = (c: Contender) => (c === 'cp' ? 'page cache only' : 'durable');
  const detail = `median of ${ROUNDS} paired rounds (spread ${ratios[0]!.toFixed(2)}-${ratios[ROUNDS - 1]!.toFixed(2)}); ` +
    `best: ${subject} ${mbps(Math.min(...subj))} (${durability(subject)}), ${baseline} ${mbps(Math.min(...base))} (${durability(baseline)})`;
  return min === undefined ? context(name, median(ratios), detail) : atLeast(name, median(ratios), min, detail);
}

export async function benchIngest(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'deriva-bench-ingest-'));
  try {
    const file = join(dir, 'input.bin');
    const block = randomBytes(16 * 1024 * 1024);
    const blocks = Array.from({ length: SIZE / block.length }, (_, i) => Buffer.concat([Buffer.from([i]), block.subarray(1)]));
    await writeFile(file, Buffer.concat(blocks));
    await run('sync'); // the input on disk, not being written back during the first round
    const times = await measure(file, dir);
    return [
      ratio('ingest 512 MiB vs cp + sync of the copy', times, 'put', 'cp + sync', 0.75),
      ratio('ingest 512 MiB vs cp (not durable)', times, 'put', 'cp'),
      // What a durable ingest can reach against the target's baseline: the copy itself, durable.
      ratio('cp + sync vs cp: ceiling of a durable ingest', times, 'cp + sync', 'cp'),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
