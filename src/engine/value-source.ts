/**
 * The seam where a value's bytes come from. A {@link ValueSource} answers "do you have the
 * value behind this address, and what are its bytes?" for leaves and for recipes' cached
 * outputs, and hands out recipes' bytes. The local store is the first implementation
 * (local-source.ts); a peer node is just another one (src/cluster, later), and behaviours are
 * stacked as wrappers around other sources (first-of-sources.ts), as bb-storage stacks its
 * BlobAccess decorators. Every implementation passes one conformance suite
 * (test/engine/value-source-suite.ts).
 *
 * The contract every implementation keeps: nothing is handed out unverified. Chunks are checked
 * against their addresses and recipe bytes against theirs before a caller sees them, whether
 * they come from a local disk or over a network.
 */
import type { CAddr } from '../core/caddr.js';
import type { Manifest } from '../store/manifest.js';

export type { Manifest } from '../store/manifest.js';

/** Where the bytes of an address are: a leaf's own content, or a recipe's recorded output. */
export interface Located {
  readonly kind: 'leaf' | 'output';
  /** Content address of the value (the leaf's own address, or the output's). */
  readonly content: CAddr;
  readonly size: number;
}

/** Per-call options: every method can be abandoned by its caller. */
export interface SourceOptions {
  /** Aborting it makes the call reject with an {@link AbortedError} as soon as it can. */
  readonly signal?: AbortSignal;
}

export interface ValueSource {
  /**
   * The value behind `addr`: a leaf, or the cached output of recipe `addr`. Undefined when this
   * source has neither (a recipe it knows but has not computed included): nothing is computed.
   */
  locate(addr: CAddr, options?: SourceOptions): Promise<Located | undefined>;
  /** The manifest (size and chunk addresses) of the stored value `content`, if this source has it. */
  manifest(content: CAddr, options?: SourceOptions): Promise<Manifest | undefined>;
  /**
   * The bytes of `chunks`, in order, each checked against its address before it is yielded:
   * an {@link CorruptChunkError} for one that is not what its address says, a
   * {@link NotFoundError} for one this source does not have.
   */
  chunks(chunks: readonly Buffer[], options?: SourceOptions): AsyncIterable<Uint8Array>;
  /** The canonical (DCF) bytes of recipe `addr`, checked against its address, if this source has it. */
  recipe(addr: CAddr, options?: SourceOptions): Promise<Uint8Array | undefined>;
}
