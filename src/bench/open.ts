/**
 * Start-up benchmark: opening a store holding 100,000 recipes and answering a first query,
 * against the same for an empty store. The DAG is persistent, so start-up must not scale
 * with what the store holds.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CAddr } from '../core/caddr.js';
import { parseFunctionId } from '../core/function-id.js';
import type { ParamValue } from '../core/recipe.js';
import { Engine } from '../engine/engine.js';
import { atMost, medianMs, type BenchResult } from './result.js';

const RECIPES = 100_000;
const RUNS = 15;

export async function benchOpen(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'deriva-bench-open-'));
  try {
    const full = join(dir, 'full');
    const empty = join(dir, 'empty');
    const probe = await fill(full);
    const emptyProbe = await fill(empty, 0);
    const openAndQuery = (storeDir: string, addr: CAddr) => async () => {
      const engine = Engine.open({ storeDir, threads: 1 });
      engine.info(addr);
      await engine.close();
    };
    // Interleave so both see the same machine conditions.
    const fullTimes: number[] = [];
    const emptyTimes: number[] = [];
    for (let i = 0; i < 3; i++) {
      emptyTimes.push(await medianMs(RUNS, openAndQuery(empty, emptyProbe)));
      fullTimes.push(await medianMs(RUNS, openAndQuery(full, probe)));
    }
    const f = Math.min(...fullTimes);
    const e = Math.min(...emptyTimes);
    return [atMost(`open + first query, ${RECIPES} recipes vs empty`, f / e, 2, `${f.toFixed(1)} ms vs ${e.toFixed(1)} ms`)];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Creates a store with one leaf and `count` recipes over it; returns an address to query. */
async function fill(storeDir: string, count = RECIPES): Promise<CAddr> {
  const engine = Engine.open({ storeDir, threads: 1 });
  const leaf = await engine.put(Buffer.from('bench'));
  const slice = parseFunctionId('slice@1');
  let last = leaf;
  const batch = 5_000;
  for (let i = 0; i < count; i += batch) {
    const addrs = await Promise.all(
      Array.from({ length: Math.min(batch, count - i) }, (_, j) => {
        const offset: ParamValue = { type: 'int', value: BigInt(i + j) };
        const length: ParamValue = { type: 'int', value: 1n };
        return engine.putRecipe(slice, [leaf], new Map([['offset', offset], ['length', length]]));
      }),
    );
    last = addrs[addrs.length - 1]!;
  }
  await engine.close();
  return last;
}
