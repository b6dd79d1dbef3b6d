/**
 * Output recording: a recipe's computed output recorded as its action (with what the
 * computation consumed and, when the store signs, its proof), a chunkwise output's chunks kept
 * one at a time as partial entries and later promoted to one value, and forgetting outputs.
 * The `*Tx` methods run inside one of the store's write transactions, as value-ops.ts does.
 *
 * The invalidation mark (a counter in the meta table, tables.ts `INVALIDATIONS`) is how a
 * computation that raced an invalidation is kept out of the cache. Every transaction that
 * forgets outputs (an invalidation, a ref rebinding: {@link Outputs.removeActionsTx}) moves it.
 * A computation takes the mark ({@link Outputs.mark}) before it reads its inputs and hands it
 * back when it records what it computed. If the mark has moved by then, an input may have been
 * replaced meanwhile (a ref rebound to another value), so what it computed may be stale: the
 * value is stored (its caller still gets it, garbage collection takes it later) but it is not
 * recorded as the recipe's output, nor are its partial chunks or their promotion. The check is
 * made inside the recording transaction, so a stale output is never visible, not even briefly.
 * A computation that retries (after repairing a corrupt input, which moves the mark too) takes
 * it again for each attempt.
 */
import { CAddr } from '../core/caddr.js';
import type { Deletions } from './chunk-refs.js';
import { consumedTx, packAddrs, unpackAddrs } from './consumed.js';
import type { Manifest } from './manifest.js';
import type { ProofLog } from './proof-log.js';
import type { RefTables } from './refs.js';
import { INVALIDATIONS, type Tables } from './tables.js';
import { dropPartialsTx, putActionTx, putPartialTx, putValueTx, removeActionTx } from './value-ops.js';

/** What the action cache remembers about a materialized recipe. */
export interface ActionEntry {
  /** Content address (plain BLAKE3) of the output value. */
  readonly content: CAddr;
  readonly size: number;
  /** Wall-clock milliseconds the computation took. */
  readonly cost: number;
  /** Milliseconds since the epoch of the computation. */
  readonly lastAccess: number;
}

/** Records and forgets recipes' outputs in the store's tables (see the module header). */
export class Outputs {
  constructor(
    private readonly t: Tables,
    private readonly refs: RefTables,
    private readonly proofs: ProofLog,
    private readonly chunkSize: number,
  ) {}

  /** The invalidation mark now: how many times outputs were forgotten (see the module header). */
  mark(): number {
    return this.t.meta.get(INVALIDATIONS) ?? 0;
  }

  /** The output recorded for `recipe`, or undefined. */
  action(recipe: CAddr): ActionEntry | undefined {
    const raw = this.t.actions.get(recipe.bytes);
    if (raw === undefined) return undefined;
    const { content, size, cost, lastAccess } = raw;
    return { content: CAddr.fromBytes(content), size, cost, lastAccess };
  }

  /** What the computation of `recipe`'s recorded output consumed (see Store.getConsumed). */
  consumed(recipe: CAddr): CAddr[] | undefined {
    const raw = this.t.actions.get(recipe.bytes);
    return raw && unpackAddrs(raw.inputs);
  }

  /**
   * Records a computed output value (its chunk references held by its writer) and, if the
   * mark still holds, its action and proof. Returns whether the action was recorded.
   */
  putOutputTx(recipe: CAddr, addr: CAddr, manifest: Manifest, cost: number, mark: number | undefined, del: Deletions): boolean {
    putValueTx(this.t, addr, manifest, 'cache', 'held', del);
    if (!this.holds(mark)) return false;
    this.recordActionTx(recipe, addr, manifest.size, cost, del);
    return true;
  }

  /** Stores one computed chunk of `recipe`'s output and its partial entry, if the mark holds. */
  putPartialChunkTx(recipe: CAddr, index: number, addr: Buffer, bytes: Uint8Array, cost: number, mark: number | undefined, del: Deletions): void {
    if (this.holds(mark)) putPartialTx(this.t, recipe, index, addr, bytes, cost, del);
  }

  /**
   * Records a chunkwise output whose chunks are all partial entries as one value and action,
   * dropping the partial entries; its cost is what its chunks cost. Nothing if the mark moved.
   */
  promotePartialsTx(recipe: CAddr, addr: CAddr, manifest: Manifest, mark: number | undefined, del: Deletions): void {
    if (!this.holds(mark)) return;
    const cost = this.t.stats.get(recipe.bytes)?.cost ?? 0;
    putValueTx(this.t, addr, manifest, 'cache', 'take', del);
    this.recordActionTx(recipe, addr, manifest.size, cost, del);
    dropPartialsTx(this.t, recipe, del);
  }

  /** Forgets recipes' outputs, whole or partial, freeing what only they held; moves the mark. */
  removeActionsTx(addrs: readonly CAddr[], del: Deletions): void {
    void this.t.meta.put(INVALIDATIONS, this.mark() + 1);
    for (const addr of addrs) {
      removeActionTx(this.t, this.chunkSize, addr.bytes, del);
      dropPartialsTx(this.t, addr, del);
    }
  }

  /** Whether nothing was invalidated since `mark` was taken (or no mark was given). */
  private holds(mark: number | undefined): boolean {
    return mark === undefined || this.mark() === mark;
  }

  /** Records `recipe`'s output as its action, with what it consumed and (if signing) its proof. */
  private recordActionTx(recipe: CAddr, content: CAddr, size: number, cost: number, del: Deletions): void {
    const consumed = consumedTx(this.t, this.refs, recipe);
    putActionTx(this.t, this.chunkSize, recipe, content, size, cost, packAddrs(consumed.addrs), del);
    this.proofs.recordTx(recipe, content, size, consumed);
  }
}
