/**
 * Types for the two modules of pako's low-level zlib port that gunzip drives directly (pako
 * 2.1.0 exports them under `pako/lib/zlib/*` but ships no types for them). Only what is used.
 */
declare module 'pako/lib/zlib/zstream.js' {
  /** zlib's z_stream: input/output buffers with positions; `msg` says what went wrong. */
  export default class ZStream {
    input: Uint8Array | null;
    next_in: number;
    avail_in: number;
    output: Uint8Array | null;
    next_out: number;
    avail_out: number;
    msg: string;
  }
}

declare module 'pako/lib/zlib/inflate.js' {
  import type ZStream from 'pako/lib/zlib/zstream.js';
  /** Returns Z_OK (0) or a negative zlib error code. */
  export function inflateInit2(strm: ZStream, windowBits: number): number;
  /** Returns Z_OK (0), Z_STREAM_END (1), Z_BUF_ERROR (-5, no progress possible) or an error. */
  export function inflate(strm: ZStream, flush: number): number;
  export function inflateEnd(strm: ZStream): number;
}
