/** sha256@1: the SHA-256 digest of the input, as the first field of `sha256sum` prints it. */
import { createHash } from 'node:crypto';
import type { StreamingFunction } from '../function.js';
import { utf8 } from './bytes.js';

/** `sha256@1`: lowercase hex digest followed by '\n', hashed incrementally as input arrives. */
export const sha256: StreamingFunction = {
  name: 'sha256',
  version: 1,
  kind: 'streaming',
  doc: 'SHA-256 of the input as lowercase hex and a newline',
  params: {},
  inputs: { min: 1, max: 1 },
  maxSize: () => 65,
  start() {
    const hash = createHash('sha256');
    return {
      push(input) {
        hash.update(input);
        return [];
      },
      finish: () => [utf8(`${hash.digest('hex')}\n`)],
    };
  },
};
