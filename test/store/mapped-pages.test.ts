/**
 * Reading a large value out of the store's memory map does not leave it counted in the
 * process's resident set: the store releases mapped pages as it reads (they stay in the page
 * cache). Measured from /proc/self/status of this very process.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { releaseMappedPages } from '../../src/native/index.js';
import { readInto } from '../../src/store/value-reader.js';
import { ValueWriter } from '../../src/store/value-writer.js';
import { createStore, pseudoRandom } from '../helpers/temp.js';

const MiB = 1024 * 1024;

async function residentFileBytes(): Promise<number> {
  const status = await readFile('/proc/self/status', 'utf8');
  return Number(/^RssFile:\s+(\d+) kB/m.exec(status)![1]) * 1024;
}

t.test('reading 512 MiB through the store leaves well under that resident', async (t) => {
  const store = await createStore(t);
  const block = pseudoRandom(MiB, 3);
  const writer = new ValueWriter(store, 'leaf');
  for (let i = 0; i < 512; i++) {
    block.writeUInt32BE(i, 0); // distinct chunks: no dedupe
    await writer.write(block);
  }
  const { addr, manifest } = await writer.finish();
  await store.putValue(addr, manifest, 'leaf', 'held');
  const before = await residentFileBytes();
  const target = Buffer.allocUnsafe(MiB);
  for (let at = 0; at < manifest.size; at += MiB) readInto(store, manifest, at, target);
  const grown = (await residentFileBytes()) - before;
  t.ok(grown < 128 * MiB, `file-backed resident memory grew by ${(grown / MiB).toFixed(0)} MiB for 512 MiB read`);
  t.equal(target.readUInt32BE(0), 511, 'and the bytes read are the value');
});

t.test('releaseMappedPages: bytes of mappings advised, 0 for a file not mapped, TypeError for junk', async (t) => {
  const store = await createStore(t);
  t.ok(releaseMappedPages(join(store.dir, 'deriva.mdb')) > 0, 'the store file is mapped');
  t.equal(releaseMappedPages('/no/such/file'), 0);
  t.throws(() => releaseMappedPages(42 as unknown as string), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
});
