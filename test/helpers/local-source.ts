/**
 * The local store as a ValueSource under test: a real LMDB in a temp dir (reopened after it is
 * damaged, as a failing disk would damage it), seeded the way the conformance suite asks.
 */
import type { Test } from 'tap';
import { recipeAddressOfDcf } from '../../src/core/address.js';
import type { CAddr } from '../../src/core/caddr.js';
import { encodeRecipe } from '../../src/core/dcf.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import { LocalSource } from '../../src/engine/local-source.js';
import { Store } from '../../src/store/store.js';
import { ValueWriter } from '../../src/store/value-writer.js';
import type { SourceFixture } from '../engine/value-source-suite.js';
import { flipChunkByte } from './corrupt.js';
import { tempDir } from './temp.js';

const CS = 4096;

export interface LocalFixture extends SourceFixture {
  /** The store the source reads now. */
  store(): Store;
  /** Closes the store, runs `damage` on its directory (as a failing disk would), reopens it. */
  damage(damage: (dir: string) => Promise<void>): Promise<LocalSource>;
}

/** A LocalSource over a fresh store, closed at teardown. */
export async function localFixture(t: Test, verifyReads = true): Promise<LocalFixture> {
  const dir = await tempDir(t);
  let store = Store.open(dir, { chunkSize: CS, verifyReads });
  t.teardown(() => store.close());
  const write = async (bytes: Uint8Array, kind: 'leaf' | 'cache') => {
    const writer = new ValueWriter(store, kind);
    await writer.write(bytes);
    return writer.finish();
  };
  const fixture: LocalFixture = {
    source: new LocalSource(store),
    chunkSize: CS,
    store: () => store,
    async leaf(bytes) {
      const { addr, manifest } = await write(bytes, 'leaf');
      await store.putValue(addr, manifest, 'leaf', 'held');
      return addr;
    },
    async recipe(tag, output) {
      const dcf = encodeRecipe({ fn: parseFunctionId('concat@1'), inputs: [], params: new Map([['tag', { type: 'string', value: tag }]]) });
      const addr: CAddr = recipeAddressOfDcf(dcf);
      await store.putRecipe(addr, dcf, []);
      if (output) {
        const value = await write(output, 'cache');
        await store.putOutput(addr, value.addr, value.manifest, 1);
      }
      return addr;
    },
    corruptChunk: (chunk) => fixture.damage((dir) => flipChunkByte(dir, chunk)),
    async damage(damage) {
      await store.close();
      await damage(dir);
      store = Store.open(dir, { chunkSize: CS, verifyReads });
      return new LocalSource(store);
    },
  };
  return fixture;
}

