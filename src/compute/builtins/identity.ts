/** identity@1: the input, unchanged. Useful as a named alias of a value and in tests. */
import type { StructuralFunction } from '../function.js';
import { inputRange } from './segments.js';

/** `identity@1`: output is the whole of its one input (a structural view, nothing computed). */
export const identity: StructuralFunction = {
  name: 'identity',
  version: 1,
  kind: 'structural',
  doc: 'the input, unchanged',
  params: {},
  inputs: { min: 1, max: 1 },
  layout: ([size]) => inputRange(0, 0, size!),
};
