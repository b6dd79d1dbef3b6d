/**
 * The local store as a {@link ValueSource}: leaves and recorded outputs from this node's LMDB.
 * Besides the asynchronous interface it answers in this turn ({@link ImmediateValues}), which
 * is how compute's one lookup (compute/value-lookup.ts) asks it: the mount answers lookups and
 * starts reads without waiting a turn of the event loop.
 */
import type { CAddr } from '../core/caddr.js';
import { AbortedError, CorruptChunkError, NotFoundError } from '../core/errors.js';
import type { Materialized } from '../compute/outcome.js';
import type { ImmediateValues } from '../compute/value-lookup.js';
import { hashAsync } from '../native/index.js';
import type { Store } from '../store/store.js';
import type { Located, Manifest, SourceOptions, ValueSource } from './value-source.js';

export class LocalSource implements ValueSource, ImmediateValues {
  constructor(private readonly store: Store) {}

  leafNow(addr: CAddr): Materialized | undefined {
    const manifest = this.store.isLeaf(addr) ? this.store.getManifest(addr) : undefined;
    return manifest ? { content: addr, size: manifest.size } : undefined;
  }

  outputNow(addr: CAddr): Materialized | undefined {
    const action = this.store.getAction(addr);
    if (!action || !this.store.getManifest(action.content)) return undefined;
    return { content: action.content, size: action.size };
  }

  manifestNow(content: CAddr): Manifest | undefined {
    return this.store.getManifest(content);
  }

  /** Checked as the store's `verifyReads` says (a corrupt one is reported for quarantine). */
  recipeNow(addr: CAddr): Buffer | undefined {
    return this.store.getRecipe(addr);
  }

  async locate(addr: CAddr, options?: SourceOptions): Promise<Located | undefined> {
    checkSignal(options);
    const leaf = this.leafNow(addr);
    if (leaf) return { kind: 'leaf', ...leaf };
    const output = this.outputNow(addr);
    return output && { kind: 'output', ...output };
  }

  async manifest(content: CAddr, options?: SourceOptions): Promise<Manifest | undefined> {
    checkSignal(options);
    return this.manifestNow(content);
  }

  /** Each chunk copied out of LMDB, then checked on the libuv pool (not on the JS thread). */
  async *chunks(chunks: readonly Buffer[], options?: SourceOptions): AsyncGenerator<Uint8Array> {
    for (const addr of chunks) {
      checkSignal(options);
      const bytes = this.store.rawChunk(addr);
      const hex = addr.toString('hex');
      if (bytes === undefined) {
        if (this.store.quarantine.has('chunk', addr)) throw new CorruptChunkError(hex, `chunk ${hex} is quarantined as corrupt`);
        throw new NotFoundError(`chunk ${hex} is not stored`);
      }
      if (!(await hashAsync(bytes, { parallel: false })).equals(addr)) throw new CorruptChunkError(hex);
      yield bytes;
    }
  }

  /** Checked whatever the store's `verifyReads`: the contract holds for every source. */
  async recipe(addr: CAddr, options?: SourceOptions): Promise<Uint8Array | undefined> {
    checkSignal(options);
    return this.store.getRecipe(addr, true);
  }
}

/** Throws an {@link AbortedError} if the caller gave up. */
export function checkSignal(options: SourceOptions | undefined): void {
  const signal = options?.signal;
  if (signal?.aborted) throw new AbortedError('the caller gave up the request', { cause: signal.reason });
}
