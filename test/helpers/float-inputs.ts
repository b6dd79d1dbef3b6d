/**
 * Inputs for testing the float math: a seeded generator (the same seed gives the same inputs
 * on any machine) mixing raw random bit patterns (every exponent, NaN payloads, infinities),
 * subnormals, values of moderate size, values within each op's interesting domain, and a fixed
 * list of edge cases (signed zeros, extremes, huge arguments to sin/cos, overflow thresholds).
 */

/** sfc32: a small, fast, seedable PRNG of 32-bit words. */
export function prng(seed: number): () => number {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 16; i++) next();
  return next;
}

const scratch = new DataView(new ArrayBuffer(8));

function fromWords(hi: number, lo: number): number {
  scratch.setUint32(0, hi);
  scratch.setUint32(4, lo);
  return scratch.getFloat64(0);
}

/** The bits of `x` as 16 hex digits. */
export function hexBits(x: number): string {
  scratch.setFloat64(0, x);
  return scratch.getBigUint64(0).toString(16).padStart(16, '0');
}

export function fromHexBits(hex: string): number {
  scratch.setBigUint64(0, BigInt(`0x${hex}`));
  return scratch.getFloat64(0);
}

const MAX_SUBNORMAL = fromWords(0x000fffff, 0xffffffff);
const MIN_NORMAL = 2 ** -1022;

/** Values every function is checked at, whatever its domain. */
export const EDGE_CASES: readonly number[] = (() => {
  const base = [
    0, 1, 0.5, 2, 3, 10, Math.PI, Math.PI / 2, Math.PI / 4, Math.E, Math.LN2, 1 - 2 ** -53, 1 + 2 ** -52,
    Infinity, Number.MAX_VALUE, MIN_NORMAL, MAX_SUBNORMAL, Number.MIN_VALUE, 2 ** -1060, 2 ** -30, 2 ** -28,
    1e22, 2 ** 52, 2 ** 53, 2 ** 60, 2 ** 120, 1e300, 2 ** 1023, 3 * 2 ** 1021, 1.7976931348623157e308 / 3,
    6381956970095103 * 2 ** 797, 5.319372648326541e255, 709.782712893384, 709.7827128933841, 710, 710.4758600739439,
    745.1332191019411, 744.4400719213812, 1074, 1075, 1e-300, 0.7, 0.9999999999999999, 1.0000000000000002,
    0.125, 0.2, 0.25, 0.3, 0.1, 22, 36, 40, 1e-8, 2 ** -27,
  ];
  const out = [NaN, fromWords(0x7ff00000, 1), fromWords(0xfff80000, 0xdeadbeef)];
  for (const x of base) out.push(x, -x);
  return out;
})();

/** Where an op's inputs are most interesting: |x| up to this covers its whole range. */
const DOMAIN: Readonly<Record<string, number>> = {
  asin: 1, acos: 1, atanh: 1, exp: 750, expm1: 750, sinh: 720, cosh: 720, tanh: 25, sin: 1e6, cos: 1e6, tan: 1e6,
};

/**
 * `n` inputs for `op`: 10% edge cases, 25% random bit patterns, 10% subnormals, 25% random
 * magnitudes 2^-64..2^64, 30% uniform over the op's domain (see {@link DOMAIN}, default ±100).
 */
export function floatInputs(op: string, n: number, seed: number): Float64Array {
  const next = prng(seed);
  const unit = () => next() / 2 ** 32;
  const domain = DOMAIN[op] ?? 100;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const pick = unit();
    if (pick < 0.1) out[i] = EDGE_CASES[next() % EDGE_CASES.length]!;
    else if (pick < 0.35) out[i] = fromWords(next(), next());
    else if (pick < 0.45) out[i] = fromWords((next() & 0x800fffff) >>> 0, next());
    else if (pick < 0.7) out[i] = (next() & 1 ? -1 : 1) * (1 + unit()) * 2 ** ((next() % 129) - 64);
    else out[i] = (2 * unit() - 1) * domain;
  }
  return out;
}

/** Second operands for a binary op: like {@link floatInputs}, plus small integers and halves for pow. */
export function floatSecondInputs(op: string, n: number, seed: number): Float64Array {
  const ys = floatInputs(op, n, seed ^ 0x5bd1e995);
  if (op === 'pow') {
    const next = prng(seed ^ 0x1b873593);
    for (let i = 0; i < n; i++) if (next() % 4 === 0) ys[i] = ((next() % 41) - 20) / (next() % 2 ? 1 : 2);
  }
  return ys;
}
