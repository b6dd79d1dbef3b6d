/**
 * What Prometheus metrics cost: two daemons side by side, one with `--metrics` (every FUSE op
 * timed into a histogram, every read counted) and one without, measured alternately on the
 * same machine:
 * - first read: `cat` of a freshly stored 128 MiB leaf through each mount (every page crosses
 *   to the daemon, so the per-op wrapper runs ~1000 times per read), in paired rounds
 *   (paired-rounds.ts): each round stores new random bytes in both daemons, so both reads are
 *   first reads, and reads them back to back, on and off in swapped order. Beside the
 *   throughput, the CPU time each daemon spent serving those reads, summed over all rounds: what
 *   metrics cost in work done, which unlike wall time a loaded machine barely disturbs;
 * - stat latency: p50/p99 of `fs.promises.stat` on distinct small leaves (one getattr each).
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startDaemon, timeCat, writeRandomFile, type BenchDaemon } from './daemon-process.js';
import { pct, putSmallLeaves, statPairs } from './fuse.js';
import { pairedRatio, pairedRounds } from './paired-rounds.js';
import { atLeast, atMost, context, type BenchResult } from './result.js';

const run = promisify(execFile);
const SIZE = 128 * 1024 * 1024;
const READ_ROUNDS = 9;
const STATS = 2000;

export async function benchMetrics(): Promise<BenchResult[]> {
  const plain = await startDaemon();
  try {
    const metered = await startDaemon(['--metrics', '127.0.0.1:0']);
    try {
      return [...(await reads(plain, metered)), ...(await stats(plain, metered))];
    } finally {
      await metered.stop();
    }
  } finally {
    await plain.stop();
  }
}

async function reads(plain: BenchDaemon, metered: BenchDaemon): Promise<BenchResult[]> {
  const cpu = new Map<BenchDaemon, number>([[plain, 0], [metered, 0]]);
  const timed = async (daemon: BenchDaemon, leaf: string): Promise<number> => {
    const before = await daemon.cpuMs();
    const ms = await timeCat(daemon.pathOf(leaf));
    cpu.set(daemon, cpu.get(daemon)! + (await daemon.cpuMs()) - before);
    return ms;
  };
  const times = await pairedRounds(READ_ROUNDS, async (round) => {
    const file = join(plain.dir, `read-${round}.bin`);
    await writeRandomFile(file, SIZE);
    const [a, b] = [await plain.putFile(file), await metered.putFile(file)];
    await rm(file);
    await run('sync'); // nothing left to write back during the timed reads
    return { subject: () => timed(metered, b), baseline: () => timed(plain, a) };
  });
  const ratio = pairedRatio(times);
  const mbps = (ms: readonly number[]): string => `${(SIZE / 1e6 / (Math.min(...ms) / 1e3)).toFixed(0)} MB/s`;
  const [cpuWith, cpuWithout] = [cpu.get(metered)!, cpu.get(plain)!];
  return [
    atLeast('fuse first read with metrics vs without', ratio.median, 0.9,
      `${ratio.method}; best: with ${mbps(times.subject)}, without ${mbps(times.baseline)} (128 MiB, a fresh leaf each round)`),
    context('fuse first read daemon CPU without metrics vs with', cpuWithout / cpuWith,
      `daemon CPU (all threads) serving the reads above, summed over ${READ_ROUNDS} rounds: with ${cpuWith.toFixed(0)} ms, without ${cpuWithout.toFixed(0)} ms`),
  ];
}

async function stats(plain: BenchDaemon, metered: BenchDaemon): Promise<BenchResult[]> {
  const [a, b] = await Promise.all([putSmallLeaves(plain.client, STATS), putSmallLeaves(metered.client, STATS)]);
  const [without, withMetrics] = await statPairs(a.map((x) => plain.pathOf(x)), b.map((x) => metered.pathOf(x)));
  const ms = (sorted: number[]): string => `p50 ${pct(sorted, 0.5).toFixed(3)} ms, p99 ${pct(sorted, 0.99).toFixed(3)} ms`;
  const detail = `with ${ms(withMetrics)}; without ${ms(without)} (${STATS} stats each, alternating)`;
  return [
    atMost('fuse stat p50 with metrics vs without', pct(withMetrics, 0.5) / pct(without, 0.5), 1.1, detail),
    atMost('fuse stat p99 with metrics vs without', pct(withMetrics, 0.99) / pct(without, 0.99), 1.25, detail),
  ];
}
