/**
 * The roots of garbage collection: everything reachable from them is kept. One entry per
 * source: pinned leaves and recipes, and the addresses refs are bound to now. Addresses a ref
 * was bound to before (its history) are not roots: history records what was bound and when,
 * it does not keep old values alive, so `ref set` back to a collected value fails as NOT_FOUND.
 */
import type { Store } from '../store/store.js';

export type RootSource = (store: Store) => Iterable<Buffer>;

export const ROOT_SOURCES: readonly RootSource[] = [
  (store) => store.pins.all(),
  (store) => store.refs.boundAddresses().map((a) => a.bytes),
];

/** Every root address (raw) now. */
export function currentRoots(store: Store): Buffer[] {
  return ROOT_SOURCES.flatMap((source) => [...source(store)]);
}
