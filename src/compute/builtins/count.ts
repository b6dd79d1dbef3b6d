/** count@1: line, word and byte counts, as `LC_ALL=C wc` prints them but without padding. */
import type { StreamingFunction } from '../function.js';
import { byteTable, utf8 } from './bytes.js';

/** 1 for the C locale's whitespace bytes: space, \t, \n, \v, \f, \r. */
const SPACE = byteTable((b) => (b === 0x20 || (b >= 0x09 && b <= 0x0d) ? 1 : 0));

/**
 * `count@1`: `"<lines> <words> <bytes>\n"`. Lines are '\n' bytes; words are maximal runs of
 * non-whitespace bytes, any byte but the six above counting (NUL and bytes >= 0x80 included).
 * coreutils 9.1 `wc` differs there: it starts a word only at a printable byte, so a run of
 * only non-printable bytes is no word to it. The in-word state carries across pushes, so a
 * word split by a push boundary counts once.
 */
export const count: StreamingFunction = {
  name: 'count',
  version: 1,
  kind: 'streaming',
  doc: 'line, word and byte counts: "<lines> <words> <bytes>\\n" (wc)',
  params: {},
  inputs: { min: 1, max: 1 },
  maxSize: (n) => 3 * String(n).length + 3, // each count is at most n
  start() {
    let lines = 0;
    let words = 0;
    let bytes = 0;
    let inWord = false;
    return {
      push(input) {
        for (let i = 0; i < input.length; i++) {
          const b = input[i]!;
          if (SPACE[b] === 1) {
            if (b === 0x0a) lines++;
            inWord = false;
          } else if (!inWord) {
            inWord = true;
            words++;
          }
        }
        bytes += input.length;
        return [];
      },
      finish: () => [utf8(`${lines} ${words} ${bytes}\n`)],
    };
  },
};
