/**
 * Turning a caller's recipe request into a canonical recipe: the function must exist, the
 * input count must fit, and params are validated and coerced against the function's schema.
 * Runs before an address is computed, so an invalid recipe never gets one.
 */
import { InputCountError } from '../core/errors.js';
import { formatFunctionId, type FunctionId } from '../core/function-id.js';
import type { ParamValue, Recipe, RecipeInput } from '../core/recipe.js';
import { normalizeParams } from '../compute/params.js';
import type { FunctionRegistry } from '../compute/registry.js';

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
