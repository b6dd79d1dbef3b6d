/**
 * A recipe's inputs as the addresses to read now: an address input as is, a ref input as the
 * ref's current binding. Resolved at each use rather than cached, since a rebinding changes it.
 */
import type { CAddr } from '../core/caddr.js';
import { NotFoundError } from '../core/errors.js';
import { isRefInput, type Recipe, type RecipeInput } from '../core/recipe.js';
import type { Store } from '../store/store.js';

export function boundInput(store: Store, input: RecipeInput): CAddr {
  if (!isRefInput(input)) return input;
  const binding = store.refs.get(input.ref);
  if (!binding) throw new NotFoundError(`ref ${input.ref} is not bound`);
  return binding.addr;
}

export function boundInputs(store: Store, recipe: Recipe): CAddr[] {
  return recipe.inputs.map((input) => boundInput(store, input));
}
