/**
 * Background work whose completion someone may need to await (tests, close): each promise is
 * tracked until it settles, and {@link TaskSet.settled} waits for every one tracked so far,
 * including those added while it waits. A task may be added under a key (the address it works
 * for) and waited for by that key alone. Failures are the task owner's business: the set only
 * waits, it never rethrows.
 */
export class TaskSet {
  /** Tasks not yet settled, each with the key it was added under (if any). */
  private readonly pending = new Map<Promise<unknown>, string | undefined>();

  /** Tracks `task` (under `key`, if given) until it settles; returns it unchanged. */
  add<T>(task: Promise<T>, key?: string): Promise<T> {
    this.pending.set(task, key);
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

  /** Whether a task added under `key` has not settled yet. */
  has(key: string): boolean {
    for (const k of this.pending.values()) if (k === key) return true;
    return false;
  }

  /**
   * Settles once every tracked task (only those under `key`, if given) has settled, tasks
   * added meanwhile included.
   */
  async settled(key?: string): Promise<void> {
    for (;;) {
      const tasks = [...this.pending].filter(([, k]) => key === undefined || k === key).map(([task]) => task);
      if (tasks.length === 0) return;
      await Promise.allSettled(tasks);
    }
  }
}
