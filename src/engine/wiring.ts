/**
 * Builds the compute collaborators of an engine, in dependency order: each part is built from
 * parts already built. The one cycle (a streaming run reads its input through the range
 * reader, which reads streaming outputs through the runs) is closed by one explicit link at
 * the end, {@link StreamRuns.readInputsFrom}.
 */
import type { CAddr } from '../core/caddr.js';
import type { ExecMode } from '../compute/exec-mode.js';
import { Executor } from '../compute/executor.js';
import { FailureLog } from '../compute/failure-log.js';
import { PoolMaterializer } from '../compute/materializer.js';
import { enforceFloatPolicy, type FloatPolicy } from '../compute/float-policy.js';
import { Integrity, type IntegrityLogger } from '../compute/integrity.js';
import { InvalidationGate } from '../compute/invalidation-gate.js';
import type { Leases } from '../compute/leases.js';
import type { ComputePool } from '../compute/pool.js';
import { RangeReader } from '../compute/range-reader.js';
import type { FunctionRegistry } from '../compute/registry.js';
import { StreamRuns } from '../compute/streams.js';
import { ValueLookup } from '../compute/value-lookup.js';
import type { EngineObserver } from '../metrics/observer.js';
import type { Store } from '../store/store.js';
import type { CacheBudget } from './cache-budget.js';
import { LocalSource } from './local-source.js';

export interface ComputeOptions {
  readonly store: Store;
  readonly pool: ComputePool;
  readonly registry: FunctionRegistry;
  readonly leases: Leases;
  readonly observer: EngineObserver;
  readonly log: IntegrityLogger;
  /** Reads of outputs are recorded here, and it is told when the cache grew. */
  readonly cache: Pick<CacheBudget, 'recordRead' | 'enforce'>;
  readonly floatPolicy: FloatPolicy;
  readonly streamIdleMs: number;
  readonly execMode?: ExecMode;
  readonly beforeInput?: (input: CAddr) => Promise<void>;
}

/** The compute side of an engine. */
export interface Compute {
  readonly lookup: ValueLookup;
  readonly gate: InvalidationGate;
  readonly failures: FailureLog;
  readonly integrity: Integrity;
  readonly streams: StreamRuns;
  readonly executor: Executor;
  readonly ranges: RangeReader;
}

export function buildCompute(o: ComputeOptions): Compute {
  const { store, pool, registry, leases, observer, cache } = o;
  const lookup = new ValueLookup(new LocalSource(store));
  const gate = new InvalidationGate(store);
  const failures = new FailureLog((fn) => enforceFloatPolicy(o.floatPolicy, registry.get(fn), 'compute'));
  const integrity = new Integrity(store, o.log, observer);
  store.onCorruptRecipe = (addr) => integrity.recipeCorrupt(addr);
  const onRead = (addr: CAddr, fraction: number) => cache.recordRead(addr, fraction);
  const streams = new StreamRuns({
    store, pool, observer, leases, gate, failures,
    idleMs: o.streamIdleMs,
    onRecorded: () => void cache.enforce().catch(() => {}), // an output is recorded: the cache grew
  });
  const policy = { mode: o.execMode, beforeInput: o.beforeInput };
  const materializer = new PoolMaterializer(store, pool);
  const executor = new Executor({ store, materializer, registry, lookup, streaming: streams, observer, leases, integrity, gate, failures, onRead, policy });
  const ranges = new RangeReader({
    store, registry, pool, lookup, materializer: executor, streams, observer, leases, integrity, gate, failures, onRead,
    onStored: () => cache.enforce(),
  });
  streams.readInputsFrom(ranges);
  return { lookup, gate, failures, integrity, streams, executor, ranges };
}
