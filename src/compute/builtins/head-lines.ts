/** head-lines@1: the first n lines of the input, like `head -n N`. */
import { intParam, type StreamingFunction, type Transformer } from '../function.js';
import { NEWLINE } from './bytes.js';
import { intAtLeast } from './params.js';

/**
 * `head-lines@1`: the input up to and including its n-th '\n', or all of it if it has fewer
 * lines. Like `head`, an unterminated final line is copied as is (no '\n' added). The
 * transformer reports `done` as soon as n lines are out, so the executor can stop reading.
 */
export const headLines: StreamingFunction = {
  name: 'head-lines',
  version: 1,
  kind: 'streaming',
  doc: 'the first n lines (head -n N)',
  params: {
    n: { type: 'int', doc: 'number of lines to keep', check: intAtLeast(0n) },
  },
  inputs: { min: 1, max: 1 },
  maxSize: (n) => n,
  start(params): Transformer {
    let remaining = intParam(params, 'n');
    return {
      get done() {
        return remaining === 0;
      },
      push(input) {
        if (remaining === 0) return [];
        let end = input.length;
        for (let nl = input.indexOf(NEWLINE); nl >= 0; nl = input.indexOf(NEWLINE, nl + 1)) {
          if (--remaining === 0) {
            end = nl + 1;
            break;
          }
        }
        return end > 0 ? [input.slice(0, end)] : [];
      },
      finish: () => [],
    };
  },
};
