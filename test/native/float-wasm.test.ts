/**
 * Bit-for-bit agreement of the addon's float math (x86_64, built by cargo) with the same Rust
 * sources compiled to wasm32 by Debian's rustc and run under Node's WebAssembly: 1,000,000
 * seeded inputs per op (edge cases, raw bit patterns, subnormals, each op's domain), every
 * result compared as 64 bits, NaN included. DERIVA_FLOAT_SEED picks another seed.
 */
import t from 'tap';
import { FLOAT_OPS, floatMap, floatStats } from '../../src/native/float.js';
import { floatInputs, floatSecondInputs, hexBits, prng } from '../helpers/float-inputs.js';
import { loadFloatWasm } from '../helpers/float-wasm.js';

const PER_OP = 1_000_000;
const SEED = Number(process.env.DERIVA_FLOAT_SEED ?? 20261121);
const wasm = loadFloatWasm();

/** Index of the first element whose bits differ, or -1. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  const x = new BigUint64Array(a.buffer, a.byteOffset, a.length);
  const y = new BigUint64Array(b.buffer, b.byteOffset, b.length);
  if (x.length !== y.length) return 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

t.comment(`seed ${SEED}, ${PER_OP} inputs per op`);

t.test('the addon and the wasm build have the same op table', async (t) => {
  t.equal(wasm.opCount, FLOAT_OPS.size);
});

for (const op of FLOAT_OPS.values()) {
  t.test(`${op.name}: addon and wasm agree on ${PER_OP} inputs`, async (t) => {
    const xs = floatInputs(op.name, PER_OP, SEED + op.code);
    const ys = op.arity === 2 ? floatSecondInputs(op.name, PER_OP, SEED + op.code) : new Float64Array(0);
    const native = floatMap(op, xs, op.arity === 2 ? ys : undefined);
    const inWasm = wasm.map(op.code, xs, ys);
    const at = firstDifference(native, inWasm);
    const args = at < 0 ? '' : op.arity === 2 ? `${hexBits(xs[at]!)}, ${hexBits(ys[at]!)}` : hexBits(xs[at]!);
    t.equal(at, -1, at < 0 ? 'all bits equal' : `${op.name}(${args}): addon ${hexBits(native[at]!)}, wasm ${hexBits(inWasm[at]!)}`);
    if (op.arity === 2) {
      // The broadcast form (one second operand for every element) takes its own path.
      const y = ys[0]!;
      t.equal(firstDifference(floatMap(op, xs, y), wasm.map(op.code, xs, Float64Array.of(y))), -1, 'broadcast agrees');
    }
  });
}

t.test('stats: addon and wasm agree on 2,000 random columns', async (t) => {
  const next = prng(SEED);
  let differing = 0;
  for (let i = 0; i < 2000; i++) {
    const xs = floatInputs('stats', next() % 300, SEED + i);
    // Half the columns without the raw bit patterns' NaNs and infinities, so sums stay finite.
    const column = i % 2 ? xs : xs.filter((x) => Number.isFinite(x) && Math.abs(x) < 1e300);
    const s = floatStats(column);
    const native = Float64Array.of(s.count, s.sum, s.mean, s.min, s.max, s.variance, s.stddev);
    if (firstDifference(native, wasm.stats(column)) >= 0) differing++;
  }
  t.equal(differing, 0, 'every column gives the same bits');
});
