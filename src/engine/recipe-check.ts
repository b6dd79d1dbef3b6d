/**
 * Turning a caller's recipe request into a canonical recipe: the function must exist, the
 * input count must fit, and params are validated and coerced against the function's schema.
 * Runs before an address is computed, so an invalid recipe never gets one. Then its inputs
 * must exist in the store: address inputs known, ref inputs bound.
 */
import { InputCountError, NotFoundError } from '../core/errors.js';
import { formatFunctionId, type FunctionId } from '../core/function-id.js';
import { isRefInput, type ParamValue, type Recipe, type RecipeInput } from '../core/recipe.js';
import { checkRefName } from '../core/ref-name.js';
import { normalizeParams } from '../compute/params.js';
import type { FunctionRegistry } from '../compute/registry.js';
import type { RefTables } from '../store/refs.js';
import type { ValueLookup } from '../compute/value-lookup.js';

export function canonicalRecipe(
  registry: FunctionRegistry,
  fnId: FunctionId,
  inputs: readonly RecipeInput[],
  params: ReadonlyMap<string, ParamValue>,
): Recipe {
  const fn = registry.get(fnId);
  const { min, max } = fn.inputs;
  if (inputs.length < min || (max !== undefined && inputs.length > max)) {
    const wanted = max === undefined ? `at least ${min}` : min === max ? `exactly ${min}` : `${min} to ${max}`;
    throw new InputCountError(`${formatFunctionId(fn)} takes ${wanted} input(s), got ${inputs.length}`);
  }
  return { fn: { name: fn.name, version: fn.version }, inputs, params: normalizeParams(fn, params) };
}

/** NOT_FOUND unless every address input is a known leaf or recipe and every ref input is bound. */
export function checkInputsExist(
  known: { readonly lookup: Pick<ValueLookup, 'isKnown'>; readonly refs: Pick<RefTables, 'get'> },
  inputs: readonly RecipeInput[],
): void {
  for (const input of inputs) {
    if (isRefInput(input)) {
      if (!known.refs.get(checkRefName(input.ref))) throw new NotFoundError(`input ref ${input.ref} is not bound (deriva ref set ${input.ref} ADDR)`);
    } else if (!known.lookup.isKnown(input)) {
      throw NotFoundError.address(input, 'recipe input');
    }
  }
}
