/**
 * Waiting on a condition instead of the clock. A test that needs something to have happened
 * waits for the condition that says so, bounded: past the bound it fails naming what it waited
 * for, instead of hanging the file until tap's timeout or passing on a lucky schedule.
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface WaitOptions {
  /** What is awaited, as the failure message names it: "the deferred batch to run". */
  readonly what: string;
  /** Fail after this long (default 10 s): a bound on a wait that should end, not a pause. */
  readonly timeoutMs?: number;
  /** Between two checks (default 5 ms); 0 checks again on the next turn of the event loop. */
  readonly intervalMs?: number;
}

/** Thrown by {@link waitFor} when the condition did not hold in time. */
export class WaitTimeoutError extends Error {
  override readonly name = 'WaitTimeoutError';
}

/**
 * Resolves with the condition's first truthy result (the condition may be async: it is
 * awaited before the next check); rejects with {@link WaitTimeoutError} past the bound, or with
 * whatever the condition throws.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, options: WaitOptions): Promise<NonNullable<T>> {
  const { what, timeoutMs = 10_000, intervalMs = 5 } = options;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (performance.now() >= deadline) throw new WaitTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await (intervalMs > 0 ? delay(intervalMs) : new Promise<void>((r) => setImmediate(r)));
  }
}

/** Resolves once every callback already queued (promise reactions and immediates) has run. */
export function drainTurn(): Promise<void> {
  return new Promise<void>((r) => setImmediate(r));
}
