/**
 * Whether an address names something the store holds: a leaf, or a recipe whose bytes read
 * back intact (a corrupt one throws CorruptRecipeError, reported for quarantine first).
 */
import type { CAddr } from '../core/caddr.js';
import type { Store } from '../store/store.js';

export function isKnown(store: Store, addr: CAddr): boolean {
  return store.isLeaf(addr) || store.getRecipe(addr) !== undefined;
}
