/**
 * What a corrupt chunk means, and the one place that decides it. A reader that meets a chunk
 * whose bytes do not hash to its address asks {@link Integrity.repair} about the value it was
 * reading: the chunk is quarantined (never served again); if the value is a computed output
 * (whole, or partial chunks) the output is forgotten so that reading it again recomputes it;
 * if it is a leaf, nothing can rebuild it and the read fails with DATA_LOSS / EIO. Each newly
 * quarantined chunk is one integrity event, counted and logged with the chunk and the value.
 */
import type { CAddr } from '../core/caddr.js';
import { CorruptChunkError } from '../core/errors.js';
import { SingleFlight } from '../core/single-flight.js';
import { TaskSet } from '../core/task-set.js';
import type { EngineObserver } from '../metrics/observer.js';
import { hashAsync } from '../native/index.js';
import type { Store } from '../store/store.js';

/** Where integrity events are logged (a pino logger fits). */
export interface IntegrityLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** How many times one read rebuilds what it found corrupt before giving up. */
export const MAX_REPAIRS = 2;

export class Integrity {
  /** Corrupt chunks and recipes found (by reads or scrubs) since start. */
  events = 0;
  /** Recipes being quarantined. */
  private readonly moving = new TaskSet();
  /** Repairs under way, by owner and chunk (hex). */
  private readonly repairs = new SingleFlight<boolean>();

  constructor(
    private readonly store: Store,
    private readonly log: IntegrityLogger,
    /** Told of each event too (Prometheus: deriva_integrity_events_total{kind}). */
    private readonly observer: Pick<EngineObserver, 'onIntegrityEvent'>,
  ) {}

  /**
   * Handles `err` met while reading the value at `owner`. Resolves true when `owner`'s
   * computed output held the corrupt chunk and was dropped (reading again recomputes it), or
   * when the chunk is intact by now (healed since the reader loaded it: reading again serves
   * it), false when the chunk is not `owner`'s own (it came from deeper down); throws for anything
   * that is not a corrupt chunk, and for a corrupt chunk of a leaf.
   */
  repair(owner: CAddr, err: unknown): Promise<boolean> {
    if (!(err instanceof CorruptChunkError)) return Promise.reject(err);
    // Readers of one value meet its corrupt chunk together (concurrent reads share a chunk's
    // load): one repair serves them all. A second one would drop the output again, after the
    // recomputation the first started had taken its invalidation mark, so that the recomputed
    // output would not be kept and a second computation would follow.
    return this.repairs.run(`${owner.hex}:${err.chunk}`, () => this.repairOnce(owner, err));
  }

  private async repairOnce(owner: CAddr, err: CorruptChunkError): Promise<boolean> {
    const chunk = Buffer.from(err.chunk, 'hex');
    if (this.store.isLeaf(owner)) {
      if (!this.store.getManifest(owner)?.chunks.some((c) => c.equals(chunk))) return false;
      if (await this.healed(chunk)) return true;
      if (await this.store.quarantineChunk(chunk)) {
        this.record({ chunk: err.chunk, value: owner.hex, kind: 'leaf' }, 'corrupt leaf chunk quarantined: reads of the leaf fail');
      }
      throw new CorruptChunkError(err.chunk, `chunk ${err.chunk} of leaf ${owner.hex} is corrupt and cannot be rebuilt`);
    }
    const action = this.store.getAction(owner);
    const output = action && this.store.getManifest(action.content);
    const inOutput = output?.chunks.some((c) => c.equals(chunk)) ?? false;
    if (!inOutput && !this.store.partials.includes(owner, chunk)) return false;
    if (await this.healed(chunk)) return true;
    if (await this.store.quarantineChunk(chunk)) {
      const fields = { chunk: err.chunk, value: owner.hex, content: action?.content.hex, kind: 'output' };
      this.record(fields, 'corrupt output chunk quarantined: output dropped, recomputing');
    }
    await this.store.removeActions([owner]);
    return true;
  }

  /**
   * True if the chunk is stored intact now. A reader may report bytes it loaded before a put or
   * a recomputation stored the good copy again: quarantining would then take the good copy,
   * and dropping the output would recompute it for nothing. Its read just reads again.
   */
  private async healed(chunk: Buffer): Promise<boolean> {
    const bytes = this.store.rawChunk(chunk);
    return bytes !== undefined && (await hashAsync(bytes)).equals(chunk);
  }

  /**
   * Quarantines a recipe a read found corrupt, in the background (the read fails meanwhile);
   * counted and logged once, when it moves.
   */
  recipeCorrupt(addr: CAddr): void {
    const moving = this.store
      .quarantineRecipe(addr.bytes)
      .then((moved) => {
        if (moved) this.record({ recipe: addr.hex, kind: 'recipe', by: 'read' }, 'corrupt recipe quarantined: it cannot be rebuilt');
      })
      .catch((err: unknown) => this.log.error({ err, recipe: addr.hex }, 'quarantining a corrupt recipe failed'));
    void this.moving.add(moving);
  }

  /** Settles once recipes being quarantined are. */
  settled(): Promise<void> {
    return this.moving.settled();
  }

  /** Counts and logs an integrity event (an error for lost data, a warning for a rebuildable output). */
  record(fields: { kind: string } & Record<string, unknown>, msg: string): void {
    this.events++;
    this.observer.onIntegrityEvent(fields.kind);
    if (fields.kind === 'output') this.log.warn({ integrity: fields }, msg);
    else this.log.error({ integrity: fields }, msg);
  }
}
