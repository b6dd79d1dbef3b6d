/**
 * Accuracy of the float math against mpmath (python3-mpmath, arbitrary precision): for every
 * op, SAMPLE seeded inputs (test/helpers/float-inputs.ts: edge cases, raw bit patterns,
 * subnormals, each op's domain) with finite arguments, the error in ulps of the exact result.
 * The worst case per op, with its input, is printed as a TAP comment. Every op must stay within
 * 1 ulp except those listed in ABOVE_ONE_ULP, each with the bound measured and the reason; NaN
 * must come out exactly where the true result is undefined, and only there.
 * DERIVA_FLOAT_SEED picks another seed; DERIVA_FLOAT_ACCURACY_SAMPLE another sample size.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { FLOAT_OPS, floatMap } from '../../src/native/float.js';
import { floatInputs, floatSecondInputs, hexBits } from '../helpers/float-inputs.js';

const SAMPLE = Number(process.env.DERIVA_FLOAT_ACCURACY_SAMPLE ?? 20_000);
const SEED = Number(process.env.DERIVA_FLOAT_SEED ?? 20261121);
const SCRIPT = fileURLToPath(new URL('./float_accuracy.py', import.meta.url));

/**
 * Ops measured above 1 ulp with the default seed and sample: the largest error seen (rounded up
 * in the second decimal) and why. These do NOT meet the 1-ulp target; the entries exist so the
 * rest stay checked, and so that any further drift fails. Never raise a bound to make a run pass.
 */
const ABOVE_ONE_ULP: Readonly<Record<string, { readonly bound: number; readonly why: string }>> = {
  atan2: { bound: 1.19, why: "musl's atan2 divides y/x before atan: that rounding adds to atan's own" },
  sinh: { bound: 1.28, why: "musl's sinh is built from expm1: (t + t/(t+1)) / 2 rounds several times" },
  cosh: { bound: 1.13, why: "musl's cosh is 0.5 * (exp(x) + 1 / exp(x)) (expm1-based near 0): each step rounds" },
  tanh: { bound: 1.39, why: "musl's tanh is built from expm1: t / (t + 2) rounds twice" },
};

interface OpReport {
  measured: number;
  maxUlp: string;
  worst: { args: string[]; got: string; exact: string } | null;
  domainMismatches: { args: string[]; got: string }[];
}

async function measure(lines: string): Promise<Record<string, OpReport>> {
  const child = spawn('python3', [SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
  const out: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stdin.end(lines);
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`${SCRIPT} exited ${code}`);
  return JSON.parse(Buffer.concat(out).toString()) as Record<string, OpReport>;
}

function casesFor(name: string): string {
  const op = FLOAT_OPS.get(name)!;
  const xs = floatInputs(name, SAMPLE, SEED + op.code);
  const ys = op.arity === 2 ? floatSecondInputs(name, SAMPLE, SEED + op.code) : undefined;
  const out = floatMap(op, xs, ys);
  let text = '';
  for (let i = 0; i < xs.length; i++) {
    text += `${name} ${hexBits(xs[i]!)} ${ys ? `${hexBits(ys[i]!)} ` : ''}${hexBits(out[i]!)}\n`;
  }
  return text;
}

// One python process per op, two at a time: mpmath is the slow side.
const names = [...FLOAT_OPS.keys()];
const reports = new Map<string, Promise<OpReport | undefined>>();
const lanes: Promise<unknown>[] = [Promise.resolve(), Promise.resolve()];
names.forEach((name, i) => {
  const lane = i % lanes.length;
  const report = lanes[lane]!.then(() => measure(casesFor(name))).then((r) => r[name]);
  lanes[lane] = report.then(() => undefined, () => undefined);
  reports.set(name, report);
});

t.comment(`mpmath accuracy: seed ${SEED}, ${SAMPLE} inputs per op (finite arguments measured)`);

for (const name of names) {
  t.test(`${name}: within ${ABOVE_ONE_ULP[name]?.bound ?? 1} ulp of mpmath`, async (t) => {
    const r = (await reports.get(name))!;
    const worst = r.worst ? `${name}(${r.worst.args.join(', ')}) = ${r.worst.got}, exact ${r.worst.exact}` : 'exact everywhere';
    t.comment(`${name}: ${r.measured} measured, max ${Number(r.maxUlp).toFixed(4)} ulp at ${worst}`);
    if (ABOVE_ONE_ULP[name]) t.comment(`${name} is above 1 ulp: ${ABOVE_ONE_ULP[name].why}`);
    t.ok(r.measured > SAMPLE / 4, `${r.measured} finite cases measured`);
    t.ok(Number(r.maxUlp) <= (ABOVE_ONE_ULP[name]?.bound ?? 1), `max error ${r.maxUlp} ulp`);
    t.same(r.domainMismatches, [], 'NaN exactly where the true result is undefined');
  });
}
