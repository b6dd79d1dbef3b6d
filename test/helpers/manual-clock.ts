/**
 * A {@link Clock} that only moves when the test says so: timers set on it run, in order of when
 * they are due, inside {@link ManualClock.advance}, so a test checks what happens just before
 * and at a delay without waiting for it.
 */
import type { Clock } from '../../src/engine/invalidation.js';

interface Timer {
  readonly at: number;
  readonly fn: () => void;
}

export class ManualClock implements Clock {
  private now = 0;
  private readonly timers = new Set<Timer>();

  setTimeout(fn: () => void, ms: number): () => void {
    const timer = { at: this.now + ms, fn };
    this.timers.add(timer);
    return () => void this.timers.delete(timer);
  }

  /** Timers set and neither run nor cancelled. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time on by `ms`, running every timer due by then (earliest first). */
  advance(ms: number): void {
    const until = this.now + ms;
    for (let next = this.due(until); next; next = this.due(until)) {
      this.timers.delete(next);
      this.now = next.at;
      next.fn();
    }
    this.now = until;
  }

  private due(until: number): Timer | undefined {
    let first: Timer | undefined;
    for (const t of this.timers) if (t.at <= until && (!first || t.at < first.at)) first = t;
    return first;
  }
}
