/**
 * Functions found non-deterministic by verification mode, persisted by `name@version` with
 * the evidence: the recipe computed twice and the two different outputs it gave.
 */
import type { Database } from 'lmdb';

export interface NonDeterminism {
  /** Recipe (hex) whose two computations differed. */
  readonly recipe: string;
  /** Content addresses (hex) of the two outputs. */
  readonly outputs: readonly [string, string];
  /** Milliseconds since the epoch when it was found. */
  readonly at: number;
}

export class FunctionMarks {
  constructor(private readonly db: Database<NonDeterminism, string>) {}

  /** Records the first evidence against `fnId`; durable on resolve. */
  async markNonDeterministic(fnId: string, evidence: NonDeterminism): Promise<void> {
    await this.db.ifNoExists(fnId, () => void this.db.put(fnId, evidence));
    await this.db.flushed;
  }

  nonDeterministic(fnId: string): NonDeterminism | undefined {
    return this.db.get(fnId);
  }

  /** Every marked function with its evidence. */
  all(): Map<string, NonDeterminism> {
    return new Map([...this.db.getRange()].map(({ key, value }) => [key, value]));
  }
}
