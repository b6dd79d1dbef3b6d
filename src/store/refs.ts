/**
 * Refs in LMDB: named, rebindable pointers to addresses. Four tables, always written together
 * inside one of the store's transactions:
 *
 * - `refs`: name -> current binding {addr, time, seq};
 * - `refHistory`: [name, seq] -> {addr, time}, every binding in order (never rewritten);
 * - `refBound`: addr -> names bound to it (dupsort), so the reverse DAG walk can step from a
 *   value to the recipes that read it through a ref;
 * - `refDeps`: name -> recipes naming the ref as an input (dupsort), written with the recipe.
 */
import type { Database, RootDatabase } from 'lmdb';
import { CAddr } from '../core/caddr.js';
import { entryCount } from './tables.js';

/** One binding of a ref: what it pointed to, and since when (ms since the epoch). */
export interface RefBinding {
  readonly name: string;
  readonly addr: CAddr;
  readonly time: number;
}

interface StoredBinding {
  addr: Buffer;
  time: number;
  seq: number;
}

type BinaryDupDb = Database<Buffer, Buffer>;

export class RefTables {
  private readonly current: Database<StoredBinding, string>;
  private readonly history: Database<{ addr: Buffer; time: number }, [string, number]>;
  private readonly bound: BinaryDupDb;
  private readonly deps: BinaryDupDb;

  constructor(env: RootDatabase) {
    const dup = { encoding: 'binary', keyEncoding: 'binary', dupSort: true } as const;
    this.current = env.openDB({ name: 'refs' });
    this.history = env.openDB({ name: 'refHistory' });
    this.bound = env.openDB({ name: 'refBound', ...dup });
    this.deps = env.openDB({ name: 'refDeps', ...dup });
  }

  get(name: string): RefBinding | undefined {
    const b = this.current.get(name);
    return b && { name, addr: CAddr.fromBytes(b.addr), time: b.time };
  }

  /** Every ref with its current binding, by name. */
  list(): RefBinding[] {
    return [...this.current.getRange()].map(({ key, value }) => ({ name: key, addr: CAddr.fromBytes(value.addr), time: value.time }));
  }

  count(): number {
    return entryCount(this.current);
  }

  /** Every binding `name` has had, oldest first (the last is the current one). */
  historyOf(name: string): RefBinding[] {
    const range = this.history.getRange({ start: [name, 0], end: [name, Number.MAX_SAFE_INTEGER] });
    return [...range].map(({ value }) => ({ name, addr: CAddr.fromBytes(value.addr), time: value.time }));
  }

  /** Addresses some ref is bound to now, each once. */
  boundAddresses(): CAddr[] {
    return [...this.bound.getKeys()].map((k) => CAddr.fromBytes(k));
  }

  /** Names of the refs bound to `addr` now. */
  namesBoundTo(addr: CAddr): string[] {
    return [...this.bound.getValues(addr.bytes)].map((b) => b.toString('latin1'));
  }

  /** Recipes that name ref `name` as an input. */
  dependentsOf(name: string): CAddr[] {
    return [...this.deps.getValues(Buffer.from(name, 'latin1'))].map((b) => CAddr.fromBytes(b));
  }

  /** Binds `name` to `addr`, appending to its history. Call inside a store transaction. */
  bind(name: string, addr: CAddr, time: number): void {
    const nameBytes = Buffer.from(name, 'latin1');
    const old = this.current.get(name);
    if (old) void this.bound.remove(old.addr, nameBytes);
    const seq = old ? old.seq + 1 : 0;
    void this.current.put(name, { addr: addr.bytes, time, seq });
    void this.history.put([name, seq], { addr: addr.bytes, time });
    void this.bound.put(addr.bytes, nameBytes);
  }

  /**
   * Every recipe that names a ref as an input, with the ref's name and the address it is bound
   * to now (undefined when unbound): the edges garbage collection follows from a recipe to what
   * it reads through refs. Keyed by the recipe's raw address as latin1.
   */
  inputEdges(): Map<string, Array<{ readonly name: string; readonly addr?: Buffer }>> {
    const edges = new Map<string, Array<{ readonly name: string; readonly addr?: Buffer }>>();
    for (const { key, value } of this.deps.getRange({})) {
      const name = key.toString('latin1');
      const recipe = value.toString('latin1');
      const addr = this.current.get(name)?.addr;
      const list = edges.get(recipe) ?? [];
      list.push(addr ? { name, addr: Buffer.from(addr) } : { name });
      edges.set(recipe, list);
    }
    return edges;
  }

  /** Forgets that `recipe` names ref `name` (the recipe is deleted). Call inside a store transaction. */
  removeDependent(name: string, recipe: Buffer): void {
    void this.deps.remove(Buffer.from(name, 'latin1'), recipe);
  }

  /**
   * Removes `recipe` from the dependents of every ref (a recipe leaving the store, when its
   * bytes cannot be decoded to tell which refs it names). Call inside a store transaction.
   */
  dropDependent(recipe: CAddr): void {
    for (const name of [...this.deps.getKeys()]) void this.deps.remove(name, recipe.bytes);
  }

  /** Records that `recipe` names ref `name`. Call inside a store transaction. */
  addDependent(name: string, recipe: CAddr): void {
    void this.deps.put(Buffer.from(name, 'latin1'), recipe.bytes);
  }
}
