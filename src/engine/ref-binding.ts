/**
 * Binding a ref, inside the store's transaction: refuse a binding that would make a cycle, then
 * pick every recipe reading the ref, transitively, for eviction with the binding.
 */
import type { CAddr } from '../core/caddr.js';
import { decodeRecipe } from '../core/dcf.js';
import { InvalidRefError } from '../core/errors.js';
import { isRefInput } from '../core/recipe.js';
import type { RefBinding } from '../store/refs.js';
import type { Store } from '../store/store.js';
import { walkCascade, type Cascade, type CascadeSource } from './invalidation.js';

/** What binding a ref did: the binding, and the cached dependents it invalidated. */
export interface RefSet {
  readonly binding: RefBinding;
  /** The binding it replaced, if any. */
  readonly previous?: RefBinding;
  readonly evicted: number;
  /** Reverse-DAG levels below the ref that held a cached output (1: recipes naming it). */
  readonly depth: number;
}

/**
 * Binds `name` to `addr` at `time` with its cascade, in one transaction (Store.bindRef).
 * Throws InvalidRefError, writing nothing, when `addr` reads ref `name`.
 */
export function bindWithCascade(store: Store, source: CascadeSource, name: string, addr: CAddr, time: number): Promise<Cascade> {
  return store.bindRef(name, addr, time, () => {
    const through = readsRef(store, addr, name);
    if (through) {
      throw new InvalidRefError(`cannot bind ref ${name} to ${addr.hex}: it reads ref ${name} (through ${through.hex}), a cycle`);
    }
    const cascade = walkCascade(source, store.refs.dependentsOf(name));
    return { ...cascade, evict: cascade.visited };
  });
}

/**
 * A recipe at or below `addr` that names ref `name` as an input (following other refs to their
 * bindings), or undefined. Binding `name` to such a value would make materializing it wait on
 * itself forever.
 */
export function readsRef(store: Store, addr: CAddr, name: string): CAddr | undefined {
  const seen = new Set<string>([addr.hex]);
  for (const queue = [addr]; queue.length > 0; ) {
    const at = queue.pop()!;
    const dcf = store.getRecipe(at);
    if (!dcf) continue; // a leaf
    for (const input of decodeRecipe(dcf).inputs) {
      if (isRefInput(input) && input.ref === name) return at;
      const next = isRefInput(input) ? store.refs.get(input.ref)?.addr : input;
      if (next && !seen.has(next.hex)) {
        seen.add(next.hex);
        queue.push(next);
      }
    }
  }
  return undefined;
}
