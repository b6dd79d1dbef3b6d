/** `--since` values: a time (ISO 8601) or how long ago (a duration, as units.ts reads them). */
import { parseDuration } from './units.js';

/** ms since the epoch that `text` names; throws naming the accepted forms. */
export function parseSince(text: string, now = Date.now()): number {
  const time = /^\d{4}-\d\d-\d\d/.test(text) ? Date.parse(text) : NaN;
  if (Number.isFinite(time)) return time;
  try {
    return now - parseDuration('--since', text);
  } catch {
    throw new Error(`--since '${text}' is neither a time (2026-11-21, 2026-11-21T05:00:00Z) nor a duration ago (30s, 15m, 2h, 7d)`);
  }
}
