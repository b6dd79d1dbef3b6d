import t from 'tap';
import { hash } from '../../src/native/index.js';
import { readRange } from '../../src/store/value-reader.js';
import { ValueWriter } from '../../src/store/value-writer.js';
import { createStore, pseudoRandom } from '../helpers/temp.js';

/** 1 MiB chunks (the default): enough of them that groups and both windows fill many times. */
const SIZE = 40 * 1024 * 1024 + 12345;
const PIECE = 64 * 1024 + 7;

/** Hands `bytes` to `writer` in pieces that straddle chunk boundaries, as a stream would. */
async function writeInPieces(writer: ValueWriter, bytes: Buffer): Promise<void> {
  for (let at = 0; at < bytes.length; at += PIECE) await writer.write(bytes.subarray(at, at + PIECE));
}

t.test('chunk buffers reused before their commit: a value of many groups reads back intact', async (t) => {
  const store = await createStore(t);
  const bytes = pseudoRandom(SIZE, 7);
  const writer = new ValueWriter(store, 'leaf');
  await writeInPieces(writer, bytes);
  const { addr, manifest } = await writer.finish();
  await store.putValue(addr, manifest, 'leaf', 'held');
  t.equal(addr.hex, hash(bytes).toString('hex'));
  t.equal(manifest.chunks.length, Math.ceil(SIZE / store.chunkSize));
  for (const [i, chunk] of manifest.chunks.entries()) {
    const from = i * store.chunkSize;
    t.equal(chunk.toString('hex'), hash(bytes.subarray(from, from + store.chunkSize)).toString('hex'), `chunk ${i} address`);
  }
  t.ok(readRange(store, manifest, 0, SIZE).equals(bytes), 'bytes read back');
});

t.test('a writer aborted after many groups leaves no value and no chunk', async (t) => {
  const store = await createStore(t);
  const writer = new ValueWriter(store, 'leaf');
  await writeInPieces(writer, pseudoRandom(SIZE, 8));
  await writer.abort();
  const stats = store.stats();
  t.equal(stats.values, 0);
  t.equal(stats.leaves, 0);
  t.equal(stats.chunks, 0, 'every chunk reference given back, every chunk deleted');
  t.equal(store.cachedBytes(), 0);
});
