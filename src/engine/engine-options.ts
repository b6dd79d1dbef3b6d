/**
 * How an engine is opened (EngineOptions) and the options of single calls (pinning on put and
 * recipe, verification on read). Re-exported by engine.ts, where callers import them.
 */
import type { CAddr } from '../core/caddr.js';
import type { ExecMode } from '../compute/exec-mode.js';
import type { ExecutorPolicy } from '../compute/executor.js';
import type { FloatPolicy } from '../compute/float-policy.js';
import type { IntegrityLogger } from '../compute/integrity.js';
import type { EngineObserver } from '../metrics/observer.js';
import type { NodeKey } from '../proof/node-key.js';
import type { PolicyName } from './cache-policy.js';
import type { Clock, InvalidationPolicy } from './invalidation.js';

export interface EngineOptions {
  /** Directory of the store (created if missing). */
  readonly storeDir: string;
  /** Chunk size for a new store (an existing one keeps its own). */
  readonly chunkSize?: number;
  /** Compute worker threads (default: one per core). */
  readonly threads?: number;
  /** A streaming computation paused with nobody reading is abandoned after this long. */
  readonly streamIdleMs?: number;
  /** Told about cache lookups, materializations, invalidations (default: nobody). */
  readonly observer?: EngineObserver;
  /** What `invalidate` does to cached dependents unless a call says otherwise (default immediate). */
  readonly invalidation?: InvalidationPolicy;
  /** Where failures of deferred invalidation batches are reported (default: stderr). */
  readonly onBackgroundError?: (err: unknown) => void;
  /** Timers of deferred invalidation batches (default: Node's); tests pass one they advance by hand. */
  readonly clock?: Clock;
  /** Whether float functions may be registered and computed (default `strict`: they may). */
  readonly floatPolicy?: FloatPolicy;
  /** Bytes cached outputs may hold on disk (default: unbounded). Leaves never count. */
  readonly cacheSize?: number;
  /** Which cached outputs go first when over budget (default gdsf). */
  readonly cachePolicy?: PolicyName;
  /** Check every chunk and recipe read against its address (default true). */
  readonly verifyReads?: boolean;
  /** Verification mode for every read: compute each recipe twice and compare (default false). */
  readonly verify?: boolean;
  /** Scrub the whole store every this many milliseconds, in the background (default: never). */
  readonly scrubIntervalMs?: number;
  /** Bytes per second the background scrubber reads at most (default: unlimited). */
  readonly scrubRate?: number;
  /** Where integrity events and background scrub failures are logged (a pino logger fits). */
  readonly logger?: IntegrityLogger;
  /** `parallel` (default) or `sequential`: see {@link ExecutorPolicy.mode}. */
  readonly execMode?: ExecMode;
  /** Test hook: see {@link ExecutorPolicy.beforeInput}. */
  readonly beforeInput?: (input: CAddr) => Promise<void>;
  /** Signs a proof of every output recorded (docs/proofs.md); without it none are recorded. */
  readonly nodeKey?: NodeKey;
}

/** Whether a put or a recipe becomes a GC root (default: it does). */
export interface PinOption {
  readonly pin?: boolean;
}

/** Per-read options. */
export interface ReadOptions {
  /** Verification mode for this read (always on when the engine was opened with `verify`). */
  readonly verify?: boolean;
}
