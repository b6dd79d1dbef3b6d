/**
 * Pins: the leaves and recipes a user asked to keep, the first source of garbage-collection
 * roots. An LMDB table of address -> milliseconds since the epoch when pinned.
 */
import type { Database, RootDatabase } from 'lmdb';
import type { CAddr } from '../core/caddr.js';
import { NotFoundError } from '../core/errors.js';
import type { Tables } from './tables.js';

export class Pins {
  private readonly db: Database<number, Buffer>;
  private readonly env: RootDatabase;

  constructor(private readonly t: Tables) {
    this.db = t.pins;
    this.env = t.env;
  }

  /**
   * Pins (true) or unpins (false) a leaf or recipe; resolves to whether that changed anything.
   * Existence is checked inside the transaction: garbage collection may have swept it.
   */
  async set(addr: CAddr, pinned: boolean): Promise<boolean> {
    const changed = await this.env.transaction(() => {
      if (pinned && !this.t.leaves.doesExist(addr.bytes) && !this.t.recipes.doesExist(addr.bytes)) return undefined;
      if (this.db.doesExist(addr.bytes) === pinned) return false;
      if (pinned) void this.db.put(addr.bytes, Date.now());
      else void this.db.remove(addr.bytes);
      return true;
    });
    if (changed === undefined) throw NotFoundError.address(addr);
    await this.env.flushed;
    return changed;
  }

  has(addr: CAddr): boolean {
    return this.db.doesExist(addr.bytes);
  }

  /** Every pinned address (raw). */
  all(): Buffer[] {
    return [...this.db.getKeys({})].map((k) => Buffer.from(k));
  }
}
