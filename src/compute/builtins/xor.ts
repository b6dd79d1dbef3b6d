/** xor@1: XOR with a repeating key, aligned to absolute offsets so any range computes alone. */
import { stringParam, type ChunkwiseFunction } from '../function.js';
import type { PlainParam } from '../../core/recipe.js';

function checkKey(value: PlainParam): string | undefined {
  if (typeof value !== 'string') return 'must be a hex string';
  if (value.length === 0) return 'must not be empty';
  if (value.length % 2 !== 0) return `must have an even number of hex digits (got ${value.length})`;
  if (!/^[0-9a-fA-F]*$/.test(value)) return 'must contain only hex digits 0-9, a-f, A-F';
  return undefined;
}

/**
 * `xor@1`: out[i] = in[i] ^ key[i mod keylen], where i is the byte's absolute offset in the
 * value, never its offset within a chunk, so the output is the same however it is chunked.
 */
export const xor: ChunkwiseFunction = {
  name: 'xor',
  version: 1,
  kind: 'chunkwise',
  doc: 'XOR with a repeating key (hex), aligned to absolute offsets',
  params: {
    key: { type: 'string', doc: 'key bytes as hex, e.g. "2a" or "deadbeef"', check: checkKey },
  },
  inputs: { min: 1, max: 1 },
  map(input, offset, params, out) {
    const key = Buffer.from(stringParam(params, 'key'), 'hex');
    let k = offset % key.length;
    for (let i = 0; i < input.length; i++) {
      out[i] = input[i]! ^ key[k]!;
      if (++k === key.length) k = 0;
    }
  },
};
