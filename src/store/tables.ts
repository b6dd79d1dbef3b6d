/**
 * The LMDB tables of one store, shared by the modules that write them inside transactions
 * (reference counts, the cache, garbage collection). Internal to src/store.
 */
import type { Database, RootDatabase } from 'lmdb';

export type BinaryDb = Database<Buffer, Buffer>;

/** Per-recipe cache statistics, persisted so eviction order survives restarts. */
export interface CacheStats {
  /** Whole-value reads: bytes read / output size, summed (a full read is 1). */
  hits: number;
  /** Milliseconds of computation the cached bytes cost. */
  cost: number;
  /** Bytes the recipe's cached output (or partial output) holds. */
  size: number;
  /** Milliseconds since the epoch of the last read. */
  lastAccess: number;
  /** The GDSF clock (inflation value) when last read: ages entries not read since. */
  clock: number;
}

export interface StoredAction {
  content: Buffer;
  size: number;
  cost: number;
  lastAccess: number;
  /** The addresses of the inputs consumed, in recipe order, 32 bytes each (absent for outputs recorded before they were kept). */
  inputs?: Buffer;
}

export interface Tables {
  readonly env: RootDatabase;
  readonly chunks: BinaryDb;
  readonly values: BinaryDb;
  readonly leaves: Database<number, Buffer>;
  readonly recipes: BinaryDb;
  readonly deps: BinaryDb;
  readonly rdeps: BinaryDb;
  readonly actions: Database<StoredAction, Buffer>;
  readonly partials: BinaryDb;
  /** Chunk address -> reference counts and size (see chunk-refs.ts). */
  readonly chunkRefs: BinaryDb;
  /** Content address of an output value -> how many action entries name it. */
  readonly valueRefs: Database<number, Buffer>;
  /** GC roots named by address: pinned leaves and recipes. */
  readonly pins: Database<number, Buffer>;
  readonly stats: Database<CacheStats, Buffer>;
  /** Recipe address -> the proof of its cached output (see proof-log.ts). */
  readonly proofs: BinaryDb;
  readonly meta: Database<number, string>;
}

/** Meta keys of the persistent cache counters. */
export const CACHED_BYTES = 'cachedBytes';
export const GDSF_CLOCK = 'gdsfClock';
/** Bumped by every transaction that forgets outputs (invalidation, rebinding): the invalidation mark, see outputs.ts. */
export const INVALIDATIONS = 'invalidations';

export function openTables(env: RootDatabase): Tables {
  const binary = { encoding: 'binary', keyEncoding: 'binary' } as const;
  return {
    env,
    chunks: env.openDB({ name: 'chunks', ...binary }),
    values: env.openDB({ name: 'values', ...binary }),
    leaves: env.openDB({ name: 'leaves', keyEncoding: 'binary' }),
    recipes: env.openDB({ name: 'recipes', ...binary }),
    deps: env.openDB({ name: 'deps', ...binary, dupSort: true }),
    rdeps: env.openDB({ name: 'rdeps', ...binary, dupSort: true }),
    actions: env.openDB({ name: 'actions', keyEncoding: 'binary' }),
    partials: env.openDB({ name: 'partials', ...binary }),
    chunkRefs: env.openDB({ name: 'chunkRefs', ...binary }),
    valueRefs: env.openDB({ name: 'valueRefs', keyEncoding: 'binary' }),
    pins: env.openDB({ name: 'pins', keyEncoding: 'binary' }),
    stats: env.openDB({ name: 'cacheStats', keyEncoding: 'binary' }),
    proofs: env.openDB({ name: 'proofs', ...binary }),
    meta: env.openDB({ name: 'meta' }),
  };
}

/** Entries in a table (LMDB keeps the count: nothing is scanned). */
export function entryCount(db: Pick<Database, 'getStats'>): number {
  return (db.getStats() as { entryCount: number }).entryCount;
}
