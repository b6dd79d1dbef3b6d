/** repeat@1: the input repeated `count` times. */
import { intParam, type Segment, type StructuralFunction } from '../function.js';
import { intAtLeast } from './params.js';

/**
 * Most segments one layout may hold. The contract's layout is a flat segment list, so a repeat
 * costs one (shared) entry per copy; past this it would be a memory hazard rather than a view.
 */
export const MAX_REPEAT_SEGMENTS = 1 << 24;

/**
 * `repeat@1`: `count` copies of the input back to back. An empty input or a zero count gives
 * an empty layout, whatever the count, so huge counts of nothing cost nothing.
 */
export const repeat: StructuralFunction = {
  name: 'repeat',
  version: 1,
  kind: 'structural',
  doc: 'the input repeated count times',
  params: {
    count: { type: 'int', doc: 'number of copies', check: intAtLeast(0n) },
  },
  inputs: { min: 1, max: 1 },
  layout([size], params) {
    const count = intParam(params, 'count');
    if (size === 0 || count === 0) return [];
    if (count > MAX_REPEAT_SEGMENTS) {
      throw new RangeError(`repeat: count ${count} exceeds the ${MAX_REPEAT_SEGMENTS} copies a layout may hold`);
    }
    if (size! * count > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(`repeat: output of ${size} x ${count} bytes is too large`);
    }
    const copy: Segment = Object.freeze({ input: 0, offset: 0, length: size! });
    return new Array<Segment>(count).fill(copy);
  },
};
