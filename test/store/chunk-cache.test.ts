/**
 * The chunk read path (chunk-cache.ts) on a real LMDB table in a temp dir, with the table
 * written straight underneath it: reads are checked against the address unless checks are
 * off, a missing chunk and a quarantined one fail differently, loaded chunks are served from
 * the read cache until forgotten, a corrupt one is never cached, and a load already under way
 * is joined rather than repeated.
 */
import { join } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import t, { type Test } from 'tap';
import { CorruptChunkError, StoreError } from '../../src/core/errors.js';
import { hash } from '../../src/native/index.js';
import { ChunkCache } from '../../src/store/chunk-cache.js';
import type { BinaryDb } from '../../src/store/tables.js';
import { pseudoRandom, tempDir } from '../helpers/temp.js';

const CS = 4096;

interface Setup {
  readonly env: RootDatabase;
  readonly chunks: BinaryDb;
  readonly cache: ChunkCache;
  /** Raw addresses (hex) the quarantine claims to hold. */
  readonly quarantined: Set<string>;
  /** Whether reads are checked; the cache asks at each read. */
  verify: boolean;
}

/** A chunks table in a temp dir and a ChunkCache over it; closed when the test ends. */
async function createChunkCache(t: Test): Promise<Setup> {
  const path = join(await tempDir(t), 'chunks.mdb');
  const env = open({ path, maxDbs: 2, compression: false });
  t.teardown(() => env.close());
  const chunks: BinaryDb = env.openDB({ name: 'chunks', encoding: 'binary', keyEncoding: 'binary' });
  const quarantined = new Set<string>();
  const setup: Setup = {
    env,
    chunks,
    quarantined,
    verify: true,
    cache: new ChunkCache(chunks, { has: (_kind, addr) => quarantined.has(addr.toString('hex')) }, path, CS, () => setup.verify),
  };
  return setup;
}

/** Stores `bytes` under their address; returns it. */
function putChunk(s: Setup, bytes: Buffer): Buffer {
  const addr = hash(bytes);
  s.chunks.putSync(addr, bytes);
  return addr;
}

/** Overwrites the chunk at `addr` with `bytes` (damage, as a failing disk would). */
function overwrite(s: Setup, addr: Buffer, bytes: Buffer): void {
  s.chunks.putSync(addr, bytes);
  s.env.resetReadTxn();
}

function copyAll(s: Setup, addr: Buffer, length: number): Buffer {
  const target = Buffer.alloc(length);
  s.cache.copy(addr, target, 0, 0, length);
  return target;
}

t.test('get and use serve a chunk checked against its address, or refuse it', async (t) => {
  const s = await createChunkCache(t);
  const bytes = pseudoRandom(CS, 1);
  const addr = putChunk(s, bytes);
  t.same(s.cache.get(addr), bytes);
  t.equal(s.cache.use(addr, (view) => Buffer.compare(view, bytes)), 0, 'use sees exactly the chunk');
  overwrite(s, addr, pseudoRandom(CS, 2));
  t.throws(() => s.cache.get(addr), CorruptChunkError);
  t.throws(() => s.cache.use(addr, () => t.fail('never called')), CorruptChunkError);
  s.verify = false;
  t.same(s.cache.get(addr), pseudoRandom(CS, 2), 'with checks off it is served as stored');
});

t.test('a missing chunk is a store error, a quarantined one corrupt', async (t) => {
  const s = await createChunkCache(t);
  const addr = hash(Buffer.from('never stored'));
  t.throws(() => s.cache.get(addr), { name: StoreError.name, message: /is missing/ });
  await t.rejects(s.cache.load([addr]), { message: /is missing/ });
  s.quarantined.add(addr.toString('hex'));
  t.throws(() => s.cache.get(addr), { name: CorruptChunkError.name, message: /quarantined/ });
  t.throws(() => copyAll(s, addr, 1), { name: CorruptChunkError.name, message: /quarantined/ });
});

t.test('loaded chunks are copied from the read cache until forgotten', async (t) => {
  const s = await createChunkCache(t);
  const bytes = pseudoRandom(CS - 100, 3); // a short last chunk: copies stop at its end
  const addr = putChunk(s, bytes);
  await s.cache.load([addr]);
  overwrite(s, addr, pseudoRandom(CS - 100, 4));
  const target = Buffer.alloc(CS, 0xee);
  s.cache.copy(addr, target, 10, 0, CS);
  t.same(target.subarray(10, 10 + bytes.length), bytes, 'the cached, checked bytes');
  t.equal(target[10 + bytes.length], 0xee, 'nothing past the chunk end');
  s.cache.forget([addr]);
  t.throws(() => copyAll(s, addr, 1), CorruptChunkError, 'forgotten: read again, and refused');
});

t.test('a corrupt chunk fails its load and is not cached', async (t) => {
  const s = await createChunkCache(t);
  const good = pseudoRandom(CS, 5);
  const addr = putChunk(s, good);
  overwrite(s, addr, pseudoRandom(CS, 6));
  await t.rejects(s.cache.load([addr]), CorruptChunkError);
  await t.rejects(s.cache.load([addr]), CorruptChunkError, 'refused again: the first failure left nothing cached');
  overwrite(s, addr, good);
  await s.cache.load([addr]);
  t.same(copyAll(s, addr, CS), good, 'a good copy written later loads');
});

t.test('a load under way is joined, not repeated', async (t) => {
  const s = await createChunkCache(t);
  const good = pseudoRandom(CS, 7);
  const addr = putChunk(s, good);
  const first = s.cache.load([addr]); // copied out now, checked on the libuv pool
  overwrite(s, addr, pseudoRandom(CS, 8));
  const second = s.cache.load([addr]); // a fresh load would read the damaged bytes and fail
  await Promise.all([first, second]);
  t.same(copyAll(s, addr, CS), good);
});
