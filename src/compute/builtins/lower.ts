/** lower@1: ASCII uppercase letters to lowercase, as `LC_ALL=C tr A-Z a-z`. */
import type { ChunkwiseFunction } from '../function.js';
import { byteTable, translate } from './bytes.js';

const TABLE = byteTable((b) => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b));

/** `lower@1`: A-Z become a-z; every other byte (including UTF-8 and bytes >= 0x80) is unchanged. */
export const lower: ChunkwiseFunction = {
  name: 'lower',
  version: 1,
  kind: 'chunkwise',
  doc: 'ASCII letters to lowercase, other bytes unchanged',
  params: {},
  inputs: { min: 1, max: 1 },
  map: (input, _offset, _params, out) => translate(input, TABLE, out),
};
