/** `--since` values: a time (ISO 8601) or how long ago (`30s`, `15m`, `2h`, `7d`). */

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** ms since the epoch that `text` names; throws naming the accepted forms. */
export function parseSince(text: string, now = Date.now()): number {
  const ago = /^(\d+)([smhd])$/.exec(text);
  if (ago) return now - Number(ago[1]) * UNIT_MS[ago[2]!]!;
  const time = /^\d{4}-\d\d-\d\d/.test(text) ? Date.parse(text) : NaN;
  if (Number.isFinite(time)) return time;
  throw new Error(`--since '${text}' is neither a time (2026-11-21, 2026-11-21T05:00:00Z) nor a duration ago (30s, 15m, 2h, 7d)`);
}
