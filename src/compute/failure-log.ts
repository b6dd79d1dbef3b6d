/**
 * Why the last computation of each address failed, until it succeeds or is invalidated: what
 * `stat` reports as a `failed` state. Every compute path writes here (whole runs, chunks,
 * stream runs, verification), and the policy check that refuses a function (the float
 * policy) is recorded the same way, wherever the computation starts.
 */
import type { CAddr } from '../core/caddr.js';
import type { FunctionId } from '../core/function-id.js';

export class FailureLog {
  private readonly failures = new Map<string, string>();

  constructor(
    /**
     * Throws (a typed error) when running function `fn` is not allowed here, e.g. by the float
     * policy; called before any computation, however it was asked for.
     */
    private readonly admit?: (fn: FunctionId) => void,
  ) {}

  /** Remembers why computing (part of) `addr` failed, for `info` to report. */
  record(addr: CAddr, err: unknown): void {
    this.failures.set(addr.hex, err instanceof Error ? err.message : String(err));
  }

  /** The message of the last failed computation of `addr`, if it has not since succeeded. */
  last(addr: CAddr): string | undefined {
    return this.failures.get(addr.hex);
  }

  /** Forgets recorded failures: a computation succeeded, or state reads fresh after an invalidation. */
  forget(addrs: readonly CAddr[]): void {
    for (const addr of addrs) this.failures.delete(addr.hex);
  }

  /** Throws when running `fn` for recipe `addr` is not allowed (see `admit`), recording why. */
  admitFor(addr: CAddr, fn: FunctionId): void {
    try {
      this.admit?.(fn);
    } catch (err) {
      this.record(addr, err);
      throw err;
    }
  }
}
