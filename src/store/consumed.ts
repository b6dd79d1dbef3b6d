/**
 * What a recipe's computation consumed, as recorded with its output (the action entry, and
 * the proof when the store signs): each input's address, a ref input's binding. Read inside
 * the transaction that records the output: an output recorded after a rebinding began is not
 * kept (see Executor.canKeep), so a ref's binding then is the one the computation read.
 */
import { CADDR_BYTES, CAddr } from '../core/caddr.js';
import { decodeRecipe } from '../core/dcf.js';
import { DecodeError } from '../core/errors.js';
import { isRefInput, type RecipeInput } from '../core/recipe.js';
import type { RefTables } from './refs.js';
import type { Tables } from './tables.js';

export interface Consumed {
  /** The recipe's DCF bytes (undefined if it is not stored). */
  readonly dcf?: Buffer;
  /** The recipe's inputs; none when its bytes do not decode (a damaged recipe). */
  readonly inputs: readonly RecipeInput[];
  /** The address each input was read at (undefined: a ref not bound), in recipe order. */
  readonly addrs: readonly (CAddr | undefined)[];
}

export function consumedTx(t: Tables, refs: RefTables, recipe: CAddr): Consumed {
  const dcf = t.recipes.getBinary(recipe.bytes);
  let inputs: readonly RecipeInput[] = [];
  try {
    if (dcf !== undefined) inputs = decodeRecipe(dcf).inputs;
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err; // recording an output must not fail on it
  }
  return { dcf, inputs, addrs: inputs.map((input) => (isRefInput(input) ? refs.get(input.ref)?.addr : input)) };
}

/** Addresses laid end to end, 32 bytes each (zeros for an unbound ref), as action entries keep them. */
export function packAddrs(addrs: readonly (CAddr | undefined)[]): Buffer {
  return Buffer.concat(addrs.map((a) => a?.bytes ?? Buffer.alloc(CADDR_BYTES)));
}

export function unpackAddrs(raw: Buffer | undefined): CAddr[] {
  const addrs: CAddr[] = [];
  for (let at = 0; raw && at + CADDR_BYTES <= raw.length; at += CADDR_BYTES) addrs.push(CAddr.fromBytes(raw.subarray(at, at + CADDR_BYTES)));
  return addrs;
}
