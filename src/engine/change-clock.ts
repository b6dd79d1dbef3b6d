/**
 * When each value last changed, for the mount's mtime. Values are immutable except recipe
 * outputs over refs, which change when a ref is rebound (or an output is invalidated). The
 * mount runs libfuse's auto_cache, which keeps a file's kernel page cache only while its mtime
 * and size are unchanged, so every invalidated address gets a new, strictly later stamp.
 *
 * Stamps are kept for the most recently changed addresses; an address whose stamp was dropped
 * reports the latest dropped stamp instead. That is still at least as late as any stamp it had
 * shown, and later than its value's last change, so a stale page cache is still detected.
 */
import { LRUCache } from 'lru-cache';
import type { CAddr } from '../core/caddr.js';

const REMEMBERED = 100_000;

export class ChangeClock {
  private last = 0;
  private floor = 0;
  private readonly stamps = new LRUCache<string, number>({
    max: REMEMBERED,
    dispose: (stamp) => {
      this.floor = Math.max(this.floor, stamp);
    },
  });

  /** Gives each address a new stamp (ms since the epoch), later than every earlier one. */
  touch(addrs: readonly CAddr[]): void {
    if (addrs.length === 0) return;
    this.last = Math.max(Date.now(), this.last + 1);
    for (const a of addrs) this.stamps.set(a.hex, this.last);
  }

  /** The stamp of `addr`: 0 (the epoch) for a value that never changed. */
  changedAt(addr: CAddr): number {
    return this.stamps.get(addr.hex) ?? this.floor;
  }
}
