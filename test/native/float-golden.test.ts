/**
 * Golden vectors: test/fixtures/float-golden.json pins the exact output bits of every float op
 * (and of stats) for edge cases and seeded random inputs, so any change in the math (a libm
 * upgrade, a compiler or flag change, a new platform) fails here. The addon and the wasm build
 * are both checked against it. The fixture comes from test/native/make-float-golden.ts and is
 * never regenerated to make this pass.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { FLOAT_OPS, floatMap, floatStats } from '../../src/native/float.js';
import { loadFloatWasm } from '../helpers/float-wasm.js';

interface Golden {
  canonicalNan: string;
  ops: Record<string, string[][]>;
  stats: { inputs: string[]; outputs: string[] }[];
}

const golden = JSON.parse(readFileSync(new URL('../fixtures/float-golden.json', import.meta.url), 'utf8')) as Golden;
const wasm = loadFloatWasm();

/** Doubles with exactly these bits (built as integers: no NaN payload passes through a JS number). */
function fromBits(hex: readonly string[]): Float64Array {
  return new Float64Array(BigUint64Array.from(hex, (h) => BigInt(`0x${h}`)).buffer);
}

function toBits(values: Float64Array): string[] {
  return Array.from(new BigUint64Array(values.buffer, values.byteOffset, values.length), (b) => b.toString(16).padStart(16, '0'));
}

/** Rows of `expected` that `actual` gets wrong, as readable lines (at most 5). */
function mismatches(rows: readonly string[][], actual: readonly string[]): string[] {
  return rows.flatMap((row, i) => (row.at(-1) === actual[i] ? [] : [`(${row.slice(0, -1).join(', ')}) -> ${actual[i]}, golden ${row.at(-1)}`])).slice(0, 5);
}

t.test('the fixture covers every op, and only ops that exist', async (t) => {
  t.same(Object.keys(golden.ops).sort(), [...FLOAT_OPS.keys()].sort());
  t.equal(golden.canonicalNan, '7ff8000000000000');
});

for (const [name, rows] of Object.entries(golden.ops)) {
  t.test(`${name}: ${rows.length} golden vectors, addon and wasm`, async (t) => {
    const op = FLOAT_OPS.get(name)!;
    const xs = fromBits(rows.map((r) => r[0]!));
    const ys = op.arity === 2 ? fromBits(rows.map((r) => r[1]!)) : new Float64Array(0);
    t.same(mismatches(rows, toBits(floatMap(op, xs, op.arity === 2 ? ys : undefined))), [], 'addon');
    t.same(mismatches(rows, toBits(wasm.map(op.code, xs, ys))), [], 'wasm');
  });
}

t.test('stats golden vectors, addon and wasm', async (t) => {
  for (const { inputs, outputs } of golden.stats) {
    const s = floatStats(fromBits(inputs));
    t.same(toBits(Float64Array.of(s.count, s.sum, s.mean, s.min, s.max, s.variance, s.stddev)), outputs, `${inputs.length} rows, addon`);
    t.same(toBits(wasm.stats(fromBits(inputs))), outputs, `${inputs.length} rows, wasm`);
  }
});

t.test('every NaN in the golden outputs is the canonical one', async (t) => {
  const isNan = (h: string) => (BigInt(`0x${h}`) & 0x7fff_ffff_ffff_ffffn) > 0x7ff0_0000_0000_0000n;
  const outputs = [...Object.values(golden.ops).flatMap((rows) => rows.map((r) => r.at(-1)!)), ...golden.stats.flatMap((s) => s.outputs)];
  const nans = outputs.filter(isNan);
  t.ok(nans.length > 100, `${nans.length} NaN outputs`);
  t.same([...new Set(nans)], [golden.canonicalNan]);
});
