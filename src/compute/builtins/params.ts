/**
 * Param checks shared by the builtins. Checks run after type coercion, so each receives a value
 * of its param's declared type; they still test the type so a misdeclared schema fails loudly.
 */
import type { PlainParam } from '../../core/recipe.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Ints in [min, 2^53-1]: the upper bound lets `intParam` read them as exact JS numbers. */
export function intAtLeast(min: bigint): (value: PlainParam) => string | undefined {
  return (value) => {
    if (typeof value !== 'bigint') return 'must be an int';
    if (value < min) return `must be >= ${min} (got ${value})`;
    if (value > MAX_SAFE) return `must be <= ${MAX_SAFE} (got ${value})`;
    return undefined;
  };
}

/** Strings with at least one character. */
export function nonEmptyString(value: PlainParam): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  return value.length === 0 ? 'must not be empty' : undefined;
}
