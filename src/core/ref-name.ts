/**
 * Ref names: the names of mutable, rebindable pointers (`deriva ref set NAME ADDR`), which a
 * recipe may take as an input (DCF input kind 0x01). A name is part of a recipe's address and
 * also a file name under `<mnt>/refs/`, so the rule is strict and the same everywhere.
 */
import { InvalidRefError } from './errors.js';

/** Longest ref name, in bytes (all ref names are ASCII). */
export const MAX_REF_NAME = 128;

/** The rule, as error messages and `--help` state it. */
export const REF_NAME_RULE = `1 to ${MAX_REF_NAME} characters from [A-Za-z0-9._-], and not "." or ".."`;

/** A recipe input given as text names a ref with this prefix: `ref:NAME`. */
export const REF_PREFIX = 'ref:';

const NAME = /^[A-Za-z0-9._-]+$/;

/**
 * True for a valid ref name. No '/': `<mnt>/refs/NAME` is one symlink whose target is
 * `../<hex2>/<hex>`, one level below the root, which a nested name could not keep.
 */
export function isRefName(name: string): boolean {
  return name.length <= MAX_REF_NAME && NAME.test(name) && name !== '.' && name !== '..';
}

/** Returns `name` if valid; otherwise an InvalidRefError naming it and the rule. */
export function checkRefName(name: string): string {
  if (typeof name !== 'string' || !isRefName(name)) {
    const shown = typeof name === 'string' ? JSON.stringify(name.length > 60 ? `${name.slice(0, 57)}...` : name) : String(name);
    throw new InvalidRefError(`ref name ${shown} is not valid: a ref name is ${REF_NAME_RULE}`);
  }
  return name;
}
