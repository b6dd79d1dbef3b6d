/**
 * Single-flight: concurrent callers asking for the same key share one call in progress. The
 * entry is forgotten as soon as the call settles (success or failure), so the next caller
 * after that starts afresh; a caller that must not join a call started before some event
 * (an invalidation) calls {@link SingleFlight.forget} or {@link SingleFlight.clear} first.
 */
export class SingleFlight<T> {
  private readonly flights = new Map<string, Promise<T>>();

  /** The call in progress for `key`, or a new one started with `start`. */
  run(key: string, start: () => Promise<T>): Promise<T> {
    const existing = this.flights.get(key);
    if (existing) return existing;
    const flight = start();
    this.flights.set(key, flight);
    flight
      .finally(() => {
        if (this.flights.get(key) === flight) this.flights.delete(key);
      })
      .catch(() => {});
    return flight;
  }

  /** The call in progress for `key`, if any. */
  get(key: string): Promise<T> | undefined {
    return this.flights.get(key);
  }

  has(key: string): boolean {
    return this.flights.has(key);
  }

  /** Calls in progress. */
  get size(): number {
    return this.flights.size;
  }

  /** Lets the next caller of `key` start a new call; the one in progress goes on for its callers. */
  forget(key: string): void {
    this.flights.delete(key);
  }

  /** {@link forget} for every key. */
  clear(): void {
    this.flights.clear();
  }
}
