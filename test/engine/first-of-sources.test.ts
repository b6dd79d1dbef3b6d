/**
 * Sources asked in order (first-of-sources.ts): the conformance suite over an empty local store
 * followed by the seeded one (every answer comes from the second source), and the rules for
 * sources that fail: one that cannot be reached is passed over, its failure surfaces when no
 * other source answers, and damage ends the call even when a later source has a good copy.
 * The unreachable source is a stub: what matters here is the ordering logic, not a network.
 */
import t from 'tap';
import { CAddr } from '../../src/core/caddr.js';
import { UnavailableError } from '../../src/core/errors.js';
import { FirstOfSources } from '../../src/engine/first-of-sources.js';
import type { ValueSource } from '../../src/engine/value-source.js';
import { hash } from '../../src/native/index.js';
import { localFixture } from '../helpers/local-source.js';
import { pseudoRandom } from '../helpers/temp.js';
import { valueSourceTests } from './value-source-suite.js';

valueSourceTests('first of (empty local, seeded local)', {
  async setup(t) {
    const empty = await localFixture(t);
    const seeded = await localFixture(t);
    return {
      ...seeded,
      source: new FirstOfSources([empty.source, seeded.source]),
      corruptChunk: async (chunk) => new FirstOfSources([empty.source, await seeded.corruptChunk(chunk)]),
    };
  },
});

/** A source that cannot be reached: every call fails UNAVAILABLE. */
const unreachable: ValueSource = {
  locate: () => Promise.reject(new UnavailableError('peer 127.0.0.9 is unreachable')),
  manifest: () => Promise.reject(new UnavailableError('peer 127.0.0.9 is unreachable')),
  recipe: () => Promise.reject(new UnavailableError('peer 127.0.0.9 is unreachable')),
  chunks: async function* () {
    throw new UnavailableError('peer 127.0.0.9 is unreachable');
  },
};

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of chunks) pieces.push(Buffer.from(piece));
  return Buffer.concat(pieces);
}

t.test('an unreachable source is passed over for one that answers', async (t) => {
  const f = await localFixture(t);
  const bytes = pseudoRandom(f.chunkSize + 1, 21);
  const addr = await f.leaf(bytes);
  const first = new FirstOfSources([unreachable, f.source]);
  t.same(await first.locate(addr), { kind: 'leaf', content: addr, size: bytes.length });
  const { chunks } = (await first.manifest(addr))!;
  t.ok((await collect(first.chunks(chunks))).equals(bytes));
});

t.test('when no other source answers, the unreachable one\'s failure is what the caller sees, not "absent"', async (t) => {
  const f = await localFixture(t);
  const missing = CAddr.fromBytes(hash(Buffer.from('nowhere')));
  const first = new FirstOfSources([f.source, unreachable]);
  await t.rejects(first.locate(missing), { code: 'UNAVAILABLE' });
  await t.rejects(first.recipe(missing), { code: 'UNAVAILABLE' });
  await t.rejects(collect(first.chunks([missing.bytes])), { code: 'UNAVAILABLE' });
  t.equal(await new FirstOfSources([f.source]).locate(missing), undefined, 'with only reachable sources, absent is undefined');
});

t.test('a damaged chunk ends the read even when a later source holds a good copy', async (t) => {
  const damaged = await localFixture(t);
  const good = await localFixture(t);
  const bytes = pseudoRandom(damaged.chunkSize, 22);
  const addr = await damaged.leaf(bytes);
  await good.leaf(bytes);
  const { chunks } = (await damaged.source.manifest(addr))!;
  const first = new FirstOfSources([await damaged.corruptChunk(chunks[0]!), good.source]);
  await t.rejects(collect(first.chunks(chunks)), { code: 'INTEGRITY' });
  t.ok((await collect(good.source.chunks(chunks))).equals(bytes), 'the good copy was there');
});
