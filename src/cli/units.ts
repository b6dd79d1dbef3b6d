/**
 * Parsing the sizes and durations people type on the command line: `--cache-size 10GiB`,
 * `--scrub-interval 6h`, `--scrub-rate 50M`. Pure; a bad value is an Error naming the option
 * and what is accepted.
 */

const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `1500ms`, `30s`, `10m`, `6h`, `1d` (a bare number is seconds) to milliseconds, > 0. */
export function parseDuration(option: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  const ms = m ? Number(m[1]) * DURATION_MS[m[2] ?? 's']! : NaN;
  if (!(ms >= 1) || !Number.isSafeInteger(Math.round(ms))) {
    throw new Error(`${option} '${text}' is not a duration like 30s, 10m, 6h or 1d`);
  }
  return Math.round(ms);
}

/**
 * Byte units: a single letter (K, M, G, T) is a power of 1024 as in coreutils, IEC units
 * (KiB ... TiB) too, SI units (KB ... TB) powers of 1000; B or nothing is bytes.
 */
const BYTE_UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40,
  kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
  kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12,
};

/**
 * `4096`, `512K`, `50MiB`, `10GB`, `1.5 G` (and `50M/s` for a rate) to bytes, at least 1.
 */
export function parseBytes(option: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)(?:\/s)?$/i.exec(text.trim());
  const unit = m ? BYTE_UNITS[m[2]!.toLowerCase()] : undefined;
  const n = m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!(n >= 1)) throw new Error(`${option} '${text}' is not a byte size like 4096, 512K, 50MiB or 10GB`);
  if (!Number.isSafeInteger(n)) throw new Error(`${option} '${text}' is too large`);
  return n;
}
