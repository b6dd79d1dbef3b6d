/**
 * Reads at the end of a file whose size the kernel only learns by reading it: a streaming output
 * not yet computed is shown with an upper bound as its size, and the kernel sets the real size
 * from the first short read it processes. Readahead sends several reads of one file at once,
 * and the kernel takes the size from whichever short reply it processes first, ignoring the
 * rest: if a read wholly past the end (answered with 0 bytes) were processed before the read at
 * the end, the file would keep a size too large and read as zeros up to it.
 *
 * The read at the end is the one whose range holds the offset `size` (it is short, or empty if it
 * starts there). A read wholly past the end is answered with 0 bytes only when no read at the end
 * is in flight or was just answered; otherwise it is answered with zeros in full, which is no
 * short read, leaves the size to the read at the end, and lies past the end, where no reader
 * ever sees it.
 */
import type { CAddr } from '../core/caddr.js';

/** How long after a read at the end a read past it is still padded (its reply may lag). */
const SETTLE_MS = 2000;

interface Flight {
  readonly pos: number;
  readonly len: number;
}

export class EndReads {
  private readonly flights = new Map<string, Set<Flight>>();
  /** When a read at the end was last answered, per address. */
  private readonly answeredAt = new Map<string, number>();

  /**
   * Runs `read` (which fills `buf` from `pos` and returns the count, short only at the end)
   * under the rule above; `sizeOf` gives the value's exact size once it is known.
   */
  async read(addr: CAddr, pos: number, buf: Buffer, sizeOf: () => number | undefined, read: () => Promise<number>): Promise<number> {
    const flight: Flight = { pos, len: buf.length };
    let flights = this.flights.get(addr.hex);
    if (!flights) this.flights.set(addr.hex, (flights = new Set()));
    flights.add(flight);
    try {
      const n = await read();
      if (n === buf.length) return n;
      const size = n > 0 ? pos + n : (sizeOf() ?? pos);
      if (pos <= size) {
        this.answeredAt.set(addr.hex, Date.now()); // this reply sets the size
        return n;
      }
      if (!this.endRead(addr, flights, flight, size)) return 0;
      buf.fill(0);
      return buf.length;
    } finally {
      flights.delete(flight);
      if (flights.size === 0) this.flights.delete(addr.hex);
      this.forgetOld();
    }
  }

  /** Whether a read at the end (offset `size`) of `addr` is in flight or was just answered. */
  private endRead(addr: CAddr, flights: Set<Flight>, self: Flight, size: number): boolean {
    const answered = this.answeredAt.get(addr.hex);
    if (answered !== undefined && Date.now() - answered < SETTLE_MS) return true;
    for (const f of flights) if (f !== self && f.pos <= size && size < f.pos + f.len) return true;
    return false;
  }

  private forgetOld(): void {
    if (this.answeredAt.size < 1024) return;
    const now = Date.now();
    for (const [hex, at] of this.answeredAt) if (now - at >= SETTLE_MS) this.answeredAt.delete(hex);
  }
}
