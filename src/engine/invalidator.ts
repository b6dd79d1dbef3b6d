/**
 * Invalidation and refs for the engine: forgetting a cached output and, by policy, its
 * dependents (invalidation.ts has the policies and the cascade), and binding refs with the
 * cascade of what read them. Owns the "forget everywhere" fan-out: once outputs are gone from
 * the store, whatever the compute parts derived about them (sizes, layouts, failures,
 * verification results, mtimes) goes too, and nothing computed from the old inputs is stored
 * while the store forgets.
 */
import type { CAddr } from '../core/caddr.js';
import { NotFoundError } from '../core/errors.js';
import { checkRefName } from '../core/ref-name.js';
import type { FailureLog } from '../compute/failure-log.js';
import type { InvalidationGate } from '../compute/invalidation-gate.js';
import type { RangeReader } from '../compute/range-reader.js';
import type { StreamRuns } from '../compute/streams.js';
import type { ValueLookup } from '../compute/value-lookup.js';
import type { EngineObserver } from '../metrics/observer.js';
import type { RefBinding } from '../store/refs.js';
import type { Store } from '../store/store.js';
import type { ChangeClock } from './change-clock.js';
import { DeferredQueue, walkCascade, type Cascade, type CascadeSource, type Clock, type Invalidation, type InvalidationPolicy } from './invalidation.js';
import { bindWithCascade, type RefSet } from './ref-binding.js';
import type { Verifier } from './verify.js';

/** What forgetting reaches: the store, and every part that derives something from its outputs. */
export interface InvalidatorParts {
  readonly store: Store;
  readonly lookup: Pick<ValueLookup, 'isKnown'>;
  readonly gate: Pick<InvalidationGate, 'begin' | 'end'>;
  readonly failures: Pick<FailureLog, 'forget'>;
  readonly ranges: Pick<RangeReader, 'storesSettled' | 'forget'>;
  readonly streams: Pick<StreamRuns, 'forget'>;
  readonly verifier: Pick<Verifier, 'forget'>;
  readonly changes: Pick<ChangeClock, 'touch'>;
  readonly observer: Pick<EngineObserver, 'onInvalidation'>;
}

export class Invalidator {
  /** Dependents queued by `deferred` invalidations. */
  private readonly deferred: DeferredQueue;
  private readonly cascadeSource: CascadeSource;

  constructor(
    private readonly parts: InvalidatorParts,
    /** Where failures of deferred batches are reported. */
    onBackgroundError: (err: unknown) => void,
    clock?: Clock,
  ) {
    const { store } = parts;
    this.deferred = new DeferredQueue((addrs) => this.forgetOutputs(addrs), onBackgroundError, clock);
    this.cascadeSource = {
      dependents: (a) => store.dependents(a),
      isCached: (a) => store.getAction(a) !== undefined || store.partials.count(a) > 0,
    };
  }

  /**
   * Forgets the cached output of `addr` (if a recipe) and, by `policy`, of the recipes
   * depending on it, transitively, through the persistent reverse DAG (see invalidation.ts).
   * The next read recomputes. Leaves stay.
   */
  async invalidate(addr: CAddr, policy: InvalidationPolicy): Promise<Invalidation> {
    if (!this.parts.lookup.isKnown(addr)) throw NotFoundError.address(addr);
    let walk!: Cascade;
    await this.withInvalidation(async () => {
      // Walked once chunks being stored have settled, so they count (and go) too.
      walk = walkCascade(this.cascadeSource, [addr], policy === 'none' ? 0 : Infinity);
      const now = policy === 'deferred' ? [addr] : walk.visited;
      await this.parts.store.removeActions(now);
      return { visited: now };
    });
    const pending = policy === 'deferred' ? walk.visited.slice(1) : [];
    this.deferred.add(pending);
    this.parts.observer.onInvalidation(walk.cached.length);
    return { evicted: walk.cached.length, depth: walk.depth, policy, pending: pending.length };
  }

  /** Processes queued deferred invalidations now (tests, shutdown). */
  flushDeferred(): Promise<void> {
    return this.deferred.flush();
  }

  /**
   * Binds ref `name` to `addr` and, in the same transaction, forgets the cached output of every
   * recipe that reads the ref, transitively: the next read recomputes with the new binding.
   * Always immediate, whatever the invalidation policy, so no read after this returns sees
   * an output of the old binding.
   */
  async setRef(name: string, addr: CAddr): Promise<RefSet> {
    checkRefName(name);
    const { store } = this.parts;
    if (!this.parts.lookup.isKnown(addr)) throw NotFoundError.address(addr, `cannot bind ref ${name}`);
    const previous = store.refs.get(name);
    const time = Date.now();
    const walk = await this.withInvalidation(() => bindWithCascade(store, this.cascadeSource, name, addr, time));
    const evicted = walk.cached.length;
    this.parts.observer.onInvalidation(evicted);
    return { binding: { name, addr, time }, previous, evicted, depth: evicted > 0 ? walk.depth + 1 : 0 };
  }

  /** The current binding of ref `name`; NOT_FOUND when it was never set. */
  getRef(name: string): RefBinding {
    const binding = this.parts.store.refs.get(checkRefName(name));
    if (!binding) throw new NotFoundError(`no ref is named ${name}`);
    return binding;
  }

  /** Every ref with its current binding, by name. */
  listRefs(): RefBinding[] {
    return this.parts.store.refs.list();
  }

  /** Every binding ref `name` has had, oldest first; NOT_FOUND when it was never set. */
  refHistory(name: string): RefBinding[] {
    const history = this.parts.store.refs.historyOf(checkRefName(name));
    if (history.length === 0) throw new NotFoundError(`no ref is named ${name}`);
    return history;
  }

  /** Forgets the cached outputs of `addrs` (a walk's visited addresses) now; durable on resolve. */
  private async forgetOutputs(addrs: readonly CAddr[]): Promise<void> {
    await this.withInvalidation(() => this.parts.store.removeActions(addrs).then(() => ({ visited: addrs })));
  }

  /**
   * Runs `remove`, which forgets outputs in the store, so that nothing computed from the old
   * inputs survives it: while it runs, results of work under way are not stored (executor and
   * range reader check {@link InvalidationGate.mayCache}), chunks already being stored are waited for
   * (`remove` drops them too), and afterwards what was derived about the visited addresses
   * (sizes, layouts, failures, mtimes) is reset.
   */
  private async withInvalidation<T extends Pick<Cascade, 'visited'>>(remove: () => Promise<T>): Promise<T> {
    const { gate, failures, ranges, streams, verifier, changes } = this.parts;
    let done: T;
    gate.begin();
    try {
      await ranges.storesSettled();
      done = await remove();
    } finally {
      gate.end();
    }
    failures.forget(done.visited);
    ranges.forget(done.visited);
    streams.forget(done.visited);
    verifier.forget(done.visited);
    changes.touch(done.visited);
    return done;
  }
}
