/**
 * Quarantine: chunks and recipes whose bytes no longer match their address, moved out of the
 * live tables so they are never served again, and kept (bad bytes and all) for inspection.
 * Keyed by kind (one byte) + address; a later good copy of the same chunk (a recomputed
 * output) may live in the chunks table again while its bad copy stays here.
 */
import type { Database } from 'lmdb';
import { recipeAddressOfDcf } from '../core/address.js';
import { CAddr } from '../core/caddr.js';
import { hash } from '../native/index.js';
import type { Deletions } from './chunk-refs.js';
import type { RefTables } from './refs.js';
import { entryCount, type Tables } from './tables.js';
import { forgetRecipeTx } from './value-ops.js';

export type QuarantineKind = 'chunk' | 'recipe';

/** What is kept about a quarantined object. */
export interface QuarantineEntry {
  readonly bytes: Buffer;
  /** Milliseconds since the epoch when it was quarantined. */
  readonly at: number;
}

const KIND_BYTE: Record<QuarantineKind, number> = { chunk: 1, recipe: 2 };

export class Quarantine {
  constructor(
    private readonly db: Database<QuarantineEntry, Buffer>,
    /** The live tables objects are moved out of. */
    private readonly t: Tables,
    private readonly refs: RefTables,
  ) {}

  /**
   * Inside a write transaction: moves a chunk whose bytes do not hash to its address here,
   * checking again (a good copy written meanwhile stays). True if it moved it. Its reference
   * counts stay, as the values naming it still do: writing a good copy stores it again
   * (chunk-refs.ts), while the bad one stays here.
   */
  moveChunkTx(addr: Buffer): boolean {
    const bytes = this.t.chunks.getBinary(addr);
    if (bytes === undefined || hash(bytes).equals(addr)) return false;
    this.put('chunk', addr, bytes);
    void this.t.chunks.remove(addr);
    return true;
  }

  /**
   * Inside a write transaction: moves a recipe whose DCF bytes do not hash to its address
   * here, dropping its DAG edges (ref inputs' dependents entries too) and any output recorded
   * for it. True if it moved it.
   */
  moveRecipeTx(addr: Buffer, del: Deletions, chunkSize: number): boolean {
    const dcf = this.t.recipes.getBinary(addr);
    if (dcf === undefined || recipeAddressOfDcf(dcf).bytes.equals(addr)) return false;
    this.put('recipe', addr, dcf);
    forgetRecipeTx(this.t, chunkSize, addr, del);
    this.refs.dropDependent(CAddr.fromBytes(addr)); // its corrupt DCF cannot say which refs it names
    return true;
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
    return entryCount(this.db);
  }
}

function key(kind: QuarantineKind, addr: Buffer): Buffer {
  return Buffer.concat([Buffer.from([KIND_BYTE[kind]]), addr]);
}
