/** stats@1: count, sum, mean, min, max, variance and stddev of one column of numbers. */
import { intParam, stringParam, type StreamingFunction } from '../function.js';
import type { PlainParam } from '../../core/recipe.js';
import { floatStats } from '../../native/float.js';
import { utf8 } from './bytes.js';
import { MAX_NUMBER_TEXT, formatNumber } from './decimal.js';
import { NumberedLines, numberAt } from './number-lines.js';
import { intAtLeast } from './params.js';

function checkDelimiter(value: PlainParam): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (utf8(value).length !== 1) return `must be exactly one byte (one ASCII character), got '${value}'`;
  return value === '\n' || value === '\r' ? 'must not be a line break' : undefined;
}

/** A growable column of doubles (8 bytes a row: the input text itself is never kept). */
class Column {
  private values = new Float64Array(1024);
  length = 0;

  add(x: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = x;
  }

  view(): Float64Array {
    return this.values.subarray(0, this.length);
  }
}

/**
 * `stats@1`: reads field `column` (1-based, split on `delimiter`) of every non-blank line as a
 * number (decimal.ts grammar; a trailing '\r' is ignored) and writes seven lines,
 * `count N`, `sum S`, `mean M`, `min A`, `max B`, `variance V`, `stddev D`, numbers in the
 * shortest round-trip form. The sum is the exact sum rounded once, so no order of the rows can
 * change any output bit; variance is the population variance (divisor n); see docs/float.md.
 * A line without that field, or whose field is not a number, fails the recipe, naming the line.
 */
export const stats: StreamingFunction = {
  name: 'stats',
  version: 1,
  kind: 'streaming',
  doc: 'count, sum, mean, min, max, variance, stddev of a column; exact sums, order-independent bits',
  usesFloat: true,
  params: {
    column: { type: 'int', doc: 'which field holds the numbers, 1-based', default: 1n, check: intAtLeast(1n) },
    delimiter: { type: 'string', doc: 'field separator, one byte', default: ',', check: checkDelimiter },
  },
  inputs: { min: 1, max: 1 },
  // Seven lines of at most "variance " + a number + '\n', whatever the input.
  maxSize: () => 7 * ('variance '.length + MAX_NUMBER_TEXT + 1),
  start(params) {
    const column = intParam(params, 'column');
    const delimiter = stringParam(params, 'delimiter');
    const lines = new NumberedLines();
    const values = new Column();
    const collect = (text: string, line: number): void => {
      if (text === '') return;
      const fields = text.split(delimiter);
      if (fields.length < column) {
        throw new Error(`line ${line}: has ${fields.length} field(s) split on '${delimiter}', no field ${column}`);
      }
      values.add(numberAt(fields[column - 1]!, line));
    };
    return {
      push(input) {
        lines.push(input, collect);
        return [];
      },
      finish() {
        lines.finish(collect);
        const s = floatStats(values.view());
        const rows: [string, number][] = [
          ['count', s.count], ['sum', s.sum], ['mean', s.mean], ['min', s.min],
          ['max', s.max], ['variance', s.variance], ['stddev', s.stddev],
        ];
        return [utf8(rows.map(([name, x]) => `${name} ${formatNumber(x)}\n`).join(''))];
      },
    };
  },
};
