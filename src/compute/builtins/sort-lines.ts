/** sort-lines@1: sorts lines bytewise, like `LC_ALL=C sort` (with -r and -u as options). */
import { boolParam, type WholeFunction } from '../function.js';
import { NEWLINE, view } from './bytes.js';
import { splitLines } from './lines.js';

/**
 * `sort-lines@1`: the input's lines in bytewise order (bytes compared unsigned, a prefix first),
 * each ending in '\n' (a final line without one gets one, as sort does). `reverse` gives
 * descending order (sort -r); `unique` keeps one of each run of equal lines (sort -u).
 */
export const sortLines: WholeFunction = {
  name: 'sort-lines',
  version: 1,
  kind: 'whole',
  doc: 'lines sorted bytewise (LC_ALL=C sort), optionally reversed and/or unique',
  params: {
    reverse: { type: 'bool', doc: 'descending order (sort -r)', default: false },
    unique: { type: 'bool', doc: 'drop repeated lines (sort -u)', default: false },
  },
  inputs: { min: 1, max: 1 },
  compute([input], params) {
    const sign = boolParam(params, 'reverse') ? -1 : 1;
    const lines = splitLines(input!).map(view);
    lines.sort((a, b) => sign * Buffer.compare(a, b));
    const kept = boolParam(params, 'unique') ? lines.filter((l, i) => i === 0 || !l.equals(lines[i - 1]!)) : lines;

    let size = 0;
    for (const l of kept) size += l.length + 1;
    const out = new Uint8Array(size);
    let at = 0;
    for (const l of kept) {
      out.set(l, at);
      at += l.length;
      out[at++] = NEWLINE;
    }
    return out;
  },
};
