/**
 * Get with a slow reader: the server pulls chunks from the store only as the reader makes
 * room, so a stalled reader of a large value holds the server to a small window, and the
 * bytes still arrive complete and in order.
 */
import { createHash } from 'node:crypto';
import t from 'tap';
import { pseudoRandom } from '../helpers/temp.js';
import { countStreamed, startApi } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MiB = 1024 * 1024;

t.test('a stalled reader of a 64 MiB value does not make the server read it all', async (t) => {
  const { client, engine } = await startApi(t);
  const bytes = pseudoRandom(64 * MiB, 21);
  const want = createHash('sha256').update(bytes).digest('hex');
  const { addr } = await client.putLeaf(bytes);
  const counter = countStreamed(engine);

  const got = createHash('sha256');
  let received = 0;
  let pieces = 0;
  let whileStalled = -1;
  let largest = 0;
  for await (const piece of client.get(addr)) {
    got.update(piece);
    received += piece.length;
    pieces++;
    largest = Math.max(largest, piece.length);
    if (pieces === 1) {
      await sleep(1000); // stall: the server must stop at its window
      whileStalled = counter.chunks;
    } else if (pieces % 8 === 0) {
      await sleep(20);
    }
  }
  t.equal(received, bytes.length, 'every byte arrives');
  t.equal(got.digest('hex'), want, 'in order');
  t.equal(largest, MiB, 'pieces of one chunk');
  t.comment(`chunks read by the server while the reader stalled after 1: ${whileStalled} of 64`);
  t.ok(whileStalled >= 2 && whileStalled <= 32, `server read ${whileStalled} of 64 chunks during the stall`);
  t.equal(counter.chunks, 64, 'then the rest, as the reader moved on');
});
