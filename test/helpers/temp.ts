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
  const engine = Engine.open({ storeDir: await tempDir(t), threads: 2, ...options });
  let closed = false;
  t.teardown(async () => {
    if (!closed) await engine.close();
  });
  const close = engine.close.bind(engine);
  engine.close = async () => {
    closed = true;
    await close();
  };
  return engine;
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
