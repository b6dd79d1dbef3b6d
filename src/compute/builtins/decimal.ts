/**
 * The text form of numbers in the float builtins (fmap@1, stats@1). Both directions are part of
 * their output bytes, so they are pinned down exactly here and must never change (docs/float.md).
 *
 * Accepted (one number per field, nothing else, no spaces):
 *   [+-]? ( digits [ "." digits? ] | "." digits ) ( [eE] [+-]? digits )?   e.g. 1, -0, 2.5e-3, .5, 5.
 *   inf  +inf  -inf  nan                                                   (lower case only)
 * A decimal is rounded to the nearest double, ties to even (so "1e400" is inf, "1e-400" is 0).
 *
 * Written: ECMAScript's Number::toString(10), the shortest digits that read back to the same
 * double (e.g. 0.1, 1e+21, 1.5e-7, 123456789012345680000), except for the values it cannot
 * tell apart: -0 is written "-0", infinities "inf" and "-inf", NaN "nan". Every written form is
 * an accepted one, and reads back to the same bits (NaN: the canonical NaN).
 */

const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

const SPECIAL: ReadonlyMap<string, number> = new Map([
  ['inf', Infinity],
  ['+inf', Infinity],
  ['-inf', -Infinity],
  ['nan', NaN],
]);

/** The double `text` denotes, or undefined when `text` is not in the accepted grammar. */
export function parseNumber(text: string): number | undefined {
  // V8's string-to-double is correctly rounded for any number of digits; the grammar check
  // keeps out everything else Number() would take ("0x10", " 1", "Infinity", "").
  if (DECIMAL.test(text)) return Number(text);
  return SPECIAL.get(text);
}

/**
 * The longest written number: a sign, "0.", five zeros and 17 significant digits, as in
 * -0.0000012345678901234567 (exponent forms stop at 24: -1.2345678901234567e-308).
 */
export const MAX_NUMBER_TEXT = 25;

/** `x` in the written form described above. */
export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

/** Why `text` (line `line`, 1-based) was refused, for a function's error message. */
export function notANumber(line: number, text: string): Error {
  const shown = text.length > 40 ? `${text.slice(0, 40)}...` : text;
  return new Error(`line ${line}: '${shown}' is not a number (expected a decimal such as -1.5e3, or inf, -inf, nan)`);
}
