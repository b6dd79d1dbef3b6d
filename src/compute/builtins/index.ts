/** The builtin compute functions, for the registry to load. */
import type { ComputeFunction } from '../function.js';
import { testFunctions } from '../test-functions.js';
import { concat } from './concat.js';
import { count } from './count.js';
import { csvCut } from './csv-cut.js';
import { fmap } from './fmap.js';
import { grep } from './grep.js';
import { gunzip } from './gunzip.js';
import { gzip } from './gzip.js';
import { headLines } from './head-lines.js';
import { identity } from './identity.js';
import { lower } from './lower.js';
import { repeat } from './repeat.js';
import { replace } from './replace.js';
import { sha256 } from './sha256.js';
import { slice } from './slice.js';
import { sortLines } from './sort-lines.js';
import { stats } from './stats.js';
import { upper } from './upper.js';
import { xor } from './xor.js';

/** Every builtin, one entry per name@version. */
export const builtins: readonly ComputeFunction[] = [
  identity, concat, slice, repeat,
  upper, lower, xor,
  replace, grep, headLines, count, sha256, gzip, gunzip, csvCut,
  sortLines,
  fmap, stats,
];

/** What a registry loads: the builtins, plus test-only functions when a test enables them. */
export function allFunctions(): readonly ComputeFunction[] {
  return [...builtins, ...testFunctions()];
}
