/**
 * Reads at the end of a file whose size the kernel was told only as an upper bound: a streaming
 * output not yet computed is shown with its function's bound, so that the kernel reads it while
 * it computes. The kernel bounds its page-cache reads by the size it holds, and a short read is
 * the only sign of the real end. That sign is not reliable: the kernel applies the size a short
 * read implies only if no attribute reply for the inode reached it since that read was sent
 * (fuse_read_update_size compares attribute versions). With several readers, a getattr answered
 * with the bound while the read at the end is in flight, which every `read()` past the size the
 * kernel holds sends, makes the kernel drop the real size; it keeps the bound, and the tail of
 * the short read's pages, which it zero-fills, reads as part of the file. The same happens when
 * a read wholly past the end, answered with 0 bytes, is processed first: its smaller-looking
 * size wins and the zeros up to it are served. Readers then get zeros past the value's end.
 *
 * So no short read of such a file is answered before the kernel holds its exact size: the mount
 * asks the kernel to fetch the attributes afresh (statx with AT_STATX_FORCE_SYNC sends a GETATTR,
 * which getattr answers exactly now that the size is known) and holds the read until the size
 * the kernel caches is the exact one. It cannot simply wait for that statx: applying a smaller
 * size, the kernel sets it first and then truncates the page cache past it, which waits for the
 * very read being held (its pages are locked until it is answered). So it watches the cached
 * size instead (statx with AT_STATX_DONT_SYNC asks nothing), a bounded number of times, while
 * the fresh statx is in flight. A fresh GETATTR can itself be overtaken by a reply the kernel
 * processes first (a getattr answered with the bound just before): that statx then returns the
 * bound at once, and the mount asks again; every getattr from then on answers the exact size,
 * so this ends. Once the kernel holds it, short replies can no longer enlarge the file (the
 * kernel only ever shrinks a size from a short read) and their zero-filled tail lies past the end.
 *
 * Files the kernel was only ever shown their exact size (leaves, chunkwise and structural
 * outputs, stored outputs) are read as usual: their short reads are at the real end already.
 */
import type { CAddr } from '../core/caddr.js';
import { SingleFlight } from '../core/single-flight.js';
import type { FuseLogger } from './op-guard.js';

/** Fresh GETATTRs sent before giving up on one end (each overtaking reply costs one more). */
const MAX_ASKS = 64;
/** Looks at the kernel's cached size while one fresh GETATTR is in flight, at most. */
const MAX_LOOKS = 20_000;

/** The kernel's view of the size of `addr`'s file in the mount. */
export interface KernelSize {
  /**
   * Asks the kernel to fetch the attributes afresh; resolves with the size it then holds, once
   * reads in flight past a smaller size have ended.
   */
  fresh(addr: CAddr): Promise<number>;
  /** The size the kernel holds now (no request to the filesystem). */
  cached(addr: CAddr): Promise<number>;
}

export class EndReads {
  /** Addresses for which getattr may have answered an upper bound the kernel still holds. */
  private readonly bounded = new Set<string>();
  /**
   * Sizes learned from the end of a read (exact, or for a read past an unrecorded end an upper
   * bound at least as tight as any other), kept while the kernel is being told them.
   */
  private readonly learned = new Map<string, number>();
  private readonly settling = new SingleFlight<void>();

  constructor(
    private readonly kernelSize: KernelSize,
    private readonly log: FuseLogger,
  ) {}

  /**
   * Called by getattr before it answers for `addr` without knowing its exact size (before it
   * awaits the bound, so that a read at the end checking afterwards knows about it).
   */
  mayShowBound(addr: CAddr): void {
    this.bounded.add(addr.hex);
  }

  /** The size of `addr` learned by a read at its end, while the kernel is being told it. */
  sizeLearned(addr: CAddr): number | undefined {
    return this.learned.get(addr.hex);
  }

  /**
   * Runs `read` (which fills `buf` from `pos` and returns the count, short only at the end) and
   * holds a short answer until the kernel holds the exact size; `sizeOf` gives the value's exact
   * size once it is known (for a read that starts at or past the end and returns nothing).
   */
  async read(addr: CAddr, pos: number, buf: Buffer, sizeOf: () => number | undefined, read: () => Promise<number>): Promise<number> {
    const n = await read();
    if (n === buf.length || !this.bounded.has(addr.hex)) return n;
    const size = n > 0 ? pos + n : sizeOf();
    // A read past an end not recorded (a run an invalidation overtook keeps no size) knows only
    // that the end is at or before `pos`.
    await this.settle(addr, size ?? pos, size !== undefined);
    return n;
  }

  /** Asks the kernel afresh until it holds `size` (or, when not `exact`, at most `size`). */
  private settle(addr: CAddr, size: number, exact: boolean): Promise<void> {
    return this.settling.run(`${addr.hex}:${size}`, async () => {
      this.learned.set(addr.hex, Math.min(size, this.learned.get(addr.hex) ?? Infinity));
      const holds = (held: number) => (exact ? held === size : held <= size);
      try {
        for (let ask = 1; ask <= MAX_ASKS; ask++) {
          if (await this.askOnce(addr, holds)) {
            this.bounded.delete(addr.hex);
            return;
          }
        }
        this.log.error({ addr: addr.hex, size }, `the kernel kept another size for ${addr.hex} after ${MAX_ASKS} fresh getattrs`);
      } catch (err) {
        // Unmounting, typically: nobody is left to read past the end.
        this.log.warn({ addr: addr.hex, err: (err as Error).message }, 'could not ask the kernel for a fresh size');
      } finally {
        if (this.learned.get(addr.hex) === size) this.learned.delete(addr.hex);
      }
    });
  }

  /**
   * One fresh GETATTR: true once the kernel holds a size `holds` accepts, false if the GETATTR
   * was overtaken (it returned another size).
   */
  private async askOnce(addr: CAddr, holds: (held: number) => boolean): Promise<boolean> {
    let answered: { held: number } | { err: unknown } | undefined;
    this.kernelSize.fresh(addr).then(
      (held) => (answered = { held }),
      (err: unknown) => (answered = { err }),
    );
    for (let look = 0; look < MAX_LOOKS && answered === undefined; look++) {
      if (holds(await this.kernelSize.cached(addr))) return true;
    }
    if (answered === undefined) throw new Error(`no answer to a fresh getattr after ${MAX_LOOKS} looks`);
    if ('err' in answered) throw answered.err;
    return holds(answered.held);
  }
}
