/**
 * Writes test/fixtures/float-golden.json, the golden vectors of the deterministic float math:
 * for every op, inputs and the exact output bits (hex), from the edge cases of
 * test/helpers/float-inputs.ts plus seeded random inputs; and a few stats@1 columns.
 *
 *     node --import=@tapjs/typescript/import test/native/make-float-golden.ts > test/fixtures/float-golden.json
 *
 * Generated once, and again only when the math changed on purpose (pre-release: sinh, cosh,
 * tanh, atan2 in 60d3cef; only those ops' vectors changed). The fixture pins today's bits: a
 * change there changes the output bytes of stored fmap@1/stats@1 recipes, which must never
 * happen within a released version. Never regenerate it to make float-golden.test.ts pass.
 */
import { FLOAT_OPS, floatMap, floatStats, type FloatOp } from '../../src/native/float.js';
import { EDGE_CASES, floatInputs, floatSecondInputs, hexBits } from '../helpers/float-inputs.js';

const RANDOM_PER_OP = 120;

function unaryVectors(op: FloatOp): string[][] {
  const xs = Float64Array.from([...EDGE_CASES, ...floatInputs(op.name, RANDOM_PER_OP, 1000 + op.code)]);
  const ys = floatMap(op, xs);
  return Array.from(xs, (x, i) => [hexBits(x), hexBits(ys[i]!)]);
}

function binaryVectors(op: FloatOp): string[][] {
  // Every pair of a small edge set, then seeded random pairs.
  const small = EDGE_CASES.filter((_, i) => i % 4 === 0);
  const xs = [...small.flatMap((x) => small.map(() => x)), ...floatInputs(op.name, RANDOM_PER_OP, 1000 + op.code)];
  const ys = [...small.flatMap(() => small), ...floatSecondInputs(op.name, RANDOM_PER_OP, 1000 + op.code)];
  const out = floatMap(op, Float64Array.from(xs), Float64Array.from(ys));
  return xs.map((x, i) => [hexBits(x), hexBits(ys[i]!), hexBits(out[i]!)]);
}

function statsVectors(): { inputs: string[]; outputs: string[] }[] {
  return [0, 1, 2, 7, 100, 1000].map((n) => {
    const xs = floatInputs('stats', n, 77 + n).filter((x) => n < 100 || (Number.isFinite(x) && Math.abs(x) < 1e300));
    const s = floatStats(xs);
    return { inputs: Array.from(xs, hexBits), outputs: [s.count, s.sum, s.mean, s.min, s.max, s.variance, s.stddev].map(hexBits) };
  });
}

const ops = Object.fromEntries([...FLOAT_OPS.values()].map((op) => [op.name, op.arity === 1 ? unaryVectors(op) : binaryVectors(op)]));
const golden = {
  about: 'Deterministic float golden vectors: op -> [input bits..., output bits] as 16 hex digits (big-endian IEEE-754 binary64). Made by test/native/make-float-golden.ts; never regenerate.',
  canonicalNan: '7ff8000000000000',
  ops,
  stats: statsVectors(),
};
// One vector per line: reviewable diffs, and a fixture a person can grep.
const text = JSON.stringify(golden, null, 1).replace(/\[\s+("[0-9a-f]{16}",?\s*)+\]/g, (v) => v.replace(/\s+/g, ''));
process.stdout.write(`${text}\n`);
