/**
 * Byte helpers shared by the builtins: UTF-8 encoding, concatenation, zero-copy Buffer views,
 * byte translation tables, and the output collector streaming transformers return from.
 */

export const NEWLINE = 0x0a;

const encoder = new TextEncoder();

/** UTF-8 bytes of `text`; string params are matched and emitted as UTF-8. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** One new array holding `parts` back to back. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A Buffer over the same memory as `bytes` (no copy), for `indexOf` and `compare`. */
export function view(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A 256-entry table mapping each byte value through `fn`. */
export function byteTable(fn: (byte: number) => number): Uint8Array {
  const table = new Uint8Array(256);
  for (let b = 0; b < 256; b++) table[b] = fn(b);
  return table;
}

/** Writes `input` with every byte replaced by its entry in `table` into `out`. */
export function translate(input: Uint8Array, table: Uint8Array, out: Uint8Array): void {
  for (let i = 0; i < input.length; i++) out[i] = table[input[i]!]!;
}

/**
 * Collects the pieces one `push` produces and hands them back as at most one fresh array.
 * Pieces may be views into the caller's input: `take` copies them, so nothing returned
 * aliases memory the caller may reuse after the call.
 */
export class OutputBuffer {
  private parts: Uint8Array[] = [];

  add(bytes: Uint8Array): void {
    if (bytes.length > 0) this.parts.push(bytes);
  }

  take(): Uint8Array[] {
    if (this.parts.length === 0) return [];
    const out = concatBytes(this.parts);
    this.parts = [];
    return [out];
  }
}
