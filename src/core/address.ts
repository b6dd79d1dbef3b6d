/**
 * The two ways a value gets its address. A leaf is plain BLAKE3 of its bytes, so `b3sum FILE`
 * prints the address a put file gets. A recipe is BLAKE3 in derive-key mode under a fixed
 * context string over its DCF v1 bytes: the two modes are domain-separated, so no leaf can ever
 * share an address with a recipe, whatever bytes a user puts (docs/dcf.md).
 */
import { deriveKey, hash } from '../native/index.js';
import { CAddr } from './caddr.js';
import { encodeRecipe } from './dcf.js';
import type { Recipe } from './recipe.js';

/**
 * BLAKE3 derive-key context for recipe addresses. Part of the address scheme: changing a single
 * character changes every recipe address, so it never changes; a new scheme gets a new string.
 */
export const RECIPE_CONTEXT = 'deriva 2026-11-21 recipe address v1';

/** Address of a leaf: plain BLAKE3 of `bytes`, identical to what `b3sum` prints. */
export function leafAddress(bytes: Uint8Array): CAddr {
  return CAddr.fromBytes(hash(bytes));
}

/** Address of a recipe: BLAKE3 derive-key(RECIPE_CONTEXT) of its canonical DCF v1 encoding. */
export function recipeAddress(recipe: Recipe): CAddr {
  return recipeAddressOfDcf(encodeRecipe(recipe));
}

/** Address of a recipe from its DCF v1 bytes as stored: how stored recipes are verified. */
export function recipeAddressOfDcf(dcf: Uint8Array): CAddr {
  return CAddr.fromBytes(deriveKey(RECIPE_CONTEXT, dcf));
}
