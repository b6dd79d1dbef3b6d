/**
 * The one JSON rendering of a recipe, shared by `deriva stat --json`, the `user.deriva.recipe`
 * extended attribute and logs, so every surface shows a recipe the same way. Params keep their
 * type visibly: strings and bools as themselves, ints as JSON numbers (decimal strings beyond
 * 2^53), bytes as {"hex": "..."}. Inputs are 64 hex digits, or `ref:NAME` for a ref.
 */
import { formatFunctionId } from './function-id.js';
import { inputText, type ParamValue, type Recipe } from './recipe.js';

export type ParamJson = string | number | boolean | { hex: string };

export interface RecipeJson {
  function: string;
  inputs: string[];
  params: Record<string, ParamJson>;
}

export function paramToJson(p: ParamValue): ParamJson {
  switch (p.type) {
    case 'string':
    case 'bool':
      return p.value;
    case 'int':
      return BigInt(Number(p.value)) === p.value ? Number(p.value) : p.value.toString();
    case 'bytes':
      return { hex: Buffer.from(p.value).toString('hex') };
  }
}

export function recipeToJson(recipe: Recipe): RecipeJson {
  const params: Record<string, ParamJson> = {};
  for (const [k, v] of recipe.params) {
    Object.defineProperty(params, k, { value: paramToJson(v), enumerable: true, writable: true, configurable: true });
  }
  return { function: formatFunctionId(recipe.fn), inputs: recipe.inputs.map(inputText), params };
}

/** A param as the CLI would accept it back (`--param k=v`). */
export function paramToText(p: ParamValue): string {
  switch (p.type) {
    case 'string':
      return p.value;
    case 'int':
    case 'bool':
      return String(p.value);
    case 'bytes':
      return Buffer.from(p.value).toString('hex');
  }
}
