/** replace@1: literal byte search-and-replace over a stream, like Python's `bytes.replace`. */
import { stringParam, type StreamingFunction } from '../function.js';
import { OutputBuffer, concatBytes, utf8, view } from './bytes.js';
import { nonEmptyString } from './params.js';

/**
 * `replace@1`: every non-overlapping occurrence of `from` (UTF-8 bytes), left to right, becomes
 * `to`. Up to `from.length - 1` trailing bytes are held back after each push, since they may
 * start a match that the next push completes; so matches spanning push boundaries are found.
 */
export const replace: StreamingFunction = {
  name: 'replace',
  version: 1,
  kind: 'streaming',
  doc: 'replace every occurrence of a literal string',
  params: {
    from: { type: 'string', doc: 'text to find (matched as UTF-8 bytes)', check: nonEmptyString },
    to: { type: 'string', doc: 'replacement text' },
  },
  inputs: { min: 1, max: 1 },
  maxSize(n, params) {
    // Every match removes at least `from.length` bytes and inserts `to`: at most n / |from| matches.
    const grow = utf8(stringParam(params, 'to')).length - utf8(stringParam(params, 'from')).length;
    return grow > 0 ? n + Math.floor(n / utf8(stringParam(params, 'from')).length) * grow : n;
  },
  start(params) {
    const from = utf8(stringParam(params, 'from'));
    const to = utf8(stringParam(params, 'to'));
    const out = new OutputBuffer();
    let carry = new Uint8Array(0);

    /** Emits `data` up to where a match could still be incomplete; keeps the rest as carry. */
    const scan = (data: Uint8Array, final: boolean): void => {
      const hay = view(data);
      let pos = 0;
      for (let m = hay.indexOf(from, pos); m >= 0; m = hay.indexOf(from, pos)) {
        out.add(data.subarray(pos, m));
        out.add(to);
        pos = m + from.length;
      }
      const keep = final ? 0 : Math.min(from.length - 1, data.length - pos);
      out.add(data.subarray(pos, data.length - keep));
      carry = data.slice(data.length - keep);
    };

    return {
      push(input) {
        scan(carry.length > 0 ? concatBytes([carry, input]) : input, false);
        return out.take();
      },
      finish() {
        scan(carry, true);
        return out.take();
      },
    };
  },
};
