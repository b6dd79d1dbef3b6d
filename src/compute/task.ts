/**
 * The message a pool worker receives and returns. Plain structured-clone data only (Map,
 * bigint and Uint8Array clone fine), so it crosses the thread boundary without custom codecs.
 */
import type { PlainParam } from '../core/recipe.js';

export interface ComputeTask {
  /** Store directory; each worker opens (once) the same LMDB environment. */
  readonly storeDir: string;
  readonly fn: { readonly name: string; readonly version: number };
  readonly params: ReadonlyMap<string, PlainParam>;
  /** Content addresses (hex) of the inputs, in recipe order. */
  readonly inputs: readonly string[];
}

export interface ComputeResult {
  /** Content address (hex) of the stored output. */
  readonly content: string;
  readonly size: number;
}
