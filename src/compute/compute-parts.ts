/**
 * The collaborators the executor and the range reader share (engine/wiring.ts builds them once
 * and hands each part the same ones).
 */
import type { CAddr } from '../core/caddr.js';
import type { EngineObserver } from '../metrics/observer.js';
import type { Store } from '../store/store.js';
import type { FailureLog } from './failure-log.js';
import type { Integrity } from './integrity.js';
import type { InvalidationGate } from './invalidation-gate.js';
import type { Leases } from './leases.js';
import type { FunctionRegistry } from './registry.js';
import type { ValueLookup } from './value-lookup.js';

export interface ComputeParts {
  readonly store: Store;
  readonly registry: FunctionRegistry;
  readonly lookup: ValueLookup;
  readonly observer: EngineObserver;
  readonly leases: Leases;
  readonly integrity: Integrity;
  readonly gate: InvalidationGate;
  readonly failures: FailureLog;
  /** Called for each read of a recipe's output with the fraction of the output it covered. */
  readonly onRead: (addr: CAddr, fraction: number) => void;
}
