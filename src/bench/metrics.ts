/**
 * What Prometheus metrics cost: two daemons side by side, one with `--metrics` (every FUSE op
 * timed into a histogram, every read counted) and one without, measured alternately on the
 * same machine:
 * - first read: `cat` of a freshly stored 64 MiB leaf through each mount (every page crosses
 *   to the daemon, so the per-op wrapper runs ~512 times per read);
 * - stat latency: p50/p99 of `fs.promises.stat` on distinct small leaves (one getattr each).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startDaemon, timeCat, writeRandomFile, type BenchDaemon } from './daemon-process.js';
import { pct, putSmallLeaves, statPairs } from './fuse.js';
import { atLeast, atMost, type BenchResult } from './result.js';

const SIZE = 64 * 1024 * 1024;
const READ_ROUNDS = 5;
const STATS = 2000;

export async function benchMetrics(): Promise<BenchResult[]> {
  const plain = await startDaemon();
  try {
    const metered = await startDaemon(['--metrics', '127.0.0.1:0']);
    try {
      return [await reads(plain, metered), ...(await stats(plain, metered))];
    } finally {
      await metered.stop();
    }
  } finally {
    await plain.stop();
  }
}

async function reads(plain: BenchDaemon, metered: BenchDaemon): Promise<BenchResult> {
  let bestPlain = Infinity;
  let bestMetered = Infinity;
  for (let round = 0; round < READ_ROUNDS; round++) {
    const file = join(plain.dir, `read-${round}.bin`);
    await writeRandomFile(file, SIZE);
    const [a, b] = [await plain.putFile(file), await metered.putFile(file)];
    // Alternate which goes first, so neither always reads a colder machine.
    const order: Array<[BenchDaemon, string]> = round % 2 ? [[metered, b], [plain, a]] : [[plain, a], [metered, b]];
    for (const [daemon, leaf] of order) {
      const ms = await timeCat(daemon.pathOf(leaf));
      if (daemon === plain) bestPlain = Math.min(bestPlain, ms);
      else bestMetered = Math.min(bestMetered, ms);
    }
    await rm(file);
  }
  const mbps = (ms: number): string => `${(SIZE / 1e6 / (ms / 1e3)).toFixed(0)} MB/s`;
  return atLeast('fuse first read with metrics vs without', bestPlain / bestMetered, 0.9,
    `with ${mbps(bestMetered)}, without ${mbps(bestPlain)} (64 MiB, a fresh leaf each, best of ${READ_ROUNDS})`);
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
