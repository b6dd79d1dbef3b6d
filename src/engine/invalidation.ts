/**
 * Invalidation policies and the cascade over the reverse DAG. Invalidating an address forgets
 * its cached output and, by policy, its cached transitive dependents:
 *
 * - `immediate` (default): all of them now, before the call returns;
 * - `deferred`: the address's own output now; its dependents are queued and forgotten in
 *   batches, when {@link DEFER_DELAY_MS} has passed since the first was queued or once
 *   {@link DEFER_MAX_BATCH} are queued, whichever comes first (until then they read as before);
 * - `none`: only the address's own output; cached dependents stay as they are.
 */
import type { CAddr } from '../core/caddr.js';

export const INVALIDATION_POLICIES = ['none', 'immediate', 'deferred'] as const;
export type InvalidationPolicy = (typeof INVALIDATION_POLICIES)[number];

/** How long a deferred dependent waits, at most, before its batch is processed. */
export const DEFER_DELAY_MS = 100;
/** A deferred batch is processed at once when this many dependents are queued. */
export const DEFER_MAX_BATCH = 1024;

/** The timers a {@link DeferredQueue} waits on: Node's unless a test passes one it advances by hand. */
export interface Clock {
  /** Calls `fn` once, `ms` from now; the returned function cancels that. */
  setTimeout(fn: () => void, ms: number): () => void;
}

/** Node's timers. */
export const realClock: Clock = {
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/** What an invalidation did or, for deferred dependents, will do. */
export interface Invalidation {
  /** Cached outputs forgotten (or queued to be, under `deferred`). */
  readonly evicted: number;
  /** Reverse-DAG levels below the address that held a cached output (0: only itself). */
  readonly depth: number;
  readonly policy: InvalidationPolicy;
  /** Dependents queued for a deferred batch by this call. */
  readonly pending: number;
}

/** What the cascade reads: one reverse-DAG level, and whether an output is cached. */
export interface CascadeSource {
  dependents(addr: CAddr): CAddr[];
  isCached(addr: CAddr): boolean;
}

export interface Cascade {
  /** Every address reached, roots first, each once. */
  readonly visited: readonly CAddr[];
  /** The visited addresses that hold a cached output. */
  readonly cached: readonly CAddr[];
  /** Deepest level (roots are level 0) holding a cached output. */
  readonly depth: number;
}

/** Breadth-first from `roots` through the reverse DAG, at most `maxDepth` levels down. */
export function walkCascade(source: CascadeSource, roots: readonly CAddr[], maxDepth = Infinity): Cascade {
  const seen = new Set(roots.map((a) => a.hex));
  const visited: CAddr[] = [];
  const cached: CAddr[] = [];
  let depth = 0;
  for (let level = [...roots], d = 0; level.length > 0 && d <= maxDepth; d++) {
    visited.push(...level);
    const here = level.filter((a) => source.isCached(a));
    if (here.length > 0) depth = d;
    cached.push(...here);
    level = level.flatMap((a) => source.dependents(a)).filter((a) => !seen.has(a.hex) && seen.add(a.hex));
  }
  return { visited, cached, depth };
}

/**
 * Dependents queued by `deferred` invalidations, forgotten in batches by `evict`. A failed
 * batch is reported to `onError` (the daemon logs it); its addresses are not re-queued, since
 * the next invalidation of their inputs queues them again.
 */
export class DeferredQueue {
  private readonly queued = new Map<string, CAddr>();
  private cancelTimer: (() => void) | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly evict: (addrs: CAddr[]) => Promise<void>,
    private readonly onError: (err: unknown) => void,
    private readonly clock: Clock = realClock,
  ) {}

  /** Dependents waiting for their batch. */
  get size(): number {
    return this.queued.size;
  }

  add(addrs: readonly CAddr[]): void {
    for (const a of addrs) this.queued.set(a.hex, a);
    if (this.queued.size >= DEFER_MAX_BATCH) void this.flush();
    else if (this.queued.size > 0) this.cancelTimer ??= this.clock.setTimeout(() => void this.flush(), DEFER_DELAY_MS);
  }

  /** Processes everything queued now; resolves once it (and any batch before it) is done. */
  flush(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    const batch = [...this.queued.values()];
    this.queued.clear();
    this.running = this.running.then(() => (batch.length > 0 ? this.evict(batch) : undefined)).catch(this.onError);
    return this.running;
  }
}
