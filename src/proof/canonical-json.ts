/**
 * Canonical JSON: the one byte string a proof's fields sign and hash as. Objects have their
 * keys sorted (by UTF-16 code unit, as JavaScript sorts strings), no whitespace anywhere,
 * strings escaped as `JSON.stringify` escapes them, numbers only as safe integers in plain
 * decimal. Over that value domain this is RFC 8785 (JCS): any JCS implementation produces the
 * same bytes, so a proof can be checked without Deriva's code (docs/proofs.md).
 */

/** What canonical JSON can hold: strings, safe integers, arrays and plain objects of them. */
export type CanonicalValue = string | number | readonly CanonicalValue[] | { readonly [key: string]: CanonicalValue };

/** The canonical UTF-8 bytes of `value`; throws on anything outside the value domain. */
export function canonicalBytes(value: CanonicalValue): Buffer {
  return Buffer.from(canonicalText(value), 'utf8');
}

export function canonicalText(value: CanonicalValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError(`canonical JSON holds safe integers only, got ${value}`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map((v: CanonicalValue) => canonicalText(v)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const obj = value as { readonly [key: string]: CanonicalValue };
    const keys = Object.keys(obj).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalText(obj[k]!)}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot hold ${value === null ? 'null' : typeof value}`);
}
