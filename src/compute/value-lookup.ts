/**
 * The one place compute asks "do we have this value?": a stored leaf, a recipe's recorded
 * output, their manifests, a recipe's bytes. The executor, the range reader and the engine's
 * `info` all ask here, and here asks the {@link ImmediateValues} it was built over: the local
 * store's ValueSource (engine/local-source.ts) today. Where values are found is decided by
 * what the engine injects, not at each call site.
 *
 * Lookups are synchronous: the local store answers from LMDB (and its caches) in this turn,
 * which the mount's lookups and reads rely on. Sources that answer only asynchronously (a peer)
 * will be asked where a local miss would otherwise compute.
 */
import type { CAddr } from '../core/caddr.js';
import { NotFoundError } from '../core/errors.js';
import type { Manifest } from '../store/manifest.js';
import type { Materialized } from './outcome.js';

/** Values a source can answer for in this turn (the local store). */
export interface ImmediateValues {
  /** The leaf at `addr` (its own content), if it is stored. */
  leafNow(addr: CAddr): Materialized | undefined;
  /** The recorded output of recipe `addr`, if it is still stored. */
  outputNow(addr: CAddr): Materialized | undefined;
  manifestNow(content: CAddr): Manifest | undefined;
  /** The encoded recipe at `addr`, if stored. */
  recipeNow(addr: CAddr): Buffer | undefined;
}

export class ValueLookup {
  constructor(private readonly values: ImmediateValues) {}

  /** The leaf at `addr` (its own content), or undefined when `addr` is not a stored leaf. */
  leaf(addr: CAddr): Materialized | undefined {
    return this.values.leafNow(addr);
  }

  /** The recorded output of recipe `addr`, if it is still stored. */
  output(addr: CAddr): Materialized | undefined {
    return this.values.outputNow(addr);
  }

  /** The manifest of the value with content address `content`; NOT_FOUND when not stored. */
  manifest(content: CAddr): Manifest {
    const m = this.values.manifestNow(content);
    if (!m) throw new NotFoundError(`value ${content.hex} is not stored`);
    return m;
  }

  /** The stored manifest behind `addr`: a leaf, or a recipe's recorded output. */
  stored(addr: CAddr): Manifest | undefined {
    const value = this.leaf(addr) ?? this.output(addr);
    return value ? this.manifest(value.content) : undefined;
  }

  /** The encoded recipe at `addr`, if `addr` is a stored recipe. */
  recipe(addr: CAddr): Buffer | undefined {
    return this.values.recipeNow(addr);
  }

  /** True when `addr` is a stored leaf or recipe. */
  isKnown(addr: CAddr): boolean {
    return this.leaf(addr) !== undefined || this.recipe(addr) !== undefined;
  }
}
