/**
 * Benchmark results: every benchmark measures Deriva and a baseline side by side in the same
 * run and reports their ratio against a target, so results do not depend on how busy or fast
 * the machine is.
 */
export interface BenchResult {
  readonly name: string;
  /** Deriva relative to the baseline, oriented so that the target says which way is good. */
  readonly ratio: number;
  /** Human-readable target, e.g. ">= 1.0" or "<= 2". */
  readonly target: string;
  readonly ok: boolean;
  /** The raw measurements behind the ratio. */
  readonly detail: string;
}

/** A result whose ratio must be at least `min`. */
export function atLeast(name: string, ratio: number, min: number, detail: string): BenchResult {
  return { name, ratio, target: `>= ${min}`, ok: ratio >= min, detail };
}

/** A result whose ratio must be at most `max`. */
export function atMost(name: string, ratio: number, max: number, detail: string): BenchResult {
  return { name, ratio, target: `<= ${max}`, ok: ratio <= max, detail };
}

/** Target of a {@link context} result. */
const NO_TARGET = 'none';

/** A ratio reported for context only: no target, never a miss. */
export function context(name: string, ratio: number, detail: string): BenchResult {
  return { name, ratio, target: NO_TARGET, ok: true, detail };
}

/** Median of timings (ms) of `runs` calls of `fn`. */
export async function medianMs(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** The middle of `xs` (the upper one of the two for an even count). */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
}

export function formatResults(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [r.target === NO_TARGET ? 'info' : r.ok ? 'ok  ' : 'MISS', r.name, r.ratio.toFixed(2) + 'x', r.target, r.detail]);
  const widths = [4, ...[1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length)))];
  return rows.map((row) => row.map((cell, i) => (i < 4 ? cell.padEnd(widths[i]!) : cell)).join('  ')).join('\n');
}
