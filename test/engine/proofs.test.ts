/**
 * Derivation proofs on a real LMDB store and worker pool: every way an output is recorded (a
 * whole computation in a worker, a chunkwise output promoted after range reads, a streaming run
 * on the main thread) signs a proof that verifies; eviction, invalidation, garbage collection
 * and ref rebinding drop it with the output, a recomputation signs a new one, and the audit
 * log keeps every entry through all of it.
 */
import { generateKeyPairSync } from 'node:crypto';
import t from 'tap';
import type { CAddr } from '../../src/core/caddr.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { ParamValue } from '../../src/core/recipe.js';
import type { Engine } from '../../src/engine/engine.js';
import type { ProofNode } from '../../src/proof/chain.js';
import { NodeKey } from '../../src/proof/node-key.js';
import { verifyChain } from '../../src/proof/verify.js';
import { Store } from '../../src/store/store.js';
import { createEngine, pseudoRandom, tempDir } from '../helpers/temp.js';

const CS = 4096;
const fn = parseFunctionId;
const none = new Map<string, ParamValue>();
const str = (value: string): ParamValue => ({ type: 'string', value });
const newKey = () => new NodeKey(generateKeyPairSync('ed25519').privateKey);
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

async function proofOf(engine: Engine, addr: CAddr): Promise<ProofNode> {
  const chain = await engine.proof(addr);
  if (!('proof' in chain)) throw new Error(`expected a proof, got ${JSON.stringify(chain)}`);
  return chain;
}

t.test('a leaf is itself; a recipe proof names its recipe, inputs, output and signer, and verifies', async (t) => {
  const key = newKey();
  const engine = await createEngine(t, { chunkSize: CS, nodeKey: key });
  const leaf = await engine.put(Buffer.from('hello\n'));
  t.same(await engine.proof(leaf), { leaf: leaf.hex });
  const up = await engine.putRecipe(fn('upper@1'), [leaf], none);
  await t.rejects(engine.proof(up), { code: 'NOT_FOUND', message: /has no proof: its output is not cached/ });
  await engine.materialize(up);
  const chain = await proofOf(engine, up);
  t.match(chain.proof, { v: 1, recipe: up.hex, inputs: [{ leaf: leaf.hex }], output: engine.info(up).content!.hex, size: 6, node: key.publicKey });
  t.same(chain.inputs, [{ leaf: leaf.hex }]);
  t.match(verifyChain(chain, { trust: [key.publicKey] }), { ok: true, proofs: 1, leaves: [leaf.hex], signers: [key.publicKey] });
  t.match(engine.audit({}), [{ seq: 1, recipe: up.hex, inputs: [leaf.hex], node: key.publicKey, proof: chain.hash }]);
});

t.test('a multi-level DAG: the chain reaches every leaf through whole, structural and chunkwise outputs', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS, nodeKey: newKey() });
  const a = await engine.put(Buffer.from('b line\na line\n'));
  const b = await engine.put(Buffer.from('C LINE\n'));
  const up = await engine.putRecipe(fn('upper@1'), [a], none);
  const low = await engine.putRecipe(fn('lower@1'), [b], none);
  const cat = await engine.putRecipe(fn('concat@1'), [up, low], none);
  const sorted = await engine.putRecipe(fn('sort-lines@1'), [cat], none);
  t.equal((await engine.read(sorted)).toString(), 'A LINE\nB LINE\nc line\n');
  const chain = await proofOf(engine, sorted);
  const v = verifyChain(chain);
  t.match(v, { ok: true, proofs: 4, anchors: [] });
  t.same(new Set(v.leaves), new Set([a.hex, b.hex]));
  const catNode = chain.inputs[0] as ProofNode;
  t.equal(catNode.proof.recipe, cat.hex);
  t.same(catNode.inputs.map((n) => ('proof' in n ? n.proof.recipe : n)), [up.hex, low.hex]);
  t.match(chain.proof.inputs, [{ recipe: cat.hex, output: engine.info(cat).content!.hex, proof: catNode.hash }]);
  t.same(engine.audit({ addr: a }).map((e) => e.recipe), [up.hex], 'audit --addr finds what was computed from a leaf');
  t.same(engine.audit({ addr: sorted }).length, 1);
  t.same(engine.audit({ after: 3 }).map((e) => e.seq), [4]);
  t.same(engine.audit({ since: Date.now() + 60_000 }), []);
});

t.test('a chunkwise output promoted after range reads and a streaming output both get proofs', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS, nodeKey: newKey() });
  const leaf = await engine.put(pseudoRandom(3 * CS, 7));
  const xor = await engine.putRecipe(fn('xor@1'), [leaf], new Map([['key', str('2a')]]));
  for (let i = 2; i >= 0; i--) await engine.readInto(xor, i * CS, new Uint8Array(CS)); // chunk by chunk
  await engine.settled();
  t.equal(engine.info(xor).state, 'materialized', 'promoted');
  t.match(verifyChain(await proofOf(engine, xor)), { ok: true, proofs: 1 });

  const text = await engine.put(Buffer.from('keep this\ndrop that\nkeep too\n'));
  const grep = await engine.putRecipe(fn('grep@1'), [text], new Map([['pattern', str('keep')]]));
  t.equal((await engine.read(grep)).toString(), 'keep this\nkeep too\n');
  await engine.settled();
  t.match(verifyChain(await proofOf(engine, grep)), { ok: true, proofs: 1 });
});

t.test('an input read through without being stored is materialized for the chain', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS, nodeKey: newKey() });
  const leaf = await engine.put(Buffer.from('abcdefgh'));
  const slice = await engine.putRecipe(fn('slice@1'), [leaf], new Map([['offset', { type: 'int', value: 2n }], ['length', { type: 'int', value: 3n }]]));
  const up = await engine.putRecipe(fn('upper@1'), [slice], none);
  t.equal((await engine.read(up)).toString(), 'CDE'); // range reads: the slice is never stored
  await engine.settled();
  const chain = await proofOf(engine, up);
  t.same(chain.proof.inputs, [{ recipe: slice.hex }], 'signed as read through, by recipe');
  t.match(chain.inputs, [{ proof: { recipe: slice.hex, inputs: [{ leaf: leaf.hex }] } }]);
  t.match(verifyChain(chain), { ok: true, proofs: 2 });
});

t.test('a DAG that shares inputs gives each proof once: a 20-level chain of diamonds', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS, nodeKey: newKey() });
  const leaf = await engine.put(Buffer.from('x'));
  let top: CAddr = leaf;
  for (let level = 1; level <= 20; level++) top = await engine.putRecipe(fn('concat@1'), [top, top], none);
  await engine.materialize(top); // 1 MiB of x; the levels below are read through, then proved
  const chain = await proofOf(engine, top);
  const text = JSON.stringify(chain);
  t.equal(text.match(/"same":/g)?.length, 19, 'every level but the first names its second input by hash');
  t.ok(text.length < 100_000, `${text.length} bytes, not 2^20 copies of the bottom proof`);
  t.match(verifyChain(chain), { ok: true, proofs: 20, leaves: [leaf.hex], failures: [] });
  t.same(chain.inputs[1], { same: (chain.inputs[0] as ProofNode).hash }, 'the second input is the first again');
});

t.test('invalidation drops the proof; a recompute signs a new one; an old input proof becomes an anchor', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS, nodeKey: newKey() });
  const leaf = await engine.put(Buffer.from('x y\n'));
  const up = await engine.putRecipe(fn('upper@1'), [leaf], none);
  const sorted = await engine.putRecipe(fn('sort-lines@1'), [up], none);
  await engine.materialize(sorted);
  const first = await proofOf(engine, up);
  await engine.invalidate(up, 'none');
  await t.rejects(engine.proof(up), { code: 'NOT_FOUND' }, 'dropped with the output');
  const anchored = await proofOf(engine, sorted);
  t.same(anchored.inputs, [{ anchor: first.hash }], 'the input proof is no longer held: its anchor stands for it');
  t.match(verifyChain(anchored), { ok: true, proofs: 1, anchors: [{ path: 'root.inputs[0]', hash: first.hash }] });

  await tick();
  await engine.materialize(up);
  const second = await proofOf(engine, up);
  t.not(second.hash, first.hash, 'a new proof');
  t.equal(second.proof.output, first.proof.output, 'of the same output');
  t.same((await proofOf(engine, sorted)).inputs, [{ anchor: first.hash }], 'the dependent still names the proof it was signed over');
  t.equal(engine.audit({ addr: up }).length, 3, 'audit: up twice, sorted once (naming up as input)');
});

t.test('ref rebinding drops the proof; the new proof names the ref and its new binding', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS, nodeKey: newKey() });
  const v1 = await engine.put(Buffer.from('one\n'));
  const v2 = await engine.put(Buffer.from('two\n'));
  await engine.setRef('data', v1);
  const up = await engine.putRecipe(fn('upper@1'), [{ ref: 'data' }], none);
  await engine.materialize(up);
  t.same((await proofOf(engine, up)).proof.inputs, [{ leaf: v1.hex, ref: 'data' }]);
  await engine.setRef('data', v2);
  await t.rejects(engine.proof(up), { code: 'NOT_FOUND' });
  await engine.materialize(up);
  const chain = await proofOf(engine, up);
  t.same(chain.proof.inputs, [{ leaf: v2.hex, ref: 'data' }]);
  t.match(verifyChain(chain), { ok: true });
});

t.test('eviction and garbage collection drop proofs, never audit entries', async (t) => {
  const dir = await tempDir(t);
  const engine = await createEngine(t, { storeDir: dir, chunkSize: CS, cacheSize: 2 * 8 * CS, nodeKey: newKey() });
  const recipes: CAddr[] = [];
  for (let i = 0; i < 5; i++) {
    const leaf = await engine.put(pseudoRandom(8 * CS, i + 1));
    recipes.push(await engine.putRecipe(fn('sort-lines@1'), [leaf], none, { pin: false }));
    await engine.materialize(recipes[i]!);
  }
  const cached = recipes.filter((r) => engine.info(r).state === 'materialized');
  t.ok(engine.status().evictions >= 3, 'some outputs were evicted');
  for (const r of recipes) {
    if (cached.includes(r)) t.match(verifyChain(await engine.proof(r)), { ok: true }, 'a cached output keeps its proof');
    else await t.rejects(engine.proof(r), { code: 'NOT_FOUND' }, 'an evicted output lost its proof');
  }
  t.match(await engine.gc(), { recipes: 5 }, 'unpinned recipes go');
  t.equal(engine.audit({}).length, 5, 'every materialization is still in the audit log');
  await engine.close();

  const store = Store.open(dir);
  t.teardown(() => store.close());
  for (const r of recipes) t.equal(store.proofs.get(r), undefined, 'no proof left behind');
  t.same(store.proofs.audit({}).map((e) => e.seq), [1, 2, 3, 4, 5]);
});

t.test('without a node key nothing is signed or logged', async (t) => {
  const engine = await createEngine(t, { chunkSize: CS });
  const leaf = await engine.put(Buffer.from('a'));
  const up = await engine.putRecipe(fn('upper@1'), [leaf], none);
  await engine.materialize(up);
  await t.rejects(engine.proof(up), { code: 'NOT_FOUND' });
  t.same(engine.audit({}), []);
});

