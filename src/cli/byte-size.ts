/**
 * Byte sizes as people write them on a command line: `10GiB`, `512MiB`, `1.5GB`, `4096`.
 * IEC units (KiB, MiB, GiB, TiB) are powers of 1024, SI units (KB, MB, GB, TB) powers of 1000;
 * a bare number is bytes.
 */
const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12,
  kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40,
};

/** Bytes in `text`, or an Error naming what is wrong with it. */
export function parseByteSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[(m[2] || 'b').toLowerCase()] : undefined;
  if (!m || unit === undefined) {
    throw new Error(`'${text}' is not a size: write a number with an optional unit, e.g. 10GiB, 512MiB, 1GB`);
  }
  const bytes = Math.floor(Number(m[1]) * unit);
  if (!Number.isSafeInteger(bytes)) throw new Error(`'${text}' is too large`);
  return bytes;
}
