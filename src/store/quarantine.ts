/**
 * Quarantine: chunks and recipes whose bytes no longer match their address, moved out of the
 * live tables so they are never served again, and kept (bad bytes and all) for inspection.
 * Keyed by kind (one byte) + address; a later good copy of the same chunk (a recomputed
 * output) may live in the chunks table again while its bad copy stays here.
 */
import type { Database } from 'lmdb';

export type QuarantineKind = 'chunk' | 'recipe';

/** What is kept about a quarantined object. */
export interface QuarantineEntry {
  readonly bytes: Buffer;
  /** Milliseconds since the epoch when it was quarantined. */
  readonly at: number;
}

const KIND_BYTE: Record<QuarantineKind, number> = { chunk: 1, recipe: 2 };

export class Quarantine {
  constructor(private readonly db: Database<QuarantineEntry, Buffer>) {}

  /** Queues keeping `bytes` (in the caller's write transaction). */
  put(kind: QuarantineKind, addr: Buffer, bytes: Buffer): void {
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
