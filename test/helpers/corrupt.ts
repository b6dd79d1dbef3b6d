/**
 * Test-only hook: damages stored bytes by writing straight into a store's LMDB, as a failing
 * disk would, while no daemon or engine has the store open (close it first, reopen after), so
 * nothing holds an older snapshot or a cached copy of what is damaged.
 */
import { CAddr } from '../../src/core/caddr.js';
import { Store } from '../../src/store/store.js';

/** Chunk addresses of the value (leaf or output content) at `value`. */
export async function chunksOf(storeDir: string, value: CAddr | string): Promise<Buffer[]> {
  return withStore(storeDir, (store) => {
    const manifest = store.getManifest(typeof value === 'string' ? CAddr.fromHex(value) : value);
    if (!manifest) throw new Error(`no value ${String(value)} in ${storeDir}`);
    return [...manifest.chunks];
  });
}

/** Content address of a recipe's cached output. */
export async function outputOf(storeDir: string, recipe: CAddr | string): Promise<CAddr> {
  return withStore(storeDir, (store) => {
    const action = store.getAction(typeof recipe === 'string' ? CAddr.fromHex(recipe) : recipe);
    if (!action) throw new Error(`recipe ${String(recipe)} has no cached output`);
    return action.content;
  });
}

/** Flips one bit of byte `at` of a stored chunk, in place under the same address. */
export async function flipChunkByte(storeDir: string, chunk: Buffer, at = 0): Promise<void> {
  await withStore(storeDir, async (store) => {
    const bytes = Buffer.from(store.rawChunk(chunk) ?? fail(`no chunk ${chunk.toString('hex')}`));
    bytes[at % bytes.length]! ^= 0x01;
    await store.putChunk(chunk, bytes);
    await store.flushed();
  });
}

/** Flips one bit of the last byte of a stored recipe's DCF bytes, under the same address. */
export async function flipRecipeByte(storeDir: string, recipe: CAddr): Promise<void> {
  await withStore(storeDir, async (store) => {
    store.verifyReads = false;
    const dcf = Buffer.from(store.getRecipe(recipe) ?? fail(`no recipe ${recipe.hex}`));
    dcf[dcf.length - 1]! ^= 0x01;
    await store.putRecipe(recipe, dcf, []);
  });
}

async function withStore<T>(storeDir: string, fn: (store: Store) => T | Promise<T>): Promise<T> {
  const store = Store.open(storeDir);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function fail(message: string): never {
  throw new Error(message);
}
