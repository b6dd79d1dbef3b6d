/**
 * What a computation ends in, shared by every compute path (executor, range reads, stream
 * runs): the stored value it materialized, or the typed error of a function that threw.
 */
import type { CAddr } from '../core/caddr.js';
import { DerivaError, FunctionFailedError } from '../core/errors.js';
import { formatFunctionId } from '../core/function-id.js';
import type { Recipe } from '../core/recipe.js';

/** A stored value: a leaf, or a recipe's output. */
export interface Materialized {
  /** Content address of the value. */
  readonly content: CAddr;
  readonly size: number;
}

/** The typed error for a function that threw while computing recipe `addr`. */
export function functionFailed(addr: CAddr, recipe: Recipe, err: unknown): DerivaError {
  const message = err instanceof Error ? err.message : String(err);
  return new FunctionFailedError(`recipe ${addr.hex} (${formatFunctionId(recipe.fn)}) failed: ${message}`, {
    cause: err,
  });
}
