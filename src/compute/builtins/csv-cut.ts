/** csv-cut@1: selects delimited fields from each line, like `cut -d, -f LIST`. */
import { stringParam, type StreamingFunction } from '../function.js';
import type { PlainParam } from '../../core/recipe.js';
import { OutputBuffer, utf8 } from './bytes.js';
import { parseFieldList, type FieldRange } from './field-list.js';
import { mapLines } from './lines.js';

function checkFields(value: PlainParam): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  const parsed = parseFieldList(value);
  return typeof parsed === 'string' ? parsed : undefined;
}

function checkDelimiter(value: PlainParam): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (utf8(value).length !== 1) return `must be exactly one byte (one ASCII character), got '${value}'`;
  return value === '\n' ? 'must not be a newline: lines are split on it' : undefined;
}

/** The selected fields of `line`, joined by `delim`; the line itself when it has no `delim`. */
function cutLine(line: Uint8Array, delim: Uint8Array, ranges: readonly FieldRange[]): Uint8Array {
  if (line.indexOf(delim[0]!) < 0) return line;
  const out = new OutputBuffer();
  let field = 1;
  let r = 0;
  let first = true;
  for (let start = 0; start <= line.length && r < ranges.length; field++) {
    let end = line.indexOf(delim[0]!, start);
    if (end < 0) end = line.length;
    if (field >= ranges[r]!.first) {
      if (!first) out.add(delim);
      out.add(line.subarray(start, end));
      first = false;
      if (field >= ranges[r]!.last) r++;
    }
    start = end + 1;
  }
  return out.take()[0] ?? new Uint8Array(0);
}

/**
 * `csv-cut@1`: for each line, the fields listed in `fields` (cut syntax: "1,3", "2-4", "3-",
 * "-2"), in increasing field order whatever order they are listed in, joined by the delimiter.
 * Lines without the delimiter pass whole; a final line without '\n' gets one. There is no CSV
 * quoting: a quoted delimiter still splits, exactly as in cut.
 */
export const csvCut: StreamingFunction = {
  name: 'csv-cut',
  version: 1,
  kind: 'streaming',
  doc: 'select fields of delimited lines (cut -d, -f LIST)',
  params: {
    fields: { type: 'string', doc: 'fields to keep, 1-based: "1,3", "2-4", "3-", "-2"', check: checkFields },
    delimiter: { type: 'string', doc: 'field separator, one byte', default: ',', check: checkDelimiter },
  },
  inputs: { min: 1, max: 1 },
  maxSize: (n) => n + 1, // a line never grows; an unterminated last line gets its '\n'
  start(params) {
    const ranges = parseFieldList(stringParam(params, 'fields'));
    if (typeof ranges === 'string') throw new TypeError(`param 'fields': ${ranges}`);
    const delim = utf8(stringParam(params, 'delimiter'));
    return mapLines((line) => cutLine(line, delim, ranges));
  },
};
