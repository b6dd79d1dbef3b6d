/**
 * Partial outputs: chunks of a recipe's output computed one at a time, when a range read of a
 * chunkwise function needed only those. Keyed by recipe address + chunk index (u32be), the
 * value is the chunk's address in the chunk table. A later read of the same range reuses them;
 * invalidation drops them with the recipe's cached output.
 */
import type { Database } from 'lmdb';
import { CADDR_BYTES, type CAddr } from '../core/caddr.js';

export class PartialChunks {
  constructor(private readonly db: Database<Buffer, Buffer>) {}

  /** The address of chunk `index` of `recipe`'s output, if computed. */
  get(recipe: CAddr, index: number): Buffer | undefined {
    return this.db.getBinary(key(recipe, index));
  }

  /** Records a computed chunk (the chunk itself must be stored first). */
  async put(recipe: CAddr, index: number, chunk: Buffer): Promise<void> {
    await this.db.put(key(recipe, index), chunk);
  }

  /** How many chunks of `recipe`'s output are computed. */
  count(recipe: CAddr): number {
    let n = 0;
    for (const _ of this.db.getKeys(range(recipe))) n++;
    return n;
  }

  /** Whether any computed chunk of `recipe`'s output is the chunk `addr`. */
  includes(recipe: CAddr, addr: Buffer): boolean {
    for (const { value } of this.db.getRange(range(recipe))) if (value.equals(addr)) return true;
    return false;
  }

  /** Forgets every partial chunk of these recipes (queued in the current write batch). */
  drop(recipes: readonly CAddr[]): void {
    for (const recipe of recipes) {
      for (const k of [...this.db.getKeys(range(recipe))]) void this.db.remove(k);
    }
  }
}

function key(recipe: CAddr, index: number): Buffer {
  const k = Buffer.allocUnsafe(CADDR_BYTES + 4);
  recipe.bytes.copy(k, 0);
  k.writeUInt32BE(index, CADDR_BYTES);
  return k;
}

function range(recipe: CAddr): { start: Buffer; end: Buffer } {
  return { start: key(recipe, 0), end: Buffer.concat([recipe.bytes, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff])]) };
}
