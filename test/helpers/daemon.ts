/**
 * Starts the REAL daemon (`bin/deriva daemon`, the built CLI in dist/) as a child process with
 * a temp home and (optionally) a temp mount, and runs the real CLI against it. Every process
 * and mount is cleaned up by the test's teardown. `make test` builds dist/ first; when dist/ is
 * older than src/ the helper says so rather than testing stale code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';
import { tempDir } from './temp.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DERIVA_BIN = join(ROOT, 'bin', 'deriva');

export interface RunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

export interface DaemonHandle {
  readonly home: string;
  readonly mount: string | undefined;
  readonly proc: ChildProcess;
  /** The line the daemon printed once ready (socket, mount, metrics address). */
  readonly readyLine: string;
  /** Runs `deriva ARGS` against this daemon's home. */
  cli(args: readonly string[], input?: Buffer): Promise<RunResult>;
  /** Sends `signal` and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface DaemonOptions {
  home?: string;
  mount?: string | false;
  args?: readonly string[];
}

/** Runs `deriva ARGS` with DERIVA_HOME=home (and `env` over it); never throws on a non-zero exit. */
export async function runCli(home: string, args: readonly string[], input?: Buffer, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const child = spawn(DERIVA_BIN, args, { env: { ...process.env, DERIVA_HOME: home, ...env }, stdio: 'pipe' });
  const out: Buffer[] = [];
  let err = '';
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin.end(input);
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout: Buffer.concat(out), stderr: err };
}

export async function startDaemon(t: Test, options: DaemonOptions = {}): Promise<DaemonHandle> {
  await assertBuilt();
  const home = options.home ?? (await tempDir(t));
  const mount = options.mount === false ? undefined : (options.mount ?? join(await tempDir(t), 'mnt'));
  const args = ['daemon', ...(mount ? ['--mount', mount] : []), ...(options.args ?? [])];
  const proc = spawn(DERIVA_BIN, args, { env: { ...process.env, DERIVA_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(proc, 'exit').then(([code]) => code as number | null);
  const readyLine = await waitForReady(proc, exited);
  t.teardown(async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      await exited;
    }
  });
  return {
    home,
    mount,
    proc,
    readyLine,
    cli: (cliArgs, input) => runCli(home, cliArgs, input),
    stop: async (signal = 'SIGTERM') => {
      proc.kill(signal);
      return exited;
    },
  };
}

async function waitForReady(proc: ChildProcess, exited: Promise<number | null>): Promise<string> {
  let stderr = '';
  const ready = new Promise<string>((resolve) => {
    proc.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const line = /^deriva daemon ready.*\n/m.exec(stderr);
      if (line) resolve(line[0].trim());
    });
  });
  const failed = exited.then((code) => {
    throw new Error(`daemon exited (${code}) before it was ready: ${stderr}`);
  });
  const timeout = new Promise<never>((_, reject) => {
    const timer = setTimeout(() => reject(new Error(`daemon not ready after 30 s: ${stderr}`)), 30_000);
    void exited.finally(() => clearTimeout(timer));
    void ready.finally(() => clearTimeout(timer));
  });
  return Promise.race([ready, failed, timeout]);
}

/** Fails clearly when dist/ is missing or older than the sources it is built from. */
async function assertBuilt(): Promise<void> {
  const built = await stat(join(ROOT, 'dist', 'cli', 'main.js')).catch(() => undefined);
  if (!built) throw new Error('dist/ is not built: run `make build` (make test does it for you)');
  const newest = await newestMtime(join(ROOT, 'src'));
  if (newest > built.mtimeMs) throw new Error('dist/ is older than src/: run `make build` (make test does it for you)');
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    // src/bench is not part of the daemon or CLI.
    if (entry.isFile() && entry.name.endsWith('.ts') && !entry.parentPath.includes('/src/bench')) {
      newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
    }
  }
  return newest;
}
