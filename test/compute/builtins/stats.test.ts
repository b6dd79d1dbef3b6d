/**
 * stats@1: every output line checked byte for byte against Python (math.fsum, which is exactly
 * rounded, cross-checked with fractions.Fraction), and identical output for any row order.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { formatNumber } from '../../../src/compute/builtins/decimal.js';
import { stats } from '../../../src/compute/builtins/stats.js';
import { floatInputs } from '../../helpers/float-inputs.js';
import { enc, prng, python, run, runSplits } from './helpers.js';

const FORMAT_PY = readFileSync(new URL('./float_format.py', import.meta.url), 'utf8');

/** The documented definitions, computed by Python from the numbers on stdin (one per line). */
const REFERENCE_PY = `${FORMAT_PY}
import math
from fractions import Fraction
xs = [float(l) for l in data.decode().split('\\n') if l]
n = len(xs)
s = math.fsum(xs)
assert s == float(sum(Fraction(x) for x in xs)), 'fsum is exactly rounded'
mean = s / n
var = math.fsum((x - mean) * (x - mean) for x in xs) / n
rows = [('count', float(n)), ('sum', s), ('mean', mean), ('min', min(xs)), ('max', max(xs)),
        ('variance', var), ('stddev', math.sqrt(var))]
sys.stdout.write(''.join('%s %s\\n' % (k, fmt(v)) for k, v in rows))
`;

/** A column mixing magnitudes from 2^-60 to 2^60 with exact cancellations, as text lines. */
function column(seed: number, n: number): string[] {
  const next = prng(seed);
  const xs = Array.from(floatInputs('stats', n, seed).filter((x) => Number.isFinite(x) && Math.abs(x) < 2 ** 500));
  for (let i = 0; i < n / 4; i++) xs.push(-xs[Math.floor(next() * xs.length)]!);
  return xs.map(formatNumber);
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const next = prng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

t.test('stats matches fsum/Fraction-based Python byte for byte, in any row order', async (t) => {
  for (const [seed, n] of [[1, 1], [2, 2], [3, 10], [4, 1000], [5, 20000]] as const) {
    const lines = column(seed, n);
    const input = `${lines.join('\n')}\n`;
    const ours = runSplits(stats, enc(input), {}, seed);
    t.equal(ours.toString(), (await python(REFERENCE_PY, enc(input))).toString(), `${lines.length} rows`);
    for (const order of [1, 2, 3]) {
      const other = run(stats, [enc(shuffled(lines, order).join('\n'))]);
      t.ok(other.equals(ours), `${lines.length} rows, shuffle ${order}: same bytes`);
    }
  }
});

t.test('stats reads the chosen column and skips blank lines', async (t) => {
  const input = 'a;1;x\r\n\nb;2.5;y\nc;-0.5;z';
  t.equal(run(stats, [enc(input)], { column: 2n, delimiter: ';' }).toString(),
    'count 3\nsum 3\nmean 1\nmin -0.5\nmax 2.5\nvariance 1.5\nstddev 1.224744871391589\n');
  t.equal(run(stats, [enc('')]).toString(), 'count 0\nsum 0\nmean nan\nmin nan\nmax nan\nvariance nan\nstddev nan\n');
  t.equal(run(stats, [enc('0\n-0\n')]).toString(), 'count 2\nsum 0\nmean 0\nmin -0\nmax 0\nvariance 0\nstddev 0\n');
  t.equal(run(stats, [enc('1\ninf\n')]).toString(), 'count 2\nsum inf\nmean inf\nmin 1\nmax inf\nvariance nan\nstddev nan\n');
  t.equal(run(stats, [enc('1e308\n1e308\n-1e308\n')]).toString().split('\n')[1], 'sum 1e+308', 'no overflow midway');
});

t.test('a bad line fails with its line number, however the input is pushed', async (t) => {
  t.throws(() => runSplits(stats, enc('1,2\n3,4\n5\n'), { column: 2n }, 3), { message: /^line 3: has 1 field\(s\) split on ',', no field 2$/ });
  t.throws(() => runSplits(stats, enc('1\n\n2\nabc\n'), {}, 3), { message: /^line 4: 'abc' is not a number/ });
  const delimiter = stats.params.delimiter!.check!;
  t.match(delimiter(';;'), /exactly one byte/);
  t.match(delimiter('\r'), /line break/);
  t.match(stats.params.column!.check!(0n), /must be >= 1/);
});
