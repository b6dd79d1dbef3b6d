/**
 * The one place compute asks "do we have this value?": a stored leaf, a recipe's recorded
 * output, their manifests, a recipe's bytes. The executor, the range reader and the engine's
 * `info` all ask here, so that where values are found (this node's store today, other nodes
 * later) is decided by which lookup is injected, not at each call site.
 *
 * Lookups are synchronous: the local store answers from LMDB (and its caches) on this thread.
 */
import type { CAddr } from '../core/caddr.js';
import { NotFoundError } from '../core/errors.js';
import type { Manifest } from '../store/manifest.js';
import type { Store } from '../store/store.js';
import type { Materialized } from './outcome.js';

export class ValueLookup {
  constructor(private readonly store: Store) {}

  /** The leaf at `addr` (its own content), or undefined when `addr` is not a stored leaf. */
  leaf(addr: CAddr): Materialized | undefined {
    const manifest = this.store.isLeaf(addr) ? this.store.getManifest(addr) : undefined;
    return manifest ? { content: addr, size: manifest.size } : undefined;
  }

  /** The recorded output of recipe `addr`, if it is still stored. */
  output(addr: CAddr): Materialized | undefined {
    const action = this.store.getAction(addr);
    if (!action || !this.store.getManifest(action.content)) return undefined;
    return { content: action.content, size: action.size };
  }

  /** The manifest of the value with content address `content`; NOT_FOUND when not stored. */
  manifest(content: CAddr): Manifest {
    const m = this.store.getManifest(content);
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
    return this.store.getRecipe(addr);
  }

  /** True when `addr` is a stored leaf or recipe. */
  isKnown(addr: CAddr): boolean {
    return this.store.isLeaf(addr) || this.store.getRecipe(addr) !== undefined;
  }
}
