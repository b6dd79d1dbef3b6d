/**
 * Listing what the store holds by address: leaves and recipes by hex prefix (resolving a short
 * address the user typed), by shard (the first address byte, as the mount's directories group
 * them), and any table's keys a slice at a time (a scrub walking every chunk and recipe).
 * Reads only, on the calling thread's snapshot.
 */
import type { Database } from 'lmdb';
import { CAddr } from '../core/caddr.js';
import type { BinaryDb, Tables } from './tables.js';

/** Listing by address over one store's tables; the store exposes it as `store.addresses`. */
export class AddressIndex {
  constructor(private readonly t: Tables) {}

  /** Known leaves and recipes whose hex starts with `prefix` (at most `limit`). */
  withPrefix(prefix: string, limit = 2): CAddr[] {
    const start = Buffer.from(prefix.length % 2 ? `${prefix}0` : prefix, 'hex');
    const found: CAddr[] = [];
    for (const db of [this.t.leaves, this.t.recipes] as const) {
      for (const key of db.getKeys({ start })) {
        const hex = key.toString('hex');
        if (!hex.startsWith(prefix) || found.length >= limit) break;
        found.push(CAddr.fromBytes(key));
      }
    }
    return found;
  }

  /** First bytes (as two hex digits) under which at least one leaf or recipe exists. */
  shards(): string[] {
    const found: string[] = [];
    const hasKey = (db: Database<unknown, Buffer>, start: Buffer, end: Buffer | undefined) => {
      for (const _ of db.getKeys({ start, end, limit: 1 })) return true;
      return false;
    };
    for (let b = 0; b < 256; b++) {
      const start = Buffer.from([b]);
      const end = b < 255 ? Buffer.from([b + 1]) : undefined;
      if (hasKey(this.t.leaves, start, end) || hasKey(this.t.recipes, start, end)) found.push(start.toString('hex'));
    }
    return found;
  }

  /** Every leaf and recipe whose address starts with byte `shard`, in address order. */
  inShard(shard: number): CAddr[] {
    const start = Buffer.from([shard]);
    const end = shard < 255 ? Buffer.from([shard + 1]) : undefined;
    const keys = [...this.t.leaves.getKeys({ start, end }), ...this.t.recipes.getKeys({ start, end })];
    return keys.sort(Buffer.compare).map((k) => CAddr.fromBytes(k));
  }

  /** Chunk addresses in order from `after` (exclusive), at most `limit`: a scrub's next slice. */
  chunksAfter(after: Buffer | undefined, limit: number): Buffer[] {
    return keysAfter(this.t.chunks, after, limit);
  }

  /** Recipe addresses in order from `after` (exclusive), at most `limit`. */
  recipesAfter(after: Buffer | undefined, limit: number): Buffer[] {
    return keysAfter(this.t.recipes, after, limit);
  }
}

/** Keys of `db` in order from `after` (exclusive), at most `limit`: the next slice of a walk. */
function keysAfter(db: BinaryDb, after: Buffer | undefined, limit: number): Buffer[] {
  const keys: Buffer[] = [];
  for (const key of db.getKeys({ start: after, limit: limit + 1 })) {
    if (after && key.equals(after)) continue;
    if (keys.length === limit) break;
    keys.push(key);
  }
  return keys;
}
