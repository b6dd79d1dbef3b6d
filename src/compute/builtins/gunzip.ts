/**
 * gunzip@1: gzip decompression, like `gunzip`, via pako (see gzip.ts for why not node:zlib).
 * Concatenated gzip members decompress to the concatenation of their contents, as gunzip does.
 *
 * This drives pako's low-level inflate with a fresh state per member rather than using
 * `pako.Inflate`: the latter resets its state in place to continue into a following member,
 * and in pako 2.1.0 that fails ("invalid distance too far back") depending on how the input is
 * split (nodeca/pako#250, #139); our output must not depend on push boundaries.
 */
import ZStream from 'pako/lib/zlib/zstream.js';
import { inflate, inflateEnd, inflateInit2 } from 'pako/lib/zlib/inflate.js';
import type { StreamingFunction, Transformer } from '../function.js';

const Z_OK = 0;
const Z_STREAM_END = 1;
/** Not an error: no progress was possible (input used up); the stream simply wants more. */
const Z_BUF_ERROR = -5;
const Z_NO_FLUSH = 0;
/** windowBits 15 + 16: the gzip wrapper only (zlib-wrapped or raw deflate is rejected). */
const GZIP_ONLY = 31;
const OUT_CHUNK = 1 << 16;

function corrupt(strm: ZStream, status: number): Error {
  return new Error(`gunzip: corrupt gzip data: ${strm.msg || `zlib error ${status}`}`);
}

function newMember(): ZStream {
  const strm = new ZStream();
  const status = inflateInit2(strm, GZIP_ONLY);
  if (status !== Z_OK) throw corrupt(strm, status);
  strm.output = new Uint8Array(OUT_CHUNK);
  strm.avail_out = OUT_CHUNK;
  return strm;
}

/** Moves the member's decoded bytes to `out` (zlib keeps its own window, so the buffer is reusable). */
function flush(strm: ZStream, out: Uint8Array[]): void {
  if (strm.next_out > 0) out.push(strm.output!.slice(0, strm.next_out));
  strm.next_out = 0;
  strm.avail_out = OUT_CHUNK;
}

/**
 * Inflates `input` into the member. inflate returns only once input is used up, output is full,
 * or the member ends; so unless it ended, all input was consumed. Returns, on end, how many
 * bytes of `input` follow the member.
 */
function inflateInto(strm: ZStream, input: Uint8Array, out: Uint8Array[]): { ended: boolean; left: number } {
  strm.input = input;
  strm.next_in = 0;
  strm.avail_in = input.length;
  for (;;) {
    const status = inflate(strm, Z_NO_FLUSH);
    if (status === Z_STREAM_END) {
      flush(strm, out);
      inflateEnd(strm);
      return { ended: true, left: strm.avail_in };
    }
    if (status !== Z_OK && status !== Z_BUF_ERROR) throw corrupt(strm, status);
    if (strm.avail_out > 0) break;
    flush(strm, out);
  }
  if (strm.avail_in > 0) throw new Error('gunzip: inflate stopped before the end of its input');
  flush(strm, out);
  return { ended: false, left: 0 };
}

/**
 * `gunzip@1`: the decompressed content of every gzip member in the input. Trailing zero bytes
 * after the last member are ignored, as gunzip does. Any error throws with a clear message:
 * corrupt data or checksum, empty input, truncated input, and trailing garbage (where gunzip
 * warns and exits 2, Python raises; silently dropping bytes would hide corruption).
 */
export const gunzip: StreamingFunction = {
  name: 'gunzip',
  version: 1,
  kind: 'streaming',
  doc: 'decompress gzip (concatenated members are joined)',
  params: {},
  inputs: { min: 1, max: 1 },
  /**
   * Deflate's densest code is a 258-byte match in 2 bits, 1032 bytes per input byte; headers
   * and trailers of members only lower the ratio.
   */
  maxSize: (n) => 1032 * n,
  start(): Transformer {
    let member: ZStream | undefined;
    let members = 0;
    let padding = false;

    const feed = (input: Uint8Array, out: Uint8Array[]): void => {
      let rest = input;
      while (rest.length > 0) {
        if (padding || (member === undefined && members > 0 && rest[0] === 0)) {
          padding = true;
          if (rest.some((b) => b !== 0)) throw new Error('gunzip: trailing garbage after gzip data');
          return;
        }
        if (member === undefined) {
          member = newMember();
          members++;
        }
        const { ended, left } = inflateInto(member, rest, out);
        if (ended) member = undefined;
        rest = rest.subarray(rest.length - left);
      }
    };

    return {
      push(input) {
        const out: Uint8Array[] = [];
        feed(input, out);
        return out;
      },
      finish() {
        if (members === 0) throw new Error('gunzip: empty input is not gzip data');
        if (member !== undefined) throw new Error('gunzip: unexpected end of input (truncated gzip data)');
        return [];
      },
    };
  },
};
