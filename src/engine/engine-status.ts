/**
 * The counters an engine reports for `deriva status` and tests (Engine.status).
 */
import type { ExecMode } from '../compute/exec-mode.js';
import type { ExecutorPolicy } from '../compute/executor.js';
import type { Store } from '../store/store.js';
import type { ScrubProgress } from './scrub.js';

/** Counters for `deriva status` and tests. */
export type EngineStatus = {
  /** Whole-output function runs, streaming runs included. */
  readonly computations: number;
  /** Streaming runs in progress. */
  readonly streaming: number;
  /** Output chunks computed alone for range reads, and the input bytes under them. */
  readonly chunksComputed: number;
  readonly bytesComputed: number;
  /** Compute tasks waiting for a worker. */
  readonly queued: number;
  readonly chunkSize: number;
  /** The cache budget in bytes (undefined: unbounded), its policy, outputs evicted since start. */
  readonly cacheBudget: number | undefined;
  readonly cachePolicy: string;
  readonly evictions: number;
  /** Corrupt chunks and recipes found since start (by reads or scrubs). */
  readonly integrityEvents: number;
  /** Objects in quarantine. */
  readonly quarantined: number;
  /** How inputs are materialized (see {@link ExecutorPolicy.mode}). */
  readonly execMode: ExecMode;
  readonly scrub: ScrubProgress;
} & ReturnType<Store['stats']>;
