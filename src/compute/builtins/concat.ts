/** concat@1: joins its inputs in recipe order, optionally with a separator between them. */
import { stringParam, type Segment, type StructuralFunction } from '../function.js';
import { utf8 } from './bytes.js';
import { inputRange } from './segments.js';

/**
 * `concat@1`: inputs back to back, with `sep` (UTF-8, default empty) between each pair, as
 * `sep.join(inputs)` would. The separator also stands between empty inputs.
 */
export const concat: StructuralFunction = {
  name: 'concat',
  version: 1,
  kind: 'structural',
  doc: 'inputs joined in order, with an optional separator between them',
  params: {
    sep: { type: 'string', doc: 'bytes (UTF-8) inserted between consecutive inputs', default: '' },
  },
  inputs: { min: 1 },
  layout(sizes, params) {
    const sep = utf8(stringParam(params, 'sep'));
    const segments: Segment[] = [];
    sizes.forEach((size, i) => {
      if (i > 0 && sep.length > 0) segments.push({ bytes: sep });
      segments.push(...inputRange(i, 0, size));
    });
    return segments;
  },
};
