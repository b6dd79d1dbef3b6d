/**
 * Test helpers that build real components in temp dirs and register their own teardown.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { Engine, type EngineOptions } from '../../src/engine/engine.js';
import { Store, type StoreOptions } from '../../src/store/store.js';

/** A fresh temp directory (under `base`, the OS temp dir by default), removed when the test ends. */
export async function tempDir(t: Test, base = tmpdir()): Promise<string> {
  const dir = await mkdtemp(join(base, 'deriva-test-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A real LMDB store in a temp dir, closed when the test ends. */
export async function createStore(t: Test, options: StoreOptions = {}): Promise<Store> {
  const store = Store.open(await tempDir(t), options);
  t.teardown(() => store.close());
  return store;
}

/** A real engine (LMDB store + worker pool) in a temp dir, closed when the test ends. */
export async function createEngine(t: Test, options: Partial<EngineOptions> = {}): Promise<Engine> {
  return (await engineHome(t, options)).open();
}

/** What an engine opened by {@link engineHome} logged: integrity warnings and errors. */
export interface Logged {
  level: 'warn' | 'error';
  obj: { integrity?: Record<string, string> };
  msg?: string;
}

/** A store directory and the engines opened on it: see {@link engineHome}. */
export interface EngineHome {
  readonly dir: string;
  /** What every engine opened here logged, in order. */
  readonly logs: Logged[];
  /** Opens an engine on `dir` with the home's options and `options` over them; closed at teardown. */
  open(options?: Partial<EngineOptions>): Engine;
}

/**
 * One store directory for engines opened, closed and reopened on it (each closed at teardown,
 * which is a no-op for one the test closed: Engine.close is idempotent), recording what they
 * log: for tests that reopen a store, or damage it between two runs. A test that fails before
 * its own close() still stops the engine's worker pool.
 */
export async function engineHome(t: Test, options: Partial<EngineOptions> = {}): Promise<EngineHome> {
  const dir = await tempDir(t);
  const logs: Logged[] = [];
  const logger = {
    warn: (obj: object, msg?: string) => void logs.push({ level: 'warn', obj, msg }),
    error: (obj: object, msg?: string) => void logs.push({ level: 'error', obj, msg }),
  };
  const open = (more: Partial<EngineOptions> = {}): Engine => {
    const engine = Engine.open({ storeDir: dir, threads: 2, logger, ...options, ...more });
    t.teardown(() => engine.close());
    return engine;
  };
  return { dir, logs, open };
}

/** xorshift32: a seeded generator of 32-bit words, the same sequence for the same seed. */
export function xorshift32(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** Deterministic pseudo-random bytes (xorshift32), for large inputs without a slow RNG. */
export function pseudoRandom(length: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(length);
  const next = xorshift32(seed);
  for (let i = 0; i < length; i++) out[i] = next() & 0xff;
  return out;
}
