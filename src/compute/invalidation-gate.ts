/**
 * Whether a result may be cached, given the invalidations that ran while it was computed.
 *
 * Invalidation (forgetting cached outputs, rebinding a ref) races with computations under way:
 * a computation that bound its inputs before a ref was rebound computed from the old binding,
 * and must not be remembered as the recipe's output. It is still served to the callers that
 * asked for it, and the next reader computes afresh. Two guards enforce this, and a computation
 * takes both, back to back, before it binds its inputs: a {@link InvalidationTicket}.
 *
 * - The gate's epoch (in memory): moves as an invalidation begins and as it ends. A result
 *   whose ticket's epoch is no longer current, or that finishes while an invalidation runs,
 *   is not cached in memory (sizes, layouts) and not stored (chunks, stream outputs):
 *   {@link InvalidationGate.mayCache}. Flights started before a move are not joined by
 *   later callers (the executor forgets them: {@link InvalidationGate.onMove}).
 * - The store's invalidation mark (persistent, moved in the transaction that forgets
 *   outputs): every write that records an output (a worker's whole output, a partial chunk,
 *   a promotion, a stream run's output) passes the ticket's mark, and the store records no
 *   action if the mark moved since. This catches what the epoch cannot: an invalidation that
 *   commits between the in-memory check and the write, and writes made by pool workers.
 *
 * A repair (which drops an output) moves the mark too: a computation retried after one takes
 * a new ticket.
 */
import type { Store } from '../store/store.js';

/** Taken before a computation binds its inputs; checked before its result is kept. */
export interface InvalidationTicket {
  /** The gate's epoch when the ticket was taken. */
  readonly epoch: number;
  /** The store's invalidation mark when the ticket was taken, for writes to pass on. */
  readonly mark: number;
}

export class InvalidationGate {
  private epoch = 0;
  /** Invalidations in progress. */
  private running = 0;
  private readonly listeners: (() => void)[] = [];

  constructor(private readonly store: Pick<Store, 'invalidationMark'>) {}

  /** A ticket for a computation about to bind its inputs. */
  ticket(): InvalidationTicket {
    return { epoch: this.epoch, mark: this.store.invalidationMark() };
  }

  /**
   * True when a result computed under `ticket` may be cached: no invalidation began since it
   * was taken and none is running.
   */
  mayCache(ticket: InvalidationTicket): boolean {
    return ticket.epoch === this.epoch && this.running === 0;
  }

  /** Calls `listener` each time the epoch moves (an invalidation begins or ends). */
  onMove(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** An invalidation starts: nothing computed from now until it ends is cached. */
  begin(): void {
    this.running++;
    this.move();
  }

  /** An invalidation ended (or failed). */
  end(): void {
    this.running--;
    this.move();
  }

  private move(): void {
    this.epoch++;
    for (const listener of this.listeners) listener();
  }
}
