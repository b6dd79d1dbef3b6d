/**
 * DCF v1 layout constants shared by the writer and the reader (normative spec: docs/dcf.md).
 */
export const MAGIC = Buffer.from([0x44, 0x43, 0x46, 0x01]);
export const TAG_FN_NAME = 0x01;
export const TAG_FN_VERSION = 0x02;
export const TAG_INPUTS = 0x03;
export const TAG_PARAMS = 0x04;
export const FIELD_NAMES = ['', 'fn name', 'fn version', 'inputs', 'params'] as const;
export const INPUT_ADDRESS = 0x00;
export const INPUT_NAMED_REF = 0x01;
export const PARAM_STRING = 0x01;
export const PARAM_INT = 0x02;
export const PARAM_BOOL = 0x03;
export const PARAM_BYTES = 0x04;
export const MAX_U32 = 0xffff_ffff;
export const I64_MIN = -(1n << 63n);
export const I64_MAX = (1n << 63n) - 1n;
/** Smallest encoded input: a named ref (kind byte + name length + a 1-byte name). */
export const MIN_INPUT_BYTES = 1 + 4 + 1;
/** Smallest encoded param: key length + 1-byte key + type byte + bool byte. */
export const MIN_PARAM_BYTES = 4 + 1 + 1 + 1;

export function hex8(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

/** A value quoted for an error message, cut short so a 4 GiB name cannot flood a log. */
export function show(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
