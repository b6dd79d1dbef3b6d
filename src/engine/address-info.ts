/**
 * What is known about an address without computing anything: its kind, its recipe, its size
 * when known, and where its value stands (stored, partly computed, being computed, failed).
 * Asked of the store and the compute parts; the engine's `info`, used by stat and every mount
 * lookup.
 */
import type { CAddr } from '../core/caddr.js';
import { decodeRecipe } from '../core/dcf.js';
import { NotFoundError } from '../core/errors.js';
import type { Recipe } from '../core/recipe.js';
import type { FailureLog } from '../compute/failure-log.js';
import type { RangeReader } from '../compute/range-reader.js';
import type { StreamRuns } from '../compute/streams.js';
import type { ValueLookup } from '../compute/value-lookup.js';
import type { Store } from '../store/store.js';

/**
 * Where a value stands: stored, some chunks computed (chunkwise outputs read by range), being
 * computed by a streaming run (readable as it grows), not yet computed, or its last
 * computation failed.
 */
export type ValueState = 'materialized' | 'partial' | 'computing' | 'not-materialized' | 'failed';

/** What is known about an address without computing anything. */
export interface AddressInfo {
  readonly addr: CAddr;
  readonly kind: 'leaf' | 'recipe';
  /** The recipe, for a recipe address. */
  readonly recipe?: Recipe;
  /** Size when known: always for a leaf, for a recipe once materialized. */
  readonly size?: number;
  /** Content address of a materialized recipe output. */
  readonly content?: CAddr;
  /**
   * What the computation of a materialized recipe output consumed, in recipe order: each
   * input's address, a ref input's binding at the time.
   */
  readonly consumed?: readonly CAddr[];
  readonly state: ValueState;
  /** Output chunks computed so far, when `state` is 'partial'. */
  readonly partial?: { readonly computed: number; readonly total: number };
  /** Output bytes produced so far, when `state` is 'computing'. */
  readonly produced?: number;
  /** Why the last computation failed, when `state` is 'failed'. */
  readonly error?: string;
}

/** The parts {@link addressInfo} asks. */
export interface InfoSources {
  readonly store: Store;
  readonly lookup: Pick<ValueLookup, 'leaf' | 'recipe' | 'output'>;
  readonly failures: Pick<FailureLog, 'last'>;
  readonly ranges: Pick<RangeReader, 'knownSize' | 'partial'>;
  readonly streams: Pick<StreamRuns, 'progress'>;
}

/** Kind, size and recipe of `addr` (see {@link AddressInfo}), computing nothing. */
export function addressInfo(from: InfoSources, addr: CAddr): AddressInfo {
  const { store, lookup, failures, ranges, streams } = from;
  const leaf = lookup.leaf(addr);
  if (leaf) return { addr, kind: 'leaf', size: leaf.size, state: 'materialized' };
  const dcf = lookup.recipe(addr);
  if (!dcf) throw NotFoundError.address(addr);
  const recipe = decodeRecipe(dcf);
  const out = lookup.output(addr);
  if (out) {
    // Read when asked (stat), not on every FUSE lookup, which calls info() too.
    return { addr, kind: 'recipe', recipe, size: out.size, content: out.content, get consumed() { return store.getConsumed(addr); }, state: 'materialized' };
  }
  const base = { addr, kind: 'recipe', recipe, size: ranges.knownSize(addr) } as const;
  const produced = streams.progress(addr);
  if (produced !== undefined) return { ...base, state: 'computing', produced };
  const error = failures.last(addr);
  if (error !== undefined) return { ...base, state: 'failed', error };
  const partial = ranges.partial(addr);
  return partial ? { ...base, state: 'partial', partial } : { ...base, state: 'not-materialized' };
}
