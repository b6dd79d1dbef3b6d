/**
 * How the CLI prints: data on stdout (human text, or JSON with `--json`), one-line errors on
 * stderr. JSON renders 64-bit integers as numbers when exact, else as decimal strings.
 */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  return value;
}

export function printLine(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** Byte counts for people: 1536 -> "1.5 KiB". */
export function humanBytes(n: bigint | number): string {
  let v = Number(n);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}
