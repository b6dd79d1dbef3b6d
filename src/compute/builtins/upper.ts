/** upper@1: ASCII lowercase letters to uppercase, as `LC_ALL=C tr a-z A-Z`. */
import type { ChunkwiseFunction } from '../function.js';
import { byteTable, translate } from './bytes.js';

const TABLE = byteTable((b) => (b >= 0x61 && b <= 0x7a ? b - 0x20 : b));

/** `upper@1`: a-z become A-Z; every other byte (including UTF-8 and bytes >= 0x80) is unchanged. */
export const upper: ChunkwiseFunction = {
  name: 'upper',
  version: 1,
  kind: 'chunkwise',
  doc: 'ASCII letters to uppercase, other bytes unchanged',
  params: {},
  inputs: { min: 1, max: 1 },
  map: (input, _offset, _params, out) => translate(input, TABLE, out),
};
