/**
 * Parsing the sizes and durations people type on the command line: `--scrub-interval 6h`,
 * `--scrub-rate 50M`. Pure; a bad value is an Error naming the option and what is accepted.
 */

const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE_BYTES: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `1500ms`, `30s`, `10m`, `6h`, `1d` (a bare number is seconds) to milliseconds, > 0. */
export function parseDuration(option: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  const ms = m ? Number(m[1]) * DURATION_MS[m[2] ?? 's']! : NaN;
  if (!(ms >= 1) || !Number.isSafeInteger(Math.round(ms))) {
    throw new Error(`${option} '${text}' is not a duration like 30s, 10m, 6h or 1d`);
  }
  return Math.round(ms);
}

/** `1048576`, `512K`, `50M`, `1G` (binary multiples; `MiB`, `MB/s` spellings too) to bytes, > 0. */
export function parseBytes(option: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)(?:i?b)?(?:\/s)?$/i.exec(text.trim());
  const n = m ? Number(m[1]) * SIZE_BYTES[m[2]!.toLowerCase()]! : NaN;
  if (!(n >= 1) || !Number.isSafeInteger(Math.round(n))) {
    throw new Error(`${option} '${text}' is not a byte count like 1048576, 512K, 50M or 1G`);
  }
  return Math.round(n);
}
