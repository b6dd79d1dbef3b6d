/**
 * Throughput of the native BLAKE3 addon against side-by-side baselines on the same 64 MiB of
 * random bytes: the addon single-threaded and multithreaded, `@napi-rs/blake-hash` (native,
 * single-threaded) and the `blake3` npm package (WebAssembly). Contenders run interleaved, round
 * after round, so drift in machine load hits all of them alike; each keeps its best round.
 */
import { randomFillSync } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { blake3 as napiRsBlake3 } from '@napi-rs/blake-hash';
import { hash as wasmBlake3 } from 'blake3';
import { hash } from '../native/index.js';
import { atLeast, type BenchResult } from './result.js';

const INPUT_BYTES = 64 * 1024 * 1024;
const ROUNDS = 7;
const MB = 1e6;

interface Contender {
  name: string;
  run: (data: Uint8Array) => Uint8Array;
}

const contenders: Contender[] = [
  { name: 'addon 1 thread', run: (data) => hash(data, { parallel: false }) },
  { name: 'addon rayon', run: (data) => hash(data, { parallel: true }) },
  { name: '@napi-rs/blake-hash', run: (data) => napiRsBlake3(Buffer.from(data.buffer, data.byteOffset, data.byteLength)) },
  { name: 'blake3 (wasm)', run: (data) => wasmBlake3(data) as Buffer },
];

/** Best MB/s of each contender over interleaved rounds, after one warm-up run each. */
function measure(data: Uint8Array): Map<string, number> {
  const expected = Buffer.from(contenders[0]!.run(data)).toString('hex');
  for (const c of contenders) {
    const digest = Buffer.from(c.run(data)).toString('hex');
    if (digest !== expected) throw new Error(`${c.name} disagrees on the digest: ${digest} != ${expected}`);
  }
  const best = new Map<string, number>(contenders.map((c) => [c.name, 0]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of contenders) {
      const start = performance.now();
      c.run(data);
      const seconds = (performance.now() - start) / 1000;
      best.set(c.name, Math.max(best.get(c.name)!, data.length / MB / seconds));
    }
  }
  return best;
}

function randomInput(length: number): Buffer {
  const data = Buffer.allocUnsafe(length);
  for (let at = 0; at < length; at += 1 << 16) randomFillSync(data, at, Math.min(1 << 16, length - at));
  return data;
}

/**
 * Hashes 64 MiB with each contender and reports two ratios against `@napi-rs/blake-hash`:
 * the addon single-threaded (target >= 1.0) and multithreaded (target >= 1.7 on 2 cores).
 */
export async function benchHash(): Promise<BenchResult[]> {
  const speeds = measure(randomInput(INPUT_BYTES));
  const speed = (name: string) => speeds.get(name)!;
  const table = contenders.map((c) => `${c.name} ${speed(c.name).toFixed(0)} MB/s`).join(', ');
  const detail = `64 MiB, best of ${ROUNDS}, ${availableParallelism()} cores: ${table}`;
  const baseline = speed('@napi-rs/blake-hash');
  return [
    atLeast('blake3 addon 1 thread / @napi-rs/blake-hash', speed('addon 1 thread') / baseline, 1.0, detail),
    atLeast('blake3 addon rayon / @napi-rs/blake-hash', speed('addon rayon') / baseline, 1.7, detail),
  ];
}
