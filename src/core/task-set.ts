/**
 * Background work whose completion someone may need to await (tests, close): each promise is
 * tracked until it settles, and {@link TaskSet.settled} waits for every one tracked so far,
 * including those added while it waits. Failures are the task owner's business: the set only
 * waits, it never rethrows.
 */
export class TaskSet {
  private readonly pending = new Set<Promise<unknown>>();

  /** Tracks `task` until it settles; returns it unchanged. */
  add<T>(task: Promise<T>): Promise<T> {
    this.pending.add(task);
    task
      .catch(() => {})
      .finally(() => this.pending.delete(task))
      .catch(() => {});
    return task;
  }

  /** Tasks not yet settled. */
  get size(): number {
    return this.pending.size;
  }

  /** Settles once every tracked task has settled, tasks added meanwhile included. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
