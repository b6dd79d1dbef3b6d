/**
 * The one conformance suite every {@link ValueSource} passes (as ipfs's interface-blockstore-
 * tests are run against every blockstore): a test file builds its implementation in `setup`
 * with data seeded through the fixture, and calls {@link valueSourceTests}. What it pins down
 * is the contract of value-source.ts: leaves and cached outputs located, nothing computed,
 * manifests and chunks in order, nothing handed out unverified, absence as undefined (or
 * NOT_FOUND for chunks), and every call abandoned on an aborted signal.
 */
import type { Test } from 'tap';
import t from 'tap';
import { recipeAddressOfDcf } from '../../src/core/address.js';
import { CAddr } from '../../src/core/caddr.js';
import { hash } from '../../src/native/index.js';
import type { ValueSource } from '../../src/engine/value-source.js';
import { pseudoRandom } from '../helpers/temp.js';

/** An implementation under test, with the means to put data where it reads. */
export interface SourceFixture {
  readonly source: ValueSource;
  /** The chunk size values are split by. */
  readonly chunkSize: number;
  /** Stores `bytes` as a leaf; its address. */
  leaf(bytes: Uint8Array): Promise<CAddr>;
  /** Registers a recipe (`tag` makes it unique) and, given `output`, records those bytes as its cached output. */
  recipe(tag: string, output?: Uint8Array): Promise<CAddr>;
  /** Damages a stored chunk (one bit flipped under the same address); the source to read it through after. */
  corruptChunk(chunk: Buffer): Promise<ValueSource>;
}

export interface SuiteOptions {
  /** Builds the implementation in a fresh place, registering its own teardown on `t`. */
  setup(t: Test): Promise<SourceFixture>;
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of chunks) pieces.push(Buffer.from(piece));
  return Buffer.concat(pieces);
}

const unknown = CAddr.fromBytes(hash(Buffer.from('no such value')));

export function valueSourceTests(name: string, { setup }: SuiteOptions): void {
  t.test(`${name}: a leaf is located as itself, with its manifest and its chunks in order`, async (t) => {
    const f = await setup(t);
    const bytes = pseudoRandom(f.chunkSize * 2 + f.chunkSize / 2, 11);
    const addr = await f.leaf(bytes);
    t.same(await f.source.locate(addr), { kind: 'leaf', content: addr, size: bytes.length });
    const manifest = await f.source.manifest(addr);
    t.equal(manifest?.size, bytes.length);
    t.equal(manifest?.chunks.length, 3, 'three chunks');
    t.ok((await collect(f.source.chunks(manifest!.chunks))).equals(bytes), 'the chunks are the bytes, in order');
    t.ok((await collect(f.source.chunks([...manifest!.chunks].reverse()))).subarray(0, f.chunkSize / 2).equals(bytes.subarray(2 * f.chunkSize)),
      'in the order asked for');
  });

  t.test(`${name}: an empty leaf has no chunks`, async (t) => {
    const f = await setup(t);
    const addr = await f.leaf(new Uint8Array(0));
    t.same(await f.source.locate(addr), { kind: 'leaf', content: addr, size: 0 });
    t.same((await f.source.manifest(addr))?.chunks, []);
  });

  t.test(`${name}: a recipe with a cached output is located at that output; its recipe bytes hash to it`, async (t) => {
    const f = await setup(t);
    const output = pseudoRandom(f.chunkSize + 7, 12);
    const addr = await f.recipe('cached', output);
    const found = await f.source.locate(addr);
    t.equal(found?.kind, 'output');
    t.equal(found?.size, output.length);
    t.ok(found?.content.equals(CAddr.fromBytes(hash(output))), 'the content address is the bytes\' hash');
    const manifest = await f.source.manifest(found!.content);
    t.ok((await collect(f.source.chunks(manifest!.chunks))).equals(output), 'its chunks are the output');
    const dcf = await f.source.recipe(addr);
    t.ok(dcf && recipeAddressOfDcf(dcf).equals(addr), 'the recipe bytes are the recipe\'s');
  });

  t.test(`${name}: a recipe never computed is not located, and computing is not a source's business`, async (t) => {
    const f = await setup(t);
    const addr = await f.recipe('never computed');
    t.equal(await f.source.locate(addr), undefined);
    t.ok(await f.source.recipe(addr), 'its recipe bytes are there');
    t.equal(await f.source.locate(addr), undefined, 'still not located: nothing was computed');
  });

  t.test(`${name}: what it does not have is undefined, and a chunk it does not have is NOT_FOUND`, async (t) => {
    const f = await setup(t);
    t.equal(await f.source.locate(unknown), undefined);
    t.equal(await f.source.manifest(unknown), undefined);
    t.equal(await f.source.recipe(unknown), undefined);
    await t.rejects(collect(f.source.chunks([unknown.bytes])), { code: 'NOT_FOUND' });
  });

  t.test(`${name}: a damaged chunk is never handed out: INTEGRITY, after the good chunks before it`, async (t) => {
    const f = await setup(t);
    const bytes = pseudoRandom(f.chunkSize * 2, 13);
    const addr = await f.leaf(bytes);
    const { chunks } = (await f.source.manifest(addr))!;
    const source = await f.corruptChunk(chunks[1]!);
    const seen: Buffer[] = [];
    await t.rejects(
      (async () => {
        for await (const piece of source.chunks(chunks)) seen.push(Buffer.from(piece));
      })(),
      { code: 'INTEGRITY', chunk: chunks[1]!.toString('hex') },
    );
    t.equal(seen.length, 1, 'the good first chunk came first');
    t.ok(seen[0]!.equals(bytes.subarray(0, f.chunkSize)));
  });

  t.test(`${name}: every call gives up on an aborted signal`, async (t) => {
    const f = await setup(t);
    const addr = await f.leaf(pseudoRandom(100, 14));
    const { chunks } = (await f.source.manifest(addr))!;
    const options = { signal: AbortSignal.abort(new Error('the reader left')) };
    await t.rejects(f.source.locate(addr, options), { code: 'ABORTED' });
    await t.rejects(f.source.manifest(addr, options), { code: 'ABORTED' });
    await t.rejects(f.source.recipe(addr, options), { code: 'ABORTED' });
    await t.rejects(collect(f.source.chunks(chunks, options)), { code: 'ABORTED' });
  });
}
