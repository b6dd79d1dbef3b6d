/**
 * The roots of garbage collection: everything reachable from them is kept. One entry per
 * source; named refs (when they land) are one more line here.
 */
import type { Store } from '../store/store.js';

export type RootSource = (store: Store) => Iterable<Buffer>;

export const ROOT_SOURCES: readonly RootSource[] = [
  (store) => store.pins.all(),
];

/** Every root address (raw) now. */
export function currentRoots(store: Store): Buffer[] {
  return ROOT_SOURCES.flatMap((source) => [...source(store)]);
}
