/**
 * gzip@1: gzip compression with bytes fixed for all time.
 *
 * Why pako and not node:zlib: Node bundles Chromium's zlib, which picks CPU-specific code
 * paths (SIMD hashing, CRC and match finding) at run time, and those can change the compressed
 * bytes from one machine to another. Deriva requires a recipe to give identical bytes
 * everywhere, so this uses pako (pure JavaScript, pinned at 2.1.0): same input, same bytes, on
 * any machine. The header is constant too: no name, mtime 0, OS byte 3 (pako's fixed default).
 */
import pako from 'pako';
import type { StreamingFunction } from '../function.js';

/** Compression level; part of the function's identity: changing it needs a new version. */
const LEVEL = 6;

/**
 * `gzip@1`: a single gzip member holding the input, deflated at level 6. Output does not
 * depend on how the input is split into pushes (no flushes are ever requested).
 */
export const gzip: StreamingFunction = {
  name: 'gzip',
  version: 1,
  kind: 'streaming',
  doc: 'gzip (level 6, no name, mtime 0): byte-identical output on every machine',
  params: {},
  inputs: { min: 1, max: 1 },
  /** zlib's deflateBound for any parameters, plus the 18-byte gzip header and trailer. */
  maxSize: (n) => n + Math.ceil(n / 8) + Math.ceil(n / 64) + 5 + 18,
  start() {
    const deflate = new pako.Deflate({ level: LEVEL, gzip: true });
    let ready: Uint8Array[] = [];
    // pako hands over each output buffer once and allocates a fresh one after: no copy needed.
    deflate.onData = (chunk) => ready.push(chunk as Uint8Array);
    const run = (input: Uint8Array, last: boolean): Uint8Array[] => {
      if (!deflate.push(input, last)) throw new Error(`gzip: compression failed: ${deflate.msg}`);
      const out = ready;
      ready = [];
      return out;
    };
    return {
      push: (input) => (input.length > 0 ? run(input, false) : []),
      finish: () => run(new Uint8Array(0), true),
    };
  },
};
