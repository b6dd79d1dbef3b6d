/** slice@1: a byte range of the input, like `tail -c +OFFSET+1 | head -c LENGTH`. */
import { intParam, type StructuralFunction } from '../function.js';
import { intAtLeast } from './params.js';
import { inputRange } from './segments.js';

/**
 * `slice@1`: `length` bytes of the input starting at `offset`, clamped to the input's end (an
 * offset past the end gives empty output rather than an error, as `tail -c` does).
 */
export const slice: StructuralFunction = {
  name: 'slice',
  version: 1,
  kind: 'structural',
  doc: 'length bytes of the input from offset, clamped to its end',
  params: {
    offset: { type: 'int', doc: 'first byte to keep (0-based)', check: intAtLeast(0n) },
    length: { type: 'int', doc: 'number of bytes to keep', check: intAtLeast(0n) },
  },
  inputs: { min: 1, max: 1 },
  layout([size], params) {
    const start = Math.min(intParam(params, 'offset'), size!);
    return inputRange(0, start, Math.min(intParam(params, 'length'), size! - start));
  },
};
