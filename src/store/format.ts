/**
 * The store's format version and chunk size, kept in its meta table. The chunk size is fixed
 * when a store is created; a store of an older format is brought up to date once, when it is
 * opened (opening is single-threaded: the engine opens the store before its workers do).
 */
import { StoreError } from '../core/errors.js';
import { Deletions } from './chunk-refs.js';
import { recountTx } from './recount.js';
import type { Tables } from './tables.js';

/** Store format: 2 added chunk reference counts, pins and cache statistics. */
const FORMAT = 2;

/**
 * The chunk size of the store: the one it was created with, or `requested` for a new store
 * (a power of two from 4 KiB to 64 MiB, else a StoreError). A store of the first format has no
 * reference counts yet: they are built now.
 */
export function initFormat(t: Tables, requested: number): number {
  const meta = t.meta;
  const existing = meta.get('chunkSize');
  if (existing !== undefined) {
    if ((meta.get('format') ?? 1) < FORMAT) {
      meta.transactionSync(() => {
        recountTx(t, existing, new Deletions());
        meta.putSync('format', FORMAT);
      });
    }
    return existing;
  }
  if (!Number.isInteger(Math.log2(requested)) || requested < 4096 || requested > 64 * 1024 * 1024) {
    throw new StoreError(`chunk size must be a power of two from 4 KiB to 64 MiB, got ${requested}`);
  }
  meta.transactionSync(() => {
    meta.putSync('chunkSize', requested);
    meta.putSync('format', FORMAT);
  });
  return requested;
}
