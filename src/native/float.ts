/**
 * Deterministic f64 math from the native addon (native/src/float.rs): results are bit-identical
 * on every platform, because every function is musl's libm ported to plain Rust (sinh, cosh, tanh
 * and atan2: Deriva's own double-double versions), built from IEEE-754 basic operations only (no
 * fused multiply-add, no platform libm), and every NaN result is the one canonical NaN,
 * {@link CANONICAL_NAN_BITS}. Functions run a whole batch per call:
 * pass a Float64Array, get a new one back (inputs are read, never kept or modified).
 *
 * JS's own Math.sin & co are NOT deterministic across engines and platforms; a Deriva function
 * that computes with floats must do it through this module (and declare `usesFloat`).
 */
import { floatAddon } from './index.js';

/** The bits of every NaN this module returns: quiet, positive sign, zero payload. */
export const CANONICAL_NAN_BITS = 0x7ff8_0000_0000_0000n;

/** An operation of the float math: its op code in the addon, and 1 or 2 arguments. */
export interface FloatOp {
  readonly name: string;
  readonly code: number;
  readonly arity: 1 | 2;
}

/** Every operation by name: add sub mul div rem neg abs, sqrt cbrt, exp expm1 log log1p log2
 * log10 pow, sin cos tan asin acos atan atan2, sinh cosh tanh, hypot. */
export const FLOAT_OPS: ReadonlyMap<string, FloatOp> = new Map(
  floatAddon.FLOAT_OPS.split(',').map((entry, code) => {
    const [name, arity] = entry.split(':') as [string, string];
    return [name, { name, code, arity: arity === '2' ? 2 : 1 }];
  }),
);

/** The named op; a TypeError listing the valid names for anything else. */
export function floatOp(name: string): FloatOp {
  const op = FLOAT_OPS.get(name);
  if (!op) throw new TypeError(`unknown float op '${name}' (one of: ${[...FLOAT_OPS.keys()].join(', ')})`);
  return op;
}

function bytesOf(values: Float64Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** A Float64Array over `buf` (copied only if the addon's Buffer is not 8-byte aligned). */
function doublesOf(buf: Buffer): Float64Array {
  const aligned = buf.byteOffset % 8 === 0 ? buf : Uint8Array.prototype.slice.call(buf);
  return new Float64Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 8);
}

/**
 * `op` applied to each of `xs`. A binary op takes its second operand from `y`: one number for
 * every element, or a Float64Array of the same length as `xs` (element by element).
 */
export function floatMap(op: FloatOp, xs: Float64Array, y?: number | Float64Array): Float64Array {
  if (op.arity === 2 && y === undefined) throw new TypeError(`float op '${op.name}' takes a second operand`);
  const ys = y === undefined ? new Float64Array(0) : typeof y === 'number' ? Float64Array.of(y) : y;
  return doublesOf(floatAddon.floatApply(op.code, bytesOf(xs), bytesOf(ys)));
}

/** What {@link floatStats} computes; see native/src/stats.rs for the exact definitions. */
export interface FloatStats {
  readonly count: number;
  /** The exact sum, rounded once to nearest-even: independent of the order of `xs`. */
  readonly sum: number;
  /** sum / count (one IEEE division). */
  readonly mean: number;
  /** Smallest and largest; -0 counts below +0; NaN if any value is NaN. */
  readonly min: number;
  readonly max: number;
  /** Population variance: exact Σ (x - mean)², each square rounded, divided by count. */
  readonly variance: number;
  /** sqrt(variance). */
  readonly stddev: number;
}

/** Summary statistics of `xs`, identical bits whatever the order of `xs`. */
export function floatStats(xs: Float64Array): FloatStats {
  const v = doublesOf(floatAddon.floatStats(bytesOf(xs)));
  return { count: v[0]!, sum: v[1]!, mean: v[2]!, min: v[3]!, max: v[4]!, variance: v[5]!, stddev: v[6]! };
}
