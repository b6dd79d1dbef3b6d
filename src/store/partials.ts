/**
 * Partial outputs: chunks of a recipe's output computed one at a time, when a range read of a
 * chunkwise function needed only those. Keyed by recipe address + chunk index (u32be), the
 * value is the chunk's address in the chunk table. A later read of the same range reuses them;
 * they are cache (counted against the budget, evicted with the recipe's output). Writes go
 * through value-ops.ts, which keeps chunk references in the same transaction.
 */
import type { Database } from 'lmdb';
import { CADDR_BYTES, type CAddr } from '../core/caddr.js';

export class PartialChunks {
  constructor(private readonly db: Database<Buffer, Buffer>) {}

  /** The address of chunk `index` of `recipe`'s output, if computed. */
  get(recipe: CAddr, index: number): Buffer | undefined {
    return this.db.getBinary(partialKey(recipe, index));
  }

  /** How many chunks of `recipe`'s output are computed. */
  count(recipe: CAddr): number {
    let n = 0;
    for (const _ of this.db.getKeys(partialRange(recipe))) n++;
    return n;
  }

  /** Whether any computed chunk of `recipe`'s output is the chunk `addr`. */
  includes(recipe: CAddr, addr: Buffer): boolean {
    for (const { value } of this.db.getRange(partialRange(recipe))) if (value.equals(addr)) return true;
    return false;
  }
}

export function partialKey(recipe: CAddr, index: number): Buffer {
  const k = Buffer.allocUnsafe(CADDR_BYTES + 4);
  recipe.bytes.copy(k, 0);
  k.writeUInt32BE(index, CADDR_BYTES);
  return k;
}

export function partialRange(recipe: CAddr): { start: Buffer; end: Buffer } {
  return { start: partialKey(recipe, 0), end: Buffer.concat([recipe.bytes, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff])]) };
}
