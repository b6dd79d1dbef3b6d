/** grep@1: keeps the lines containing a literal string, like `LC_ALL=C grep -F` (or `-vF`). */
import { boolParam, stringParam, type StreamingFunction } from '../function.js';
import { utf8, view } from './bytes.js';
import { mapLines } from './lines.js';

/**
 * `grep@1`: whole lines (with their '\n') that contain `pattern`, or with `invert` those that
 * do not. As with `grep -F`, a pattern holding newlines is a list of patterns (a line matches
 * if it contains any), and the empty pattern matches every line. A final line without '\n' is
 * emitted with one. Input is always treated as text (as `grep -a`): grep's "binary file
 * matches" summary is a terminal convenience, not a transformation.
 */
export const grep: StreamingFunction = {
  name: 'grep',
  version: 1,
  kind: 'streaming',
  doc: 'lines containing a literal string (grep -F), or not containing it (invert)',
  params: {
    pattern: { type: 'string', doc: 'literal text to find; newlines separate alternatives' },
    invert: { type: 'bool', doc: 'keep the lines that do not match (grep -v)', default: false },
  },
  inputs: { min: 1, max: 1 },
  maxSize: (n) => n + 1, // every line kept, plus the '\n' an unterminated last line gets
  start(params) {
    const patterns = stringParam(params, 'pattern').split('\n').map(utf8);
    const invert = boolParam(params, 'invert');
    const matchesAll = patterns.some((p) => p.length === 0);
    const matches = (line: Uint8Array): boolean => {
      if (matchesAll) return true;
      const hay = view(line);
      return patterns.some((p) => hay.indexOf(p) >= 0);
    };
    return mapLines((line) => (matches(line) !== invert ? line : undefined));
  },
};
