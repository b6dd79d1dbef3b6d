/**
 * Field lists as `cut -f` takes them: comma-separated items, each `N`, `N-M`, `N-` or `-M`,
 * 1-based. Parsed into sorted, merged ranges so selection is one pass over a line's fields.
 */

/** An inclusive, 1-based field range; `last` is Infinity for an open end (`N-`). */
export interface FieldRange {
  readonly first: number;
  readonly last: number;
}

const ITEM = /^(?:(\d+)|(\d+)-(\d*)|-(\d+))$/;

function fieldNumber(text: string, item: string): number | string {
  const n = Number(text);
  if (n < 1) return `fields are numbered from 1 (in '${item}')`;
  if (!Number.isSafeInteger(n)) return `field number too large (in '${item}')`;
  return n;
}

/** Parses `text`; returns the merged ranges in increasing order, or a message saying what is wrong. */
export function parseFieldList(text: string): FieldRange[] | string {
  if (text.length === 0) return 'must list at least one field, e.g. "1,3" or "2-4"';
  const ranges: FieldRange[] = [];
  for (const item of text.split(',')) {
    const m = ITEM.exec(item);
    if (m === null) return `'${item}' is not a field or range (expected N, N-M, N- or -M)`;
    const first = fieldNumber(m[1] ?? m[2] ?? '1', item);
    const lastText = m[1] ?? m[3] ?? m[4]!;
    const last = lastText === '' ? Infinity : fieldNumber(lastText, item);
    if (typeof first === 'string') return first;
    if (typeof last === 'string') return last;
    if (last < first) return `decreasing range '${item}'`;
    ranges.push({ first, last });
  }
  ranges.sort((a, b) => a.first - b.first);
  const merged: FieldRange[] = [];
  for (const r of ranges) {
    const prev = merged[merged.length - 1];
    if (prev !== undefined && r.first <= prev.last + 1) {
      merged[merged.length - 1] = { first: prev.first, last: Math.max(prev.last, r.last) };
    } else {
      merged.push(r);
    }
  }
  return merged;
}
