/**
 * The cache budget under a skewed workload, in process on real stores and pools: the same
 * request sequence (Zipf-distributed over recipes of varied output sizes and costs) runs once
 * with `--cache-policy gdsf` and once with `lru`, each on its own fresh store with the same
 * budget (a quarter of all outputs). Reports the hit ratio of GDSF over LRU (target > 1), and
 * for each policy the bytes held after the workload against the budget (target <= budget plus
 * one chunk).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CAddr } from '../core/caddr.js';
import { parseFunctionId } from '../core/function-id.js';
import type { ParamValue } from '../core/recipe.js';
import type { PolicyName } from '../engine/cache-policy.js';
import { Engine } from '../engine/engine.js';
import { atMost, type BenchResult } from './result.js';

const CHUNK = 64 * 1024;
const RECIPES = 48;
const REQUESTS = 1500;
const ZIPF_S = 1.0;

interface Outcome {
  readonly hits: number;
  readonly cachedBytes: number;
  readonly budget: number;
}

export async function benchCache(): Promise<BenchResult[]> {
  const plan = workload();
  const gdsf = await run('gdsf', plan);
  const lru = await run('lru', plan);
  const ratio = gdsf.hits / Math.max(lru.hits, 1);
  const held = (name: string, o: Outcome) =>
    atMost(`${name}: cached bytes after the workload / (budget + one chunk)`, o.cachedBytes / (o.budget + CHUNK), 1,
      `${o.cachedBytes} B held, budget ${o.budget} B, chunk ${CHUNK} B`);
  return [
    {
      name: 'hit ratio, GDSF / LRU, Zipf workload',
      ratio,
      target: '> 1',
      ok: ratio > 1,
      detail: `GDSF ${pct(gdsf.hits)} vs LRU ${pct(lru.hits)} of ${REQUESTS} reads over ${RECIPES} outputs, budget 1/4 of them`,
    },
    held('gdsf', gdsf),
    held('lru', lru),
  ];
}

const pct = (hits: number) => `${((100 * hits) / REQUESTS).toFixed(1)}%`;

/** Recipe specs (input size, function) and the request sequence, from a fixed seed. */
function workload(): { specs: Array<{ size: number; fn: string; key: string }>; requests: number[] } {
  const rand = xorshift(42);
  const specs = Array.from({ length: RECIPES }, (_, i) => ({
    // Sizes from 16 KiB to 1 MiB, log-uniform; every third recipe is an expensive sort.
    size: Math.round(16 * 1024 * 2 ** (rand() * 6)),
    fn: i % 3 === 0 ? 'sort-lines@1' : 'replace@1',
    key: String(i),
  }));
  const weights = specs.map((_, rank) => 1 / (rank + 1) ** ZIPF_S);
  const total = weights.reduce((a, b) => a + b, 0);
  // Popularity rank is a shuffle of the recipes, independent of their size.
  const order = specs.map((_, i) => i).sort(() => rand() - 0.5);
  const requests = Array.from({ length: REQUESTS }, () => {
    let x = rand() * total;
    let r = 0;
    while (x > weights[r]! && r < weights.length - 1) x -= weights[r++]!;
    return order[r]!;
  });
  return { specs, requests };
}

async function run(policy: PolicyName, plan: ReturnType<typeof workload>): Promise<Outcome> {
  const dir = await mkdtemp(join(tmpdir(), `deriva-bench-cache-${policy}-`));
  try {
    // Both functions keep the input's size: the outputs total what the inputs do.
    const budget = Math.floor(plan.specs.reduce((sum, s) => sum + s.size, 0) / 4);
    const engine = Engine.open({ storeDir: dir, chunkSize: CHUNK, cacheSize: budget, cachePolicy: policy });
    try {
      const recipes = await register(engine, plan.specs);
      let hits = 0;
      for (const i of plan.requests) {
        if (engine.info(recipes[i]!).state === 'materialized') hits++;
        await engine.read(recipes[i]!);
        await engine.settled(); // a streaming output is recorded once its run ends: count it then
      }
      await engine.settled();
      return { hits, cachedBytes: engine.status().cachedBytes, budget };
    } finally {
      await engine.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function register(engine: Engine, specs: ReturnType<typeof workload>['specs']): Promise<CAddr[]> {
  const out: CAddr[] = [];
  for (const [i, spec] of specs.entries()) {
    const leaf = await engine.put(lines(spec.size, i + 1));
    const params = new Map<string, ParamValue>(
      spec.fn === 'replace@1' ? [['from', { type: 'string', value: 'e' }], ['to', { type: 'string', value: 'E' }]] : [],
    );
    out.push(await engine.putRecipe(parseFunctionId(spec.fn), [leaf], params));
  }
  return out;
}

/** Text lines of pseudo-random words, `size` bytes. */
function lines(size: number, seed: number): Buffer {
  const rand = xorshift(seed);
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) out[i] = i % 32 === 31 ? 0x0a : 0x61 + Math.floor(rand() * 26);
  return out;
}

function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}
