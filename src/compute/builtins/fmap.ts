/** fmap@1: one deterministic float function applied to every number of a column of lines. */
import { stringParam, type Params, type StreamingFunction } from '../function.js';
import type { PlainParam } from '../../core/recipe.js';
import { FLOAT_OPS, floatMap, floatOp } from '../../native/float.js';
import { MAX_NUMBER_TEXT, formatNumber, parseNumber } from './decimal.js';
import { NumberedLines, numberAt } from './number-lines.js';

function checkOp(value: PlainParam): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  return FLOAT_OPS.has(value) ? undefined : `unknown op '${value}' (one of: ${[...FLOAT_OPS.keys()].join(', ')})`;
}

function checkArg(value: PlainParam): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value === '' || parseNumber(value) !== undefined) return undefined;
  return `'${value}' is not a number (a decimal such as -1.5e3, or inf, -inf, nan)`;
}

/** A binary op needs `arg`, a unary one must not have it (it would mean nothing). */
function checkOpArg(params: Params): { param: string; message: string } | undefined {
  const op = FLOAT_OPS.get(stringParam(params, 'op'));
  const arg = stringParam(params, 'arg');
  if (op?.arity === 2 && arg === '') return { param: 'arg', message: `required by the binary op '${op.name}'` };
  if (op?.arity === 1 && arg !== '') return { param: 'arg', message: `the unary op '${op.name}' takes no arg` };
  return undefined;
}

/**
 * `fmap@1`: each line holds one number (decimal.ts has the exact grammar; a trailing '\r' is
 * ignored); the output line is `op(x)`, or `op(x, arg)` for a binary op, in shortest
 * round-trip form. A blank line gives a blank line, so output lines match input lines one for
 * one; a final line without '\n' gets one. A malformed line fails the recipe, naming the line.
 * The math is the addon's software libm: the same bits on every machine.
 */
export const fmap: StreamingFunction = {
  name: 'fmap',
  version: 1,
  kind: 'streaming',
  doc: 'op(x) (or op(x, arg)) for the number on each line, bit-reproducible software math',
  usesFloat: true,
  params: {
    op: {
      type: 'string',
      doc: 'add sub mul div rem neg abs sqrt cbrt exp expm1 log log1p log2 log10 pow sin cos tan asin acos atan atan2 sinh cosh tanh hypot',
      check: checkOp,
    },
    arg: { type: 'string', doc: 'second operand of a binary op (x op arg), a number', default: '', check: checkArg },
  },
  checkParams: checkOpArg,
  inputs: { min: 1, max: 1 },
  // A number line takes at least 2 input bytes ("1\n"; the last may lack its '\n') and gives at
  // most MAX_NUMBER_TEXT + 1; a blank line gives what it takes.
  maxSize: (inputSize) => (MAX_NUMBER_TEXT + 1) * (Math.floor(inputSize / 2) + 1),
  start(params) {
    const op = floatOp(stringParam(params, 'op'));
    const arg = op.arity === 2 ? parseNumber(stringParam(params, 'arg')) : undefined; // checked at registration
    const lines = new NumberedLines();
    /** The numbers of the lines one push completed; undefined for a blank line. */
    const batch: (number | undefined)[] = [];
    const collect = (text: string, line: number): void => {
      batch.push(text === '' ? undefined : numberAt(text, line));
    };
    // One native call per push: the lines a push completed, blank ones kept as blank.
    const flush = (): Uint8Array[] => {
      if (batch.length === 0) return [];
      const xs = Float64Array.from(batch.filter((x): x is number => x !== undefined));
      const ys = floatMap(op, xs, arg);
      let next = 0;
      const text = batch.map((x) => (x === undefined ? '\n' : `${formatNumber(ys[next++]!)}\n`)).join('');
      batch.length = 0;
      return [Buffer.from(text, 'latin1')];
    };
    return {
      push(input) {
        lines.push(input, collect);
        return flush();
      },
      finish() {
        lines.finish(collect);
        return flush();
      },
    };
  },
};
