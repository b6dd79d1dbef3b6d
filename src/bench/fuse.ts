/**
 * The mount, through the real daemon in a child process, against plain files on the local
 * filesystem measured side by side:
 * - first read: `cat` of a freshly stored 256 MiB leaf through FUSE (every page crosses to
 *   the daemon) against fuse-native's own ceiling, `cat` of a file a minimal fuse-native
 *   filesystem serves from a constant buffer (fuse-ceiling-fs.ts), which bounds any daemon
 *   built on fuse-native. Both mounted for the whole run and read in paired rounds
 *   (paired-rounds.ts); a fresh leaf of new random bytes each round, so no round finds the
 *   FUSE file in the kernel's cache (the ceiling's file is never cached: it is mounted without
 *   auto_cache or kernel_cache). `cat` of the same bytes from a plain file in page cache is
 *   reported for context;
 * - re-read: the same FUSE file read again, now from the kernel's page cache (kept by
 *   autoCache while the file's mtime and size are unchanged), vs the plain cached file;
 * - stat latency: p50/p99 of `fs.promises.stat` on stored leaves, one distinct leaf per call
 *   (so every call reaches the daemon, whatever the kernel's attribute cache) vs the same
 *   loop over a plain tree of files; then the same loop while the daemon computes gzip@1 of
 *   256 MiB, showing that compute in the worker pool leaves the mount responsive.
 */
import { randomBytes } from 'node:crypto';
import { execFile, spawn } from 'node:child_process';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { DerivaClient } from '../api/client.js';
import { startDaemon, timeCat, writeRandomFile, type BenchDaemon } from './daemon-process.js';
import { pairedRounds, pairedRatio } from './paired-rounds.js';
import { atLeast, atMost, context, type BenchResult } from './result.js';

const run = promisify(execFile);
const SIZE = 256 * 1024 * 1024;
const READ_ROUNDS = 7;
/** Re-reads (and plain reads) per round: each takes well under a second. */
const REREADS = 3;
const STATS = 2000;
const WARM_STATS = 100;

export async function benchFuse(): Promise<BenchResult[]> {
  const daemon = await startDaemon();
  try {
    const ceiling = await startCeiling(join(daemon.dir, 'ceiling'));
    let reads: { results: BenchResult[]; bigLeaf: string };
    try {
      reads = await benchReads(daemon, ceiling.file);
    } finally {
      await ceiling.stop();
    }
    return [...reads.results, ...(await benchStats(daemon, reads.bigLeaf))];
  } finally {
    await daemon.stop();
  }
}

/** fuse-ceiling-fs.ts mounted at `mnt` in its own child process: the file it serves, and how to stop it. */
async function startCeiling(mnt: string): Promise<{ file: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./fuse-ceiling-fs.js', import.meta.url)), mnt], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`fuse-ceiling-fs exited ${code} before it was ready`)));
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { file: join(mnt, 'file'), stop };
}

const mbps = (ms: number): string => `${(SIZE / 1e6 / (ms / 1e3)).toFixed(0)} MB/s`;

/**
 * First read through the mount vs the fuse-native ceiling, in paired rounds; re-reads through
 * the mount and a cached plain file, best time of each, for the other rows.
 */
async function benchReads(daemon: BenchDaemon, ceilingFile: string): Promise<{ results: BenchResult[]; bigLeaf: string }> {
  let plain = Infinity;
  let again = Infinity;
  let leaf = '';
  const times = await pairedRounds(READ_ROUNDS, async (round) => {
    const file = join(daemon.dir, `plain-${round}.bin`);
    await writeRandomFile(file, SIZE);
    leaf = await daemon.putFile(file);
    const path = daemon.pathOf(leaf);
    for (let i = 0; i < REREADS; i++) plain = Math.min(plain, await timeCat(file));
    await rm(file);
    await run('sync'); // nothing left to write back during the timed reads
    return {
      baseline: () => timeCat(ceilingFile),
      subject: async () => {
        const ms = await timeCat(path);
        for (let i = 0; i < REREADS; i++) again = Math.min(again, await timeCat(path));
        return ms;
      },
    };
  });
  // The bytes cat read were the leaf's: b3sum of the mount path is its address.
  const { stdout } = await run('b3sum', ['--no-names', daemon.pathOf(leaf)]);
  if (stdout.trim() !== leaf) throw new Error(`b3sum of the mounted leaf is ${stdout.trim()}, not ${leaf}`);
  const ceiling = pairedRatio(times);
  const first = Math.min(...times.subject);
  const best = `256 MiB, best of ${READ_ROUNDS * REREADS}`;
  return {
    bigLeaf: leaf,
    results: [
      atLeast('fuse first read vs fuse-native ceiling (same run)', ceiling.median, 0.6,
        `${ceiling.method}; best: fuse ${mbps(first)}, a constant-buffer fuse-native fs ${mbps(Math.min(...times.baseline))} (a fresh leaf each round)`),
      context('fuse first read vs cat of cached file', plain / first, `best: fuse ${mbps(first)} (of ${READ_ROUNDS}), plain ${mbps(plain)} (${best})`),
      atLeast('fuse re-read (kernel cache) vs cat of cached file', plain / again, 0.6, `fuse ${mbps(again)}, plain ${mbps(plain)} (${best})`),
    ],
  };
}

/** Stat latency through the mount, idle and under load, vs a plain tree of the same shape. */
async function benchStats(daemon: BenchDaemon, bigLeaf: string): Promise<BenchResult[]> {
  const addrs = await putSmallLeaves(daemon.client, WARM_STATS + 2 * STATS);
  const tree = join(daemon.dir, 'plain-tree');
  const plainOf = (addr: string): string => join(tree, addr.slice(0, 2), addr);
  await mirror(tree, addrs.slice(0, WARM_STATS + STATS), plainOf);
  // Warm-up: shard directory lookups, and the code path on both sides.
  const shards = [...new Set(addrs.map((a) => a.slice(0, 2)))];
  await statLoop(shards.map((s) => join(daemon.mnt, s)));
  await statLoop(addrs.slice(0, WARM_STATS).map((a) => daemon.pathOf(a)));
  await statLoop(addrs.slice(0, WARM_STATS).map(plainOf));

  const idleSet = addrs.slice(WARM_STATS, WARM_STATS + STATS);
  const [plain, idle] = await statPairs(idleSet.map(plainOf), idleSet.map((a) => daemon.pathOf(a)));
  const load = await statsUnderLoad(daemon, bigLeaf, addrs.slice(WARM_STATS + STATS).map((a) => daemon.pathOf(a)));

  const ms = (sorted: number[]): string => `p50 ${pct(sorted, 0.5).toFixed(3)} ms, p99 ${pct(sorted, 0.99).toFixed(3)} ms`;
  const n = `${STATS} stats each, a distinct leaf per stat, plain and fuse alternating`;
  return [
    atMost('fuse stat p99 idle vs plain stat p99', pct(idle, 0.99) / pct(plain, 0.99), 50,
      `fuse ${ms(idle)}; plain ${ms(plain)} (${n}; target is ours)`),
    atMost('fuse stat p99 under gzip@1 256 MiB vs idle', pct(load.times, 0.99) / pct(idle, 0.99), 10,
      `load ${ms(load.times)}; idle p99 ${pct(idle, 0.99).toFixed(3)} ms; ${load.note} (target is ours)`),
  ];
}

/** Stats `paths` in the mount while the daemon computes gzip@1 over `bigLeaf` for a reader. */
async function statsUnderLoad(daemon: BenchDaemon, bigLeaf: string, paths: string[]): Promise<{ times: number[]; note: string }> {
  const { client } = daemon;
  const gz = await client.putRecipe('gzip@1', [bigLeaf]);
  const before = (await client.status()).computations;
  const start = performance.now();
  let doneAt: number | undefined;
  const read = (async () => {
    let bytes = 0;
    for await (const piece of client.get(gz)) bytes += piece.length;
    return bytes;
  })().finally(() => (doneAt = performance.now()));
  read.catch(() => {}); // awaited below
  while ((await client.status()).computations === before && doneAt === undefined) await sleep(2);
  const loopStart = performance.now();
  const times = await statLoop(paths);
  const loopEnd = performance.now();
  const during = doneAt === undefined;
  const bytes = await read;
  const secs = (t: number): string => `${((t - start) / 1e3).toFixed(1)} s`;
  const note = during
    ? `compute running through the whole loop (loop ${secs(loopStart)}..${secs(loopEnd)}, gzip read done at ${secs(doneAt!)}, ${bytes} bytes)`
    : `WARNING: the gzip read finished at ${secs(doneAt!)}, before the loop ended at ${secs(loopEnd)}`;
  return { times, note };
}

/** Puts `count` distinct small leaves, 32 at a time; their addresses in order. */
export async function putSmallLeaves(client: DerivaClient, count: number): Promise<string[]> {
  const nonce = randomBytes(8).toString('hex');
  const addrs: string[] = new Array<string>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) {
      addrs[i] = (await client.putLeaf(Buffer.from(`stat bench ${nonce} ${i}\n`))).addr;
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return addrs;
}

/** A plain `<hex2>/<hex>` tree with one small file per address. */
async function mirror(tree: string, addrs: string[], pathOf: (addr: string) => string): Promise<void> {
  for (const shard of new Set(addrs.map((a) => a.slice(0, 2)))) await mkdir(join(tree, shard), { recursive: true });
  for (const addr of addrs) await writeFile(pathOf(addr), `${addr}\n`);
}

/** Latency (ms) of one `stat` per path, in sequence; sorted ascending. */
async function statLoop(paths: string[]): Promise<number[]> {
  const times: number[] = [];
  for (const path of paths) {
    const start = performance.now();
    await stat(path);
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

/** Latencies of stat(a[i]) and stat(b[i]), alternating so both see the same machine; sorted. */
export async function statPairs(a: string[], b: string[]): Promise<[number[], number[]]> {
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < a.length; i++) {
    for (const [side, path] of [[0, a[i]!], [1, b[i]!]] as const) {
      const start = performance.now();
      await stat(path);
      times[side].push(performance.now() - start);
    }
  }
  return [times[0].sort((x, y) => x - y), times[1].sort((x, y) => x - y)];
}

/** The p-th quantile of ascending `sorted` (nearest rank). */
export function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
