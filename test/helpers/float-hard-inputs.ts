/**
 * Hard cases for the accuracy of the float ops that are not musl's (sinh, cosh, tanh, atan2):
 * seeded inputs concentrated where an error would show. For the hyperbolic functions: near 0 and
 * across the switch from polynomial to exponential (2^-5), where e^x - e^-x cancels (up to 3),
 * where e^-x stops mattering (37) and tanh saturates (20), and next to the overflow threshold.
 * For atan2: ratios near 1, x < 0 (pi minus an arctangent, where musl rounded twice), ratios
 * near the 2^±64 shortcuts, and subnormal operands.
 */
import { prng } from './float-inputs.js';

/** The ops {@link floatHardInputs} has cases for. */
export const HARD_CASE_OPS: ReadonlySet<string> = new Set(['sinh', 'cosh', 'tanh', 'atan2']);

/** `n` hard inputs for `op` (xs, and ys for atan2), or none for an op not in {@link HARD_CASE_OPS}. */
export function floatHardInputs(op: string, n: number, seed: number): { xs: Float64Array; ys: Float64Array } {
  if (!HARD_CASE_OPS.has(op)) return { xs: new Float64Array(0), ys: new Float64Array(0) };
  const next = prng(seed);
  const unit = () => next() / 2 ** 32;
  const sign = () => (next() & 1 ? -1 : 1);
  const logUniform = (lo: number, hi: number) => sign() * 2 ** (lo + (hi - lo) * unit());
  const uniform = (lo: number, hi: number) => sign() * (lo + (hi - lo) * unit());
  const subnormalOrSmall = () => sign() * (next() % 2 ? next() : next() * 2 ** 20 * 2 ** (next() % 40)) * 2 ** -1074;
  /** (y, x) from a scale x in 2^-20..2^20. */
  const pair = (f: (x: number) => [number, number]) => f(logUniform(-20, 20));
  const hyperbolic: (() => number)[] = [
    () => logUniform(-30, 0),
    () => uniform(0, 1),
    () => uniform(0, 3),
    () => uniform(2 ** -5 * 0.9, 2 ** -5 * 1.1),
    () => uniform(0, 40),
    () => uniform(19, 23),
    () => uniform(36, 38),
    () => uniform(700, 710.4768600739439),
  ];
  const atan2: (() => [number, number])[] = [
    () => pair((x) => [x * (1 + (unit() - 0.5) * 1e-3), x * sign()]),
    () => pair((x) => [x * logUniform(-3, 3), -Math.abs(x)]),
    () => pair((x) => [x * logUniform(-66, 66), x * sign()]),
    () => pair((x) => [x * logUniform(-30, 30), x * sign()]),
    () => [uniform(0, 100), uniform(0, 100)],
    () => [subnormalOrSmall(), subnormalOrSmall()],
  ];
  const xs = new Float64Array(n);
  const ys = new Float64Array(op === 'atan2' ? n : 0);
  for (let i = 0; i < n; i++) {
    if (op === 'atan2') [xs[i], ys[i]] = atan2[next() % atan2.length]!(); // (y, x): xs is atan2's y
    else xs[i] = hyperbolic[next() % hyperbolic.length]!();
  }
  return { xs, ys };
}
