/**
 * The roots of garbage collection: everything reachable from them is kept. One entry per
 * source: pinned leaves and recipes, and the addresses refs are bound to now.
 */
import type { Store } from '../store/store.js';

export type RootSource = (store: Store) => Iterable<Buffer>;

export const ROOT_SOURCES: readonly RootSource[] = [
  (store) => store.pins.all(),
  (store) => store.refRoots().map((a) => a.bytes),
];

/** Every root address (raw) now. */
export function currentRoots(store: Store): Buffer[] {
  return ROOT_SOURCES.flatMap((source) => [...source(store)]);
}
