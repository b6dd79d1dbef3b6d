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

/** One output chunk of a chunkwise function, computed alone for a range read. */
export interface ChunkTask {
  readonly storeDir: string;
  readonly fn: { readonly name: string; readonly version: number };
  readonly params: ReadonlyMap<string, PlainParam>;
  /** The input bytes under the output chunk (transferred, not copied). */
  readonly input: Uint8Array;
  /** Absolute offset of `input` in the input value. */
  readonly offset: number;
}

/** A chunkwise output whose chunks are all computed, to be recorded as one value. */
export interface AssembleTask {
  readonly storeDir: string;
  /** Chunk addresses (hex), in order. */
  readonly chunks: readonly string[];
  readonly size: number;
}

export interface ComputeResult {
  /** Content address (hex) of the stored output. */
  readonly content: string;
  readonly size: number;
}
