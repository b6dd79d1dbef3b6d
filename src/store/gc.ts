/**
 * Garbage collection, in two phases so that writers keep going in between:
 *
 * - mark (a read snapshot, no lock): everything reachable from the roots - recipes, their
 *   inputs down to leaves (an input given as a ref: the address the ref is bound to now), the
 *   outputs (and partial outputs) of reachable recipes - and, as
 *   candidates, everything else that exists now: leaves, recipes, values, and chunks that no
 *   reference record accounts for (left by an interrupted write of an older store format);
 * - sweep (one write transaction): first marks again from roots that appeared meanwhile (new
 *   pins, anything put or in use since the mark), then deletes the candidates still unmarked.
 *   Anything created after the mark is no candidate, and chunk deletions go through reference
 *   counts, so a chunk a writer took a reference on in the meantime is never deleted.
 */
import { Deletions, readRefs } from './chunk-refs.js';
import { recountTx } from './recount.js';
import type { Tables } from './tables.js';
import type { RefTables } from './refs.js';
import { dropLeafTx, dropValueTx, forgetRecipeTx } from './value-ops.js';

/** What a collection deleted (or, in a dry run, would delete). */
export interface GcReport {
  readonly leaves: number;
  readonly recipes: number;
  readonly chunks: number;
  readonly bytes: number;
}

type Key = string; // raw address as latin1

export interface Marked {
  readonly live: Set<Key>;
  readonly leaves: Key[];
  readonly recipes: Key[];
  readonly values: Key[];
  readonly orphanChunks: Key[];
}

const k = (b: Buffer): Key => b.toString('latin1');

/** Recipe (key) -> the refs it names as inputs, with what each is bound to now. */
type RefEdges = ReturnType<RefTables['inputEdges']>;
const buf = (key: Key): Buffer => Buffer.from(key, 'latin1');

/** Marks from `roots` (in the current snapshot) and lists the candidates for sweeping. */
export function mark(t: Tables, refs: RefTables, roots: Iterable<Buffer>): Marked {
  const live = new Set<Key>();
  markFrom(t, refs.inputEdges(), live, roots);
  const unmarked = (db: Tables['leaves'] | Tables['recipes'] | Tables['values']): Key[] =>
    [...(db.getKeys({}) as Iterable<Buffer>)].map(k).filter((key) => !live.has(key));
  const orphanChunks: Key[] = [];
  for (const c of t.chunks.getKeys({})) if (!t.chunkRefs.doesExist(c)) orphanChunks.push(k(c));
  return { live, leaves: unmarked(t.leaves), recipes: unmarked(t.recipes), values: unmarked(t.values), orphanChunks };
}

/** Adds to `live` every leaf, recipe and value reachable from `roots`. */
function markFrom(t: Tables, refEdges: RefEdges, live: Set<Key>, roots: Iterable<Buffer>): void {
  const queue = [...roots].filter((r) => !live.has(k(r)));
  for (const r of queue) live.add(k(r));
  while (queue.length > 0) {
    const addr = queue.pop()!;
    const action = t.actions.get(addr);
    const next = [...(t.deps.getValues(addr) as Iterable<Buffer>)];
    if (action) next.push(action.content);
    for (const edge of refEdges.get(k(addr)) ?? []) if (edge.addr) next.push(edge.addr);
    for (const n of next) {
      if (live.has(k(n))) continue;
      live.add(k(n));
      queue.push(Buffer.from(n));
    }
  }
}

/**
 * Deletes the candidates of `marked` still unreachable once `extraRoots` are marked too. With
 * `quiet` (no write was in flight at any time since the mark), reference counts are rebuilt
 * from the manifests, which also reclaims chunks whose writer died before finishing.
 */
export function sweepTx(
  t: Tables, refs: RefTables, chunkSize: number, marked: Marked, extraRoots: Iterable<Buffer>, quiet: () => boolean, del: Deletions,
): GcReport {
  const { live } = marked;
  // Bindings as of now (a ref may have been rebound since the mark): what they reach is kept.
  const refEdges = refs.inputEdges();
  markFrom(t, refEdges, live, extraRoots);
  // A recipe marked live reads its refs' current bindings, which may be new since the mark.
  markFrom(t, refEdges, live, [...refEdges].filter(([key]) => live.has(key)).flatMap(([, edges]) => edges.flatMap((e) => (e.addr ? [e.addr] : []))));
  let recipes = 0;
  for (const key of marked.recipes) {
    if (live.has(key) || !t.recipes.doesExist(buf(key))) continue;
    dropRecipeTx(t, chunkSize, buf(key), del);
    for (const edge of refEdges.get(key) ?? []) refs.removeDependent(edge.name, buf(key));
    del.addrs.push(buf(key));
    recipes++;
  }
  let leaves = 0;
  for (const key of marked.leaves) {
    if (live.has(key) || !t.leaves.doesExist(buf(key))) continue;
    void t.rdeps.remove(buf(key)); // its dependents are unreachable too, and swept
    dropLeafTx(t, chunkSize, buf(key), del);
    void t.pins.remove(buf(key));
    del.addrs.push(buf(key));
    leaves++;
  }
  for (const key of marked.values) {
    const addr = buf(key);
    if (live.has(key) || t.leaves.doesExist(addr) || (t.valueRefs.get(addr) ?? 0) > 0) continue;
    dropValueTx(t, chunkSize, addr, del);
  }
  for (const key of marked.orphanChunks) {
    const addr = buf(key);
    const bytes = t.chunks.getBinaryFast(addr);
    if (bytes === undefined || readRefs(t, addr)) continue;
    del.bytes += bytes.length;
    del.chunks++;
    del.chunkAddrs.push(addr);
    void t.chunks.remove(addr);
  }
  if (quiet()) recountTx(t, chunkSize, del);
  return { leaves, recipes, chunks: del.chunks, bytes: del.bytes };
}

/** Thrown to roll back a dry-run sweep. */
class DryRun extends Error {}

/**
 * The sweep in a transaction that is rolled back, so the report says exactly what a real one
 * would delete. Synchronous: it waits for the write lock (a dry run is rare and short).
 */
export function sweepDryRun(
  t: Tables, refs: RefTables, chunkSize: number, marked: Marked, extraRoots: Iterable<Buffer>, quiet: () => boolean,
): GcReport {
  let report: GcReport | undefined;
  try {
    t.env.transactionSync(() => {
      report = sweepTx(t, refs, chunkSize, marked, extraRoots, quiet, new Deletions());
      throw new DryRun();
    });
  } catch (err) {
    if (!(err instanceof DryRun)) throw err;
  }
  return report!;
}

function dropRecipeTx(t: Tables, chunkSize: number, addr: Buffer, del: Deletions): void {
  forgetRecipeTx(t, chunkSize, addr, del);
  void t.rdeps.remove(addr);
  void t.stats.remove(addr);
  void t.pins.remove(addr);
}
