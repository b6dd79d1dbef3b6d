/**
 * The local store as a {@link ValueSource}: leaves and recorded outputs from this node's LMDB.
 * Besides the asynchronous interface it offers {@link LocalSource.locateNow}, the same answer
 * without a turn of the event loop, for the paths that must stay synchronous (a FUSE lookup
 * answers from it in the same turn; see value-lookup.ts).
 */
import { recipeAddressOfDcf } from '../core/address.js';
import type { CAddr } from '../core/caddr.js';
import { AbortedError, CorruptChunkError, CorruptRecipeError, NotFoundError } from '../core/errors.js';
import { hashAsync } from '../native/index.js';
import type { Store } from '../store/store.js';
import type { Located, Manifest, SourceOptions, ValueSource } from './value-source.js';

export class LocalSource implements ValueSource {
  constructor(private readonly store: Store) {}

  /** {@link locate}, answered in this turn. */
  locateNow(addr: CAddr): Located | undefined {
    if (this.store.isLeaf(addr)) {
      const leaf = this.store.getManifest(addr);
      if (leaf) return { kind: 'leaf', content: addr, size: leaf.size };
    }
    const action = this.store.getAction(addr);
    if (!action || !this.store.getManifest(action.content)) return undefined;
    return { kind: 'output', content: action.content, size: action.size };
  }

  async locate(addr: CAddr, options?: SourceOptions): Promise<Located | undefined> {
    checkSignal(options);
    return this.locateNow(addr);
  }

  async manifest(content: CAddr, options?: SourceOptions): Promise<Manifest | undefined> {
    checkSignal(options);
    return this.store.getManifest(content);
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
    const dcf = this.store.rawRecipe(addr.bytes);
    if (dcf === undefined) return undefined;
    if (!recipeAddressOfDcf(dcf).equals(addr)) {
      this.store.onCorruptRecipe?.(addr); // quarantined, as a read through the store does
      throw new CorruptRecipeError(addr.hex);
    }
    return dcf;
  }
}

/** Throws an {@link AbortedError} if the caller gave up. */
export function checkSignal(options: SourceOptions | undefined): void {
  const signal = options?.signal;
  if (signal?.aborted) throw new AbortedError('the caller gave up the request', { cause: signal.reason });
}
