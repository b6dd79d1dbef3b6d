/**
 * Sources asked in order, the first that has a value answering: the local store first, then
 * (in a cluster) the peers that may hold it. A {@link ValueSource} itself, so it stacks like any
 * other. A source that cannot be asked now (UNAVAILABLE, DEADLINE_EXCEEDED: a peer down) is
 * passed over for the next; if no later source answers, that failure is what the caller sees,
 * since "not found" would be a lie while a source that may hold the value could not be asked.
 * Any other failure (corrupt bytes above all) ends the call: damage is reported, not hidden.
 */
import type { CAddr } from '../core/caddr.js';
import { DerivaError, NotFoundError } from '../core/errors.js';
import { checkSignal } from './local-source.js';
import type { Located, Manifest, SourceOptions, ValueSource } from './value-source.js';

export class FirstOfSources implements ValueSource {
  constructor(private readonly sources: readonly ValueSource[]) {}

  locate(addr: CAddr, options?: SourceOptions): Promise<Located | undefined> {
    return this.first((s) => s.locate(addr, options), options);
  }

  manifest(content: CAddr, options?: SourceOptions): Promise<Manifest | undefined> {
    return this.first((s) => s.manifest(content, options), options);
  }

  recipe(addr: CAddr, options?: SourceOptions): Promise<Uint8Array | undefined> {
    return this.first((s) => s.recipe(addr, options), options);
  }

  /** Each chunk from the first source that has it (a source without it says NOT_FOUND). */
  async *chunks(chunks: readonly Buffer[], options?: SourceOptions): AsyncGenerator<Uint8Array> {
    for (const chunk of chunks) {
      const bytes = await this.first((s) => oneChunk(s, chunk, options), options);
      if (bytes === undefined) throw new NotFoundError(`chunk ${chunk.toString('hex')} is not stored`);
      yield bytes;
    }
  }

  private async first<T>(ask: (source: ValueSource) => Promise<T | undefined>, options?: SourceOptions): Promise<T | undefined> {
    let unavailable: unknown;
    for (const source of this.sources) {
      checkSignal(options);
      try {
        const found = await ask(source);
        if (found !== undefined) return found;
      } catch (err) {
        if (!isTransient(err)) throw err;
        unavailable ??= err;
      }
    }
    if (unavailable !== undefined) throw unavailable;
    return undefined;
  }
}

/** One chunk from `source`, or undefined if it does not have it. */
async function oneChunk(source: ValueSource, chunk: Buffer, options?: SourceOptions): Promise<Uint8Array | undefined> {
  try {
    for await (const bytes of source.chunks([chunk], options)) return bytes;
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
  return undefined;
}

/** A failure of reaching a source, not of the value: worth asking the next one. */
function isTransient(err: unknown): boolean {
  return err instanceof DerivaError && (err.code === 'UNAVAILABLE' || err.code === 'DEADLINE_EXCEEDED');
}
