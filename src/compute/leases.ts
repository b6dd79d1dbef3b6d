/**
 * Leases: the recipes being read or computed right now. Eviction leaves a leased recipe's
 * output alone and garbage collection treats it as a root, so no bytes disappear under a
 * reader or a computation. Also counts writes in flight, so garbage collection knows when
 * nothing was being written while it ran.
 */
import type { CAddr } from '../core/caddr.js';

export class Leases {
  private readonly held = new Map<string, number>();
  private writesInFlight = 0;
  private writesStarted = 0;

  /** Holds `addrs` until the returned function is called (once). */
  hold(addrs: readonly CAddr[]): () => void {
    for (const a of addrs) this.held.set(a.hex, (this.held.get(a.hex) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const a of addrs) {
        const n = this.held.get(a.hex)! - 1;
        if (n > 0) this.held.set(a.hex, n);
        else this.held.delete(a.hex);
      }
    };
  }

  /** Runs a write (a put, a computation, storing chunks), counting it while in flight. */
  async writing<T>(write: () => Promise<T>): Promise<T> {
    this.writesInFlight++;
    this.writesStarted++;
    try {
      return await write();
    } finally {
      this.writesInFlight--;
    }
  }

  /** Hex addresses leased now. */
  busy(): ReadonlySet<string> {
    return new Set(this.held.keys());
  }

  /** A mark of the write activity: equal marks with none in flight mean nothing was written between. */
  writeMark(): { started: number; inFlight: number } {
    return { started: this.writesStarted, inFlight: this.writesInFlight };
  }
}
