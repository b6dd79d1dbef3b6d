/**
 * Recipe: a versioned function, ordered inputs and typed params. The canonical byte form is
 * DCF v1 (see dcf.ts and docs/dcf.md); the address is derived from those bytes. An input is a
 * content address, or a named ref whose current binding is read when the recipe materializes.
 */
import { CAddr } from './caddr.js';
import type { FunctionId } from './function-id.js';
import { REF_PREFIX, checkRefName } from './ref-name.js';

/** A typed recipe parameter. The type is part of the encoding: int 1 and string "1" differ. */
export type ParamValue =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'int'; readonly value: bigint }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'bytes'; readonly value: Uint8Array };

export type ParamType = ParamValue['type'];

/** The untagged value a function sees for each param (type fixed by the function's schema). */
export type PlainParam = string | bigint | boolean | Uint8Array;

/** An input naming a ref: the recipe's address covers the name, not what it is bound to. */
export interface RefInput {
  readonly ref: string;
}

/** One recipe input: a content address, or a ref resolved to its binding at materialization. */
export type RecipeInput = CAddr | RefInput;

export interface Recipe {
  readonly fn: FunctionId;
  /** Inputs in the order the function receives them. */
  readonly inputs: readonly RecipeInput[];
  /** Params by key. Order is irrelevant: encoding sorts keys by their UTF-8 bytes. */
  readonly params: ReadonlyMap<string, ParamValue>;
}

export function isRefInput(input: RecipeInput): input is RefInput {
  return !(input instanceof CAddr);
}

/** An input as text, the one form every surface shows: 64 hex digits, or `ref:NAME`. */
export function inputText(input: RecipeInput): string {
  return isRefInput(input) ? `${REF_PREFIX}${input.ref}` : input.hex;
}

/** The input an {@link inputText} names: `ref:NAME` (checked), or a full 64-digit address. */
export function inputFromText(text: string): RecipeInput {
  return text.startsWith(REF_PREFIX) ? { ref: checkRefName(text.slice(REF_PREFIX.length)) } : CAddr.fromHex(text);
}

/** The untagged params a function body receives. */
export function plainParams(recipe: Recipe): Map<string, PlainParam> {
  return new Map([...recipe.params].map(([k, p]) => [k, p.value]));
}
