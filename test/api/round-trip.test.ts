/** Every RPC through the real client, server and engine: results match what the engine holds. */
import { execFileSync } from 'node:child_process';
import t from 'tap';
import type { DerivaClient } from '../../src/api/client.js';
import { pseudoRandom } from '../helpers/temp.js';
import { startApi } from './helpers.js';

const b3sum = (bytes: Uint8Array): string => execFileSync('b3sum', ['--no-names'], { input: bytes }).toString().trim();

async function getAll(client: DerivaClient, addr: string, range: { offset?: number; length?: number } = {}): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of client.get(addr, range)) pieces.push(piece);
  return Buffer.concat(pieces);
}

async function* inPieces(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

t.test('PutLeaf stores 0 B, small and multi-MiB leaves at their BLAKE3 address', async (t) => {
  const { client, engine } = await startApi(t);
  for (const [name, bytes] of [
    ['empty', Buffer.alloc(0)],
    ['small', Buffer.from('hello, deriva\n')],
    ['7 MiB + 3', pseudoRandom(7 * 1024 * 1024 + 3, 11)],
  ] as const) {
    const progress: number[] = [];
    const put = await client.putLeaf(bytes, (sent) => progress.push(sent));
    t.equal(put.addr, b3sum(bytes), `${name}: address is b3sum of the bytes`);
    t.equal(put.size, BigInt(bytes.length), `${name}: size`);
    t.ok((await engine.read(engine.resolveAddress(put.addr))).equals(bytes), `${name}: engine holds the bytes`);
    t.ok((await getAll(client, put.addr)).equals(bytes), `${name}: Get returns the bytes`);
    if (bytes.length > 0) t.equal(progress.at(-1), bytes.length, `${name}: progress reaches the size`);
  }
  const big = pseudoRandom(5 * 1024 * 1024, 3);
  const streamed = await client.putLeaf(inPieces(big, 3 * 1024 * 1024 + 17));
  t.equal(streamed.addr, b3sum(big), 'an async iterable of odd-sized pieces gives the same address');
});

t.test('PutRecipe takes text params coerced by the schema, or typed params', async (t) => {
  const { client } = await startApi(t);
  const leaf = await client.putLeaf(Buffer.from('Hello, World!'));
  const sliced = await client.putRecipe('slice@1', [leaf.addr], [['offset', '7'], ['length', '5']]);
  t.equal((await getAll(client, sliced)).toString(), 'World');
  const typed = await client.putRecipe('slice@1', [leaf.addr.slice(0, 12)], new Map([
    ['offset', { type: 'int', value: 7n }],
    ['length', { type: 'int', value: 5n }],
  ] as const));
  t.equal(typed, sliced, 'typed ints and coerced text give one address; a prefix names the input');
  const stat = await client.stat(sliced);
  t.same(stat.recipe, {
    function: 'slice@1',
    inputs: [leaf.addr],
    params: [{ key: 'length', intValue: 5n }, { key: 'offset', intValue: 7n }],
  }, 'Stat shows the recipe with typed params');
  const rep = await client.putRecipe('replace@1', [leaf.addr], [['from', 'World'], ['to', 'there']]);
  t.equal((await getAll(client, rep)).toString(), 'Hello, there!');
});

t.test('Get reads whole values and ranges, clamped at the end', async (t) => {
  const { client } = await startApi(t, { chunkSize: 4096 });
  const bytes = pseudoRandom(20_000, 5);
  const { addr } = await client.putLeaf(bytes);
  t.ok((await getAll(client, addr)).equals(bytes), 'whole');
  t.ok((await getAll(client, addr, { offset: 4000, length: 9000 })).equals(bytes.subarray(4000, 13_000)), 'range across chunks');
  t.ok((await getAll(client, addr, { offset: 19_990 })).equals(bytes.subarray(19_990)), 'offset to the end');
  t.ok((await getAll(client, addr, { offset: 19_990, length: 100 })).equals(bytes.subarray(19_990)), 'length past the end');
  t.equal((await getAll(client, addr, { offset: 50_000 })).length, 0, 'offset past the end: empty');
  t.equal((await getAll(client, addr, { length: 0 })).length, 0, 'zero length: empty');
  const pieces: number[] = [];
  for await (const p of client.get(addr)) pieces.push(p.length);
  t.ok(pieces.every((n) => n <= 4096), 'pieces are at most one chunk');
  const up = await client.putRecipe('upper@1', [addr]);
  const upper = Buffer.from(bytes.map((b) => (b >= 0x61 && b <= 0x7a ? b - 0x20 : b)));
  t.ok((await getAll(client, up, { offset: 5000, length: 3000 })).equals(upper.subarray(5000, 8000)), 'range of a recipe');
});

t.test('Stat before and after compute, and with compute=true', async (t) => {
  const { client } = await startApi(t);
  const leaf = await client.putLeaf(Buffer.from('a\nc\nb\n'));
  t.match(await client.stat(leaf.addr), { addr: leaf.addr, kind: 'leaf', state: 'materialized', size: 6n, recipe: undefined });
  const sorted = await client.putRecipe('sort-lines@1', [leaf.addr]);
  const before = await client.stat(sorted);
  t.match(before, { kind: 'recipe', state: 'not-materialized', size: undefined, content: undefined });
  const computed = await client.stat(sorted, { compute: true });
  t.match(computed, { state: 'materialized', size: 6n, content: b3sum(Buffer.from('a\nb\nc\n')) });
  t.same(await client.stat(sorted), computed, 'a later Stat sees the computed size');
  const gz = await client.putRecipe('gzip@1', [leaf.addr]);
  await getAll(client, gz);
  t.match(await client.stat(gz), { state: 'materialized' }, 'a Get materializes');
});

t.test('Resolve lists a 3-level DAG with a shared node once, root first, breadth-first', async (t) => {
  const { client } = await startApi(t);
  const a = (await client.putLeaf(Buffer.from('alpha\n'))).addr;
  const b = (await client.putLeaf(Buffer.from('beta\n'))).addr;
  const upA = await client.putRecipe('upper@1', [a]);
  const cat = await client.putRecipe('concat@1', [upA, b]);
  const root = await client.putRecipe('concat@1', [cat, upA, a]);
  const dag = await client.resolve(root.slice(0, 10));
  t.equal(dag.root, root);
  t.same(dag.nodes.map((n) => n.addr), [root, cat, upA, a, b]);
  t.match(dag.nodes[0], { kind: 'recipe', state: 'not-materialized', recipe: { function: 'concat@1', inputs: [cat, upA, a] } });
  t.match(dag.nodes[3], { kind: 'leaf', state: 'materialized', size: 6n, recipe: undefined });
  const leafOnly = await client.resolve(b);
  t.same(leafOnly.nodes.map((n) => n.addr), [b], 'a leaf resolves to itself');
});

t.test('Invalidate reports evicted outputs and depth', async (t) => {
  const { client } = await startApi(t);
  const leaf = (await client.putLeaf(Buffer.from('x'))).addr;
  const up = await client.putRecipe('upper@1', [leaf]);
  const down = await client.putRecipe('lower@1', [up]);
  t.same(await client.invalidate(leaf), { evicted: 0n, depth: 0, policy: 'immediate', pending: 0n }, 'nothing computed yet');
  await getAll(client, down);
  t.same(await client.invalidate(leaf), { evicted: 2n, depth: 2, policy: 'immediate', pending: 0n }, 'both outputs, two levels up');
  t.match(await client.stat(down), { state: 'not-materialized' });
  t.equal((await getAll(client, down)).toString(), 'x', 'recomputed on the next read');
});

t.test('Status reports the daemon and counters that move', async (t) => {
  const { client, home } = await startApi(t);
  const s0 = await client.status();
  t.match(s0, { version: '0.0.0-test', home, mount: '', chunkSize: 1024 * 1024, leaves: 0n, recipes: 0n, computations: 0n });
  t.ok(s0.uptimeMs >= 0n);
  const leaf = (await client.putLeaf(Buffer.from('counted'))).addr;
  const up = await client.putRecipe('upper@1', [leaf]);
  await getAll(client, up);
  const s1 = await client.status();
  // upper@1 is chunkwise: its one chunk is computed alone, then recorded as the whole output.
  t.match(s1, { leaves: 1n, recipes: 1n, cachedOutputs: 1n, computations: 0n, chunksComputed: 1n, bytesComputed: 7n, queued: 0n });
  t.ok(s1.values >= 2n && s1.chunks >= 2n);
});

t.test('ListFunctions gives every function with its schema', async (t) => {
  const { client, engine } = await startApi(t);
  const fns = await client.listFunctions();
  t.equal(fns.length, engine.functions().length);
  t.same(fns.map((f) => f.id), [...fns.map((f) => f.id)].sort(), 'sorted by id');
  t.same(fns.find((f) => f.id === 'upper@1'), {
    id: 'upper@1', name: 'upper', version: 1, kind: 'chunkwise',
    doc: 'ASCII letters to uppercase, other bytes unchanged', minInputs: 1, maxInputs: 1, params: [],
    usesFloat: false,
    nondeterministic: false,
  });
  t.equal(fns.find((f) => f.id === 'fmap@1')?.usesFloat, true, 'float functions say so');
  const slice = fns.find((f) => f.id === 'slice@1')!;
  t.match(slice.params.find((p) => p.name === 'offset'), { type: 'int' });
  t.ok(slice.params.every((p) => p.required === (p.default === undefined)), 'required exactly when no default');
  const concat = fns.find((f) => f.id === 'concat@1')!;
  t.equal(concat.maxInputs, undefined, 'unbounded inputs');
});
