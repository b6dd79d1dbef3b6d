/**
 * Quarantine: chunks and recipes whose bytes no longer match their address, moved out of the
 * live tables so they are never served again, and kept (bad bytes and all) for inspection.
 * Keyed by kind (one byte) + address; a later good copy of the same chunk (a recomputed
 * output) may live in the chunks table again while its bad copy stays here.
 */
import type { Database, RootDatabase } from 'lmdb';
import { recipeAddressOfDcf } from '../core/address.js';
import { CAddr } from '../core/caddr.js';
import { hash } from '../native/index.js';
import type { PartialChunks } from './partials.js';
import type { RefTables } from './refs.js';

export type QuarantineKind = 'chunk' | 'recipe';

/** What is kept about a quarantined object. */
export interface QuarantineEntry {
  readonly bytes: Buffer;
  /** Milliseconds since the epoch when it was quarantined. */
  readonly at: number;
}

const KIND_BYTE: Record<QuarantineKind, number> = { chunk: 1, recipe: 2 };

/** The store's live tables, which objects are moved out of. */
export interface LiveTables {
  readonly env: RootDatabase;
  readonly chunks: Database<Buffer, Buffer>;
  readonly recipes: Database<Buffer, Buffer>;
  readonly deps: Database<Buffer, Buffer>;
  readonly rdeps: Database<Buffer, Buffer>;
  readonly actions: Database<unknown, Buffer>;
  readonly partials: PartialChunks;
  readonly refs: RefTables;
}

export class Quarantine {
  constructor(
    private readonly db: Database<QuarantineEntry, Buffer>,
    private readonly live: LiveTables,
  ) {}

  /**
   * Moves a chunk whose bytes do not hash to its address here, in one transaction that checks
   * again (a good copy written meanwhile stays); durable on resolve. True if it moved it.
   */
  async moveChunk(addr: Buffer): Promise<boolean> {
    const { env, chunks } = this.live;
    let moved = false;
    await env.transaction(() => {
      const bytes = chunks.getBinary(addr);
      if (bytes === undefined || hash(bytes).equals(addr)) return;
      this.put('chunk', addr, bytes);
      void chunks.remove(addr);
      moved = true;
    });
    await env.flushed;
    return moved;
  }

  /**
   * Moves a recipe whose DCF bytes do not hash to its address here, dropping its DAG edges
   * (ref inputs' dependents entries too) and any output recorded for it; durable on resolve.
   * True if it moved it.
   */
  async moveRecipe(addr: Buffer): Promise<boolean> {
    const { env, recipes, deps, rdeps, actions, partials, refs } = this.live;
    let moved = false;
    await env.transaction(() => {
      const dcf = recipes.getBinary(addr);
      if (dcf === undefined || recipeAddressOfDcf(dcf).bytes.equals(addr)) return;
      this.put('recipe', addr, dcf);
      void recipes.remove(addr);
      for (const input of [...deps.getValues(addr)]) void rdeps.remove(input, addr);
      void deps.remove(addr);
      refs.dropDependent(CAddr.fromBytes(addr)); // its corrupt DCF cannot say which refs it names
      void actions.remove(addr);
      partials.drop([CAddr.fromBytes(addr)]);
      moved = true;
    });
    await env.flushed;
    return moved;
  }

  private put(kind: QuarantineKind, addr: Buffer, bytes: Buffer): void {
    void this.db.put(key(kind, addr), { bytes, at: Date.now() });
  }

  has(kind: QuarantineKind, addr: Buffer): boolean {
    return this.db.doesExist(key(kind, addr));
  }

  get(kind: QuarantineKind, addr: Buffer): QuarantineEntry | undefined {
    return this.db.get(key(kind, addr));
  }

  /** How many objects are quarantined. */
  count(): number {
    return (this.db.getStats() as { entryCount: number }).entryCount;
  }
}

function key(kind: QuarantineKind, addr: Buffer): Buffer {
  return Buffer.concat([Buffer.from([KIND_BYTE[kind]]), addr]);
}
