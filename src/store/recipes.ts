/**
 * Recipes and the DAG they form: a recipe's DCF bytes (`recipes`), its forward edges (`deps`:
 * recipe -> each address input) and reverse edges (`rdeps`: input -> recipes naming it), and
 * for a ref input an entry in the ref's dependents (refs.ts). A recipe and all its edges are
 * written in one transaction, so the DAG never names a recipe that is not stored nor lacks an
 * edge of one that is; they are removed together too (forgetRecipeTx in value-ops.ts).
 */
import { recipeAddressOfDcf } from '../core/address.js';
import { CAddr } from '../core/caddr.js';
import { CorruptRecipeError } from '../core/errors.js';
import { isRefInput, type RecipeInput } from '../core/recipe.js';
import type { RefTables } from './refs.js';
import type { Tables } from './tables.js';

/**
 * Inside a write transaction: stores a recipe with its DAG edges unless it is stored already,
 * and pins it if asked. Returns the first address input that is neither a stored leaf nor a
 * recipe (garbage collection may have swept it since the caller checked), writing nothing.
 */
export function putRecipeTx(
  t: Tables, refs: RefTables, addr: CAddr, dcf: Uint8Array, inputs: readonly RecipeInput[], pin: boolean,
): CAddr | undefined {
  const gone = inputs.find((i) => !isRefInput(i) && !t.leaves.doesExist(i.bytes) && !t.recipes.doesExist(i.bytes));
  if (gone) return gone as CAddr;
  if (!t.recipes.doesExist(addr.bytes)) {
    void t.recipes.put(addr.bytes, Buffer.from(dcf));
    for (const input of inputs) {
      if (isRefInput(input)) {
        refs.addDependent(input.ref, addr);
      } else {
        void t.deps.put(addr.bytes, input.bytes);
        void t.rdeps.put(input.bytes, addr.bytes);
      }
    }
  }
  if (pin) void t.pins.put(addr.bytes, Date.now());
  return undefined;
}

/**
 * A recipe's DCF bytes, or undefined if it is not stored. With `verify`, bytes that do not hash
 * to `addr` are reported to `onCorrupt` and then refused with a {@link CorruptRecipeError}.
 */
export function readRecipe(t: Tables, addr: CAddr, verify: boolean, onCorrupt?: (addr: CAddr) => void): Buffer | undefined {
  const dcf = t.recipes.getBinary(addr.bytes);
  if (dcf !== undefined && verify && !recipeAddressOfDcf(dcf).equals(addr)) {
    onCorrupt?.(addr);
    throw new CorruptRecipeError(addr.hex);
  }
  return dcf;
}

/**
 * One level of the reverse DAG: recipes that name `addr` as an input, and recipes that name a
 * ref currently bound to `addr` (they read it when materialized).
 */
export function dependentsOf(t: Tables, refs: RefTables, addr: CAddr): CAddr[] {
  const direct = [...t.rdeps.getValues(addr.bytes)].map((b) => CAddr.fromBytes(b));
  const viaRefs = refs.namesBoundTo(addr).flatMap((name) => refs.dependentsOf(name));
  return [...direct, ...viaRefs];
}
