/**
 * Test-only hook: damages stored bytes by writing straight into a store's LMDB, as a failing
 * disk would, while no daemon or engine has the store open (close it first, reopen after), so
 * nothing holds an older snapshot or a cached copy of what is damaged.
 */
import { join } from 'node:path';
import { open } from 'lmdb';
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
  await flipStored(storeDir, 'chunks', chunk, (bytes) => at % bytes.length);
}

/** Flips one bit of the last byte of a stored recipe's DCF bytes, under the same address. */
export async function flipRecipeByte(storeDir: string, recipe: CAddr): Promise<void> {
  await flipStored(storeDir, 'recipes', recipe.bytes, (bytes) => bytes.length - 1);
}

/** Flips the low bit of one byte of a record, writing the table directly as a failing disk would. */
async function flipStored(storeDir: string, table: 'chunks' | 'recipes', key: Buffer, at: (bytes: Buffer) => number): Promise<void> {
  const env = open({ path: join(storeDir, 'deriva.mdb'), maxDbs: 32, compression: false });
  try {
    const db = env.openDB<Buffer, Buffer>({ name: table, encoding: 'binary', keyEncoding: 'binary' });
    const bytes = Buffer.from(db.getBinary(key) ?? fail(`no ${table} record ${key.toString('hex')}`));
    bytes[at(bytes)]! ^= 0x01;
    await db.put(key, bytes);
  } finally {
    await env.close();
  }
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
