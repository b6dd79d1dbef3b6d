/**
 * fmap@1: line handling, params, and the exact number text in both directions, checked
 * against an independent implementation in Python (correctly rounded float() for reading,
 * shortest-repr digits laid out as documented for writing).
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { MAX_NUMBER_TEXT, formatNumber, parseNumber } from '../../../src/compute/builtins/decimal.js';
import { fmap } from '../../../src/compute/builtins/fmap.js';
import { normalizeParams } from '../../../src/compute/params.js';
import type { ParamValue } from '../../../src/core/recipe.js';
import { FLOAT_OPS, floatMap } from '../../../src/native/float.js';
import { floatInputs } from '../../helpers/float-inputs.js';
import { enc, prng, python, run, runSplits } from './helpers.js';

const FORMAT_PY = readFileSync(new URL('./float_format.py', import.meta.url), 'utf8');

/** Runs Python over stdin lines with `fmt` (float_format.py) in scope. */
function withFormat(code: string, input: string): Promise<Buffer> {
  return python(`${FORMAT_PY}\nlines = data.decode().split('\\n')[:-1]\n${code}`, enc(input));
}

const f = (input: string, op: string, arg?: string) => run(fmap, [enc(input)], arg === undefined ? { op } : { op, arg }).toString();

t.test('fmap maps each line, keeps blank lines, accepts CRLF and a last line without newline', async (t) => {
  t.equal(f('4\n2.25\n0\n-0\n', 'sqrt'), '2\n1.5\n0\n-0\n');
  t.equal(f('1\n\n3', 'mul', '2'), '2\n\n6\n', 'blank stays blank; final newline added');
  t.equal(f('1\r\n2\r\n\r\n', 'neg'), '-1\n-2\n\n', 'CR before LF ignored');
  t.equal(f('-1\n0\n1e400\n-inf\nnan\n', 'log'), 'nan\n-inf\ninf\nnan\nnan\n');
  t.equal(f('1\n-1\n0\n-0\n', 'div', '0'), 'inf\n-inf\nnan\nnan\n');
  t.equal(f('2\n', 'pow', '0.5'), '1.4142135623730951\n');
  t.equal(f('3\n', 'atan2', '-0'), '1.5707963267948966\n');
  t.equal(f('', 'exp'), '', 'empty input, empty output');
});

t.test('a malformed line fails with its line number, however the input is pushed', async (t) => {
  for (const bad of [' 1', '1 ', '0x10', 'Infinity', 'NaN', '1e', '.', '+', '1,5', '--1', 'inf ', 'é', '1e+']) {
    const input = enc(`1\n2\n\n${bad}\n5\n`);
    t.throws(() => runSplits(fmap, input, { op: 'abs' }, 7), { message: /^line 4: '.*' is not a number/ }, JSON.stringify(bad));
  }
});

t.test('params: op must exist; binary ops need arg, unary ops refuse it', async (t) => {
  const check = (params: Record<string, string>) => () =>
    normalizeParams(fmap, new Map(Object.entries(params).map(([k, v]): [string, ParamValue] => [k, { type: 'string', value: v }])));
  t.throws(check({ op: 'gamma' }), { code: 'BAD_PARAM', message: /param 'op': unknown op 'gamma' \(one of: add, / });
  t.throws(check({ op: 'pow' }), { code: 'BAD_PARAM', message: /param 'arg': required by the binary op 'pow'/ });
  t.throws(check({ op: 'sin', arg: '2' }), { code: 'BAD_PARAM', message: /param 'arg': the unary op 'sin' takes no arg/ });
  t.throws(check({ op: 'add', arg: 'x' }), { code: 'BAD_PARAM', message: /param 'arg': 'x' is not a number/ });
  t.equal(check({ op: 'add', arg: '-1.5e3' })().get('arg')?.value, '-1.5e3');
  t.equal(check({ op: 'sin' })().get('arg')?.value, '', 'absent arg is canonical ""');
  t.equal(fmap.params.op!.doc.split(' ').sort().join(' '), [...FLOAT_OPS.keys()].sort().join(' '), 'op doc lists every op');
});

t.test('fmap output is the native math, however the input is pushed', async (t) => {
  const xs = floatInputs('sin', 5000, 3);
  const text = Array.from(xs, formatNumber).join('\n');
  const out = runSplits(fmap, enc(text), { op: 'sin' }, 11).toString();
  const parsed = Float64Array.from(xs, (x) => parseNumber(formatNumber(x))!);
  const expected = Array.from(floatMap(FLOAT_OPS.get('sin')!, parsed), (y) => `${formatNumber(y)}\n`).join('');
  t.equal(out, expected);
});

t.test('numbers read correctly rounded and written in the documented form (vs Python)', async (t) => {
  const next = prng(42);
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 10)).join('');
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const sign = ['', '-', '+'][Math.floor(next() * 3)]!;
    const mantissa = next() < 0.5 ? digits(1 + Math.floor(next() * 40)) : `${digits(Math.floor(next() * 5))}.${digits(1 + Math.floor(next() * 30))}`;
    const exp = next() < 0.3 ? '' : `${next() < 0.5 ? 'e' : 'E'}${['', '-', '+'][Math.floor(next() * 3)]}${Math.floor(next() * 330)}`;
    lines.push(sign + mantissa + exp);
  }
  // Halfway cases between neighbouring doubles, where only correct rounding gets it right.
  lines.push('9007199254740993', '9007199254740995', '1.00000000000000011102230246251565404236316680908203125',
    '2.4703282292062327e-324', '2.4703282292062328e-324', '1.7976931348623158e308', '1.7976931348623157e308');
  const input = `${lines.join('\n')}\n`;
  const ours = run(fmap, [enc(input)], { op: 'mul', arg: '1' }).toString();
  const python = await withFormat("sys.stdout.write(''.join(fmt(float(l)) + '\\n' for l in lines))", input);
  t.equal(ours, python.toString(), 'every line: same double, same text');
});

t.test('written form round-trips every double bit pattern (vs Python)', async (t) => {
  const xs = floatInputs('neg', 20000, 5);
  const input = `${Array.from(xs, formatNumber).join('\n')}\n`;
  const ours = run(fmap, [enc(input)], { op: 'neg' }).toString();
  const python = await withFormat("sys.stdout.write(''.join(fmt(-float(l)) + '\\n' for l in lines))", input);
  t.equal(ours, python.toString());
  const again = run(fmap, [enc(ours)], { op: 'neg' }).toString();
  const back = run(fmap, [enc(again)], { op: 'neg' }).toString();
  t.equal(back, ours, 'reading what was written gives the same double back');
});

t.test('maxSize bounds the output even for the longest numbers from the shortest lines', async (t) => {
  const longest = floatInputs('neg', 200_000, 9).reduce((most, x) => Math.max(most, formatNumber(x).length), 0);
  t.ok(longest <= MAX_NUMBER_TEXT, `no written number is longer than MAX_NUMBER_TEXT (longest seen: ${longest})`);
  t.equal(formatNumber(-1.2345678901234567e-6).length, MAX_NUMBER_TEXT, 'and one reaches it');
  const input = enc(`${'1\n'.repeat(1000)}\n\n1`);
  // run() checks every output against fmap.maxSize; these outputs are 26 bytes per 2-byte line.
  const out = run(fmap, [input], { op: 'mul', arg: '-1.2345678901234567e-6' });
  t.equal(out.length, 1001 * (MAX_NUMBER_TEXT + 1) + 2);
  t.equal(out.length <= fmap.maxSize(input.length, new Map()), true);
});
