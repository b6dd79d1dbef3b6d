/**
 * Comparing two single-threaded contenders on a shared, loaded machine. Wall time there mostly
 * measures how long the process waited for a core; process CPU time (user + system) counts only
 * the time it ran, which for single-threaded work is the work itself. The two run alternately,
 * in swapped order every round so neither always follows the other, and each round gives one
 * ratio; the median of those is robust to a round disturbed by load.
 */
const ROUNDS = 21;

export interface PairedRatio {
  /** Median over rounds of baseline CPU time / ours: above 1 means ours is faster. */
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly rounds: number;
}

function cpuMicros(fn: () => unknown): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

/** Ratio of `baseline`'s CPU time to `ours`, per round; both must be single-threaded. */
export function pairedCpuRatio(ours: () => unknown, baseline: () => unknown): PairedRatio {
  ours();
  baseline();
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let oursTime: number;
    let baselineTime: number;
    if (round % 2 === 0) {
      oursTime = cpuMicros(ours);
      baselineTime = cpuMicros(baseline);
    } else {
      baselineTime = cpuMicros(baseline);
      oursTime = cpuMicros(ours);
    }
    ratios.push(baselineTime / oursTime);
  }
  ratios.sort((x, y) => x - y);
  return { median: ratios[ROUNDS >> 1]!, min: ratios[0]!, max: ratios[ROUNDS - 1]!, rounds: ROUNDS };
}
