/**
 * Recipe: a versioned function, ordered input addresses and typed params. The canonical byte
 * form is DCF v1 (see dcf.ts and docs/dcf.md); the address is derived from those bytes.
 */
import type { CAddr } from './caddr.js';
import type { FunctionId } from './function-id.js';

/** A typed recipe parameter. The type is part of the encoding: int 1 and string "1" differ. */
export type ParamValue =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'int'; readonly value: bigint }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'bytes'; readonly value: Uint8Array };

export type ParamType = ParamValue['type'];

/** The untagged value a function sees for each param (type fixed by the function's schema). */
export type PlainParam = string | bigint | boolean | Uint8Array;

export interface Recipe {
  readonly fn: FunctionId;
  /** Input addresses in the order the function receives them. */
  readonly inputs: readonly CAddr[];
  /** Params by key. Order is irrelevant: encoding sorts keys by their UTF-8 bytes. */
  readonly params: ReadonlyMap<string, ParamValue>;
}

/** The untagged params a function body receives. */
export function plainParams(recipe: Recipe): Map<string, PlainParam> {
  return new Map([...recipe.params].map(([k, p]) => [k, p.value]));
}
