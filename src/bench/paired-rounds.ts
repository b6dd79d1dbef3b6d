/**
 * Comparing two contenders that each take a fresh input per round (a first read of a value
 * never read before) on a shared, loaded machine: each round prepares its inputs untimed, then
 * times the two back to back, in swapped order every round so neither always follows the
 * other. Each round gives one ratio; the median of those is robust to a round disturbed by
 * load, where best-of times or one long run would let a single noisy second decide.
 */
import { median } from './result.js';

/** One round's two timed runs, prepared and ready to go. */
export interface Round {
  /** Milliseconds the subject (ours) takes. */
  subject(): Promise<number>;
  /** Milliseconds the baseline takes. */
  baseline(): Promise<number>;
}

export interface PairedTimes {
  readonly subject: readonly number[];
  readonly baseline: readonly number[];
}

/** Runs `rounds` rounds, each prepared by `prepare(round)` and then timed in alternating order. */
export async function pairedRounds(rounds: number, prepare: (round: number) => Promise<Round>): Promise<PairedTimes> {
  const subject: number[] = [];
  const baseline: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const r = await prepare(round);
    if (round % 2 === 0) {
      baseline.push(await r.baseline());
      subject.push(await r.subject());
    } else {
      subject.push(await r.subject());
      baseline.push(await r.baseline());
    }
  }
  return { subject, baseline };
}

export interface PairedRatio {
  /** Median over rounds of baseline time / subject time: the subject's relative speed. */
  readonly median: number;
  /** Says how the ratio was obtained, for a result's detail. */
  readonly method: string;
}

/** Baseline time / subject time, per round; their median and spread. */
export function pairedRatio(times: PairedTimes): PairedRatio {
  const ratios = times.subject.map((ms, round) => times.baseline[round]! / ms).sort((a, b) => a - b);
  const [min, max] = [ratios[0]!, ratios[ratios.length - 1]!];
  const method = `median of ${ratios.length} paired rounds, order swapped each round (spread ${min.toFixed(2)}-${max.toFixed(2)})`;
  return { median: median(ratios), method };
}
