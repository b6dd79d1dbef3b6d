/**
 * A value larger than comfortable memory goes in chunk by chunk: 2 GiB streamed through a
 * ValueWriter keeps the process RSS under 300 MB, and reads back hash-correct. The put runs in
 * a child process on the built code (see fixtures/stream-put.mjs) so that only Deriva's own
 * memory is measured.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';
import { CAddr } from '../../src/core/caddr.js';
import { Hasher } from '../../src/native/index.js';
import { Store } from '../../src/store/store.js';
import { iterateChunks } from '../../src/store/value-reader.js';
import { tempDir } from '../helpers/temp.js';

const TOTAL = 2 * 1024 * 1024 * 1024;
const RSS_LIMIT = 300 * 1000 * 1000;

t.test('2 GiB streaming put stays under 300 MB RSS and reads back hash-correct', async (t) => {
  const dir = await tempDir(t);
  const child = fileURLToPath(new URL('./fixtures/stream-put.mjs', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [child, dir, String(TOTAL), '42']);
  const { addr, size, peakRss } = JSON.parse(stdout) as { addr: string; size: number; peakRss: number };
  t.equal(size, TOTAL);
  t.ok(peakRss < RSS_LIMIT, `peak RSS ${(peakRss / 1e6).toFixed(0)} MB < 300 MB`);

  const store = Store.open(dir);
  t.teardown(() => store.close());
  const reread = new Hasher();
  const manifest = store.getManifest(CAddr.fromHex(addr))!;
  t.equal(manifest.chunks.length, TOTAL / store.chunkSize);
  for (const chunk of iterateChunks(store, manifest)) reread.update(chunk);
  t.equal(reread.finalize().toString('hex'), addr, 'content is BLAKE3-correct after reopen');
  t.ok(store.isLeaf(CAddr.fromHex(addr)));
});
