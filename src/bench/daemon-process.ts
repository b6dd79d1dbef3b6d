/**
 * The real daemon as a child process, for benchmarks that go through the mount or gRPC.
 * fuse-native serves every FUSE op on the daemon's JS main thread, so the process that times
 * `cat` or `stat` on the mount must not be the one serving it: a bench in-process would
 * measure (and could deadlock) itself. `startDaemon` runs `deriva daemon` in a temp home with a
 * mount, waits for its ready line, and `stop` undoes everything: SIGTERM (SIGKILL if it hangs),
 * `fusermount -uz` if a mount is left, temp dir removed; `cpuMs` reads the CPU time it has used
 * (Linux /proc). Also: random input files, and `cat`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomFill } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DerivaClient } from '../api/client.js';
import { socketPath, unixTarget } from '../api/targets.js';

const run = promisify(execFile);
const fill = (buf: Buffer, offset: number, size: number): Promise<unknown> =>
  new Promise((resolve, reject) => randomFill(buf, offset, size, (err) => (err ? reject(err) : resolve(undefined))));
const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const READY = 'deriva daemon ready';
const START_TIMEOUT_MS = 30_000;
/** Generous: SIGTERM lets in-flight work finish, and a bench may leave a large compute running. */
const STOP_TIMEOUT_MS = 120_000;

export interface BenchDaemon {
  /** Temp dir holding the home, the mount point and any files the bench writes. */
  readonly dir: string;
  readonly mnt: string;
  readonly client: DerivaClient;
  /** CPU time (user + system, ms, all threads) the daemon process has used so far. */
  cpuMs(): Promise<number>;
  /** Mount path of an address (`<mnt>/<hex2>/<hex>`). */
  pathOf(addr: string): string;
  /** Stores a file as a leaf through gRPC; its address. */
  putFile(path: string): Promise<string>;
  /** Stops the daemon and removes everything it left; safe to call more than once. */
  stop(): Promise<void>;
}

/** Starts `deriva daemon --home <tmp>/home --mount <tmp>/mnt [args]` and waits until it serves. */
export async function startDaemon(args: readonly string[] = []): Promise<BenchDaemon> {
  const dir = await mkdtemp(join(tmpdir(), 'deriva-bench-daemon-'));
  const home = join(dir, 'home');
  const mnt = join(dir, 'mnt');
  const child = spawn(process.execPath, [CLI, 'daemon', '--home', home, '--mount', mnt, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const client = DerivaClient.connect(unixTarget(socketPath(home)));
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= cleanUp(child, client, mnt, dir));
  try {
    await waitReady(child);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    dir,
    mnt,
    client,
    cpuMs: () => processCpuMs(child.pid!),
    pathOf: (addr) => join(mnt, addr.slice(0, 2), addr),
    putFile: async (path) => (await client.putLeaf(createReadStream(path, { highWaterMark: 1 << 20 }))).addr,
    stop,
  };
}

/** Resolves on the daemon's ready line; rejects if it exits or stays silent first. */
function waitReady(child: ChildProcess): Promise<void> {
  let log = '';
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`daemon not ready after ${START_TIMEOUT_MS} ms: ${log}`)), START_TIMEOUT_MS);
    // Keep draining stderr for the daemon's whole life: a full pipe would block it.
    child.stderr!.on('data', (data: Buffer) => {
      if (log.length < 64 * 1024) log += data.toString();
      if (log.includes(READY)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`daemon exited (${code ?? signal}) before it was ready: ${log}`));
    });
  });
}

async function cleanUp(child: ChildProcess, client: DerivaClient, mnt: string, dir: string): Promise<void> {
  client.close();
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), STOP_TIMEOUT_MS);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    child.kill('SIGTERM');
    if (!(await exited)) {
      process.stderr.write(`bench: daemon ignored SIGTERM for ${STOP_TIMEOUT_MS} ms; killing it\n`);
      const killed = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await killed;
    }
  }
  if (await isMounted(mnt)) await run('fusermount', ['-uz', mnt]).catch(() => {});
  await rm(dir, { recursive: true, force: true });
}

async function isMounted(dir: string): Promise<boolean> {
  const table = await readFile('/proc/self/mounts', 'utf8');
  return table.split('\n').some((line) => line.split(' ')[1] === dir);
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on every Linux Node runs on). */
const USER_HZ = 100;

/** CPU time (ms) process `pid` has used: utime + stime from /proc/PID/stat. */
async function processCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3; utime, stime are 14, 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
}

/** Writes `size` random bytes to `path` (async, 16 MiB at a time). */
export async function writeRandomFile(path: string, size: number): Promise<void> {
  const file = await open(path, 'w');
  try {
    const block = Buffer.allocUnsafe(16 << 20);
    for (let at = 0; at < size; at += block.length) {
      const n = Math.min(block.length, size - at);
      await fill(block, 0, n);
      await file.write(block, 0, n);
    }
  } finally {
    await file.close();
  }
}

/** Milliseconds a spawned `cat path > /dev/null` takes, spawn included. */
export async function timeCat(path: string): Promise<number> {
  const devNull = await open('/dev/null', 'w');
  try {
    const start = performance.now();
    const child = spawn('cat', [path], { stdio: ['ignore', devNull.fd, 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`cat ${path} exited ${code}: ${err}`);
    return performance.now() - start;
  } finally {
    await devNull.close();
  }
}
