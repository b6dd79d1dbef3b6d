/**
 * Chain verification against hand-built chains signed with fresh keys: each broken link is
 * reported at its path with its reason, and nothing else is.
 */
import { generateKeyPairSync } from 'node:crypto';
import t from 'tap';
import { leafAddress, recipeAddress } from '../../src/core/address.js';
import type { CAddr } from '../../src/core/caddr.js';
import { encodeRecipe } from '../../src/core/dcf.js';
import { parseFunctionId } from '../../src/core/function-id.js';
import type { RecipeInput } from '../../src/core/recipe.js';
import { buildChain, type ProofNode } from '../../src/proof/chain.js';
import { NodeKey } from '../../src/proof/node-key.js';
import { proofHash, signedMessage, type ProofInput, type ProofRecord, type UnsignedProof } from '../../src/proof/record.js';
import { verifyChain } from '../../src/proof/verify.js';

const key = new NodeKey(generateKeyPairSync('ed25519').privateKey);
const other = new NodeKey(generateKeyPairSync('ed25519').privateKey);
const leaf = leafAddress(Buffer.from('leaf'));
const hexOf = (s: string) => leafAddress(Buffer.from(s)).hex;

function sign(signer: NodeKey, fields: Omit<UnsignedProof, 'node' | 'v'>): ProofRecord {
  const unsigned = { v: 1, ...fields, node: signer.publicKey };
  return { ...unsigned, sig: signer.sign(signedMessage(unsigned)).toString('hex') };
}

function recipeOf(fn: string, inputs: RecipeInput[]): { addr: CAddr; dcf: string } {
  const recipe = { fn: parseFunctionId(fn), inputs, params: new Map() };
  return { addr: recipeAddress(recipe), dcf: Buffer.from(encodeRecipe(recipe)).toString('hex') };
}

/** upper(leaf), and identity(upper) above it, as a chain. */
async function twoLevels(): Promise<{ chain: ProofNode; lower: ProofRecord }> {
  const up = recipeOf('upper@1', [leaf]);
  const lower = sign(key, { recipe: up.addr.hex, dcf: up.dcf, inputs: [{ leaf: leaf.hex }], output: hexOf('UP'), size: 2, time: 1 });
  const top = recipeOf('identity@1', [up.addr]);
  const input: ProofInput = { recipe: up.addr.hex, output: lower.output, proof: proofHash(lower) };
  const root = sign(key, { recipe: top.addr.hex, dcf: top.dcf, inputs: [input], output: lower.output, size: 2, time: 2 });
  const held = new Map([[up.addr.hex, lower]]);
  const chain = await buildChain({ held: (a) => held.get(a), prove: () => Promise.reject(new Error('not here')) }, root);
  return { chain, lower };
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** concat(upper(leaf), upper(leaf)): the shared input's proof once, then `{"same": HASH}`. */
async function diamond(): Promise<ProofNode> {
  const up = recipeOf('upper@1', [leaf]);
  const lower = sign(key, { recipe: up.addr.hex, dcf: up.dcf, inputs: [{ leaf: leaf.hex }], output: hexOf('UP'), size: 2, time: 1 });
  const top = recipeOf('concat@1', [up.addr, up.addr]);
  const input: ProofInput = { recipe: up.addr.hex, output: lower.output, proof: proofHash(lower) };
  const root = sign(key, { recipe: top.addr.hex, dcf: top.dcf, inputs: [input, input], output: hexOf('UPUP'), size: 4, time: 2 });
  const held = new Map([[up.addr.hex, lower]]);
  return buildChain({ held: (a) => held.get(a), prove: () => Promise.reject(new Error('not here')) }, root);
}

t.test('a well-formed chain verifies, with and without a trusted key', async (t) => {
  const { chain } = await twoLevels();
  t.match(verifyChain(chain), { ok: true, proofs: 2, leaves: [leaf.hex], signers: [key.publicKey], failures: [] });
  t.match(verifyChain(chain, { trust: [key.publicKey.toUpperCase()] }), { ok: true });
  t.match(verifyChain({ leaf: leaf.hex }), { ok: true, proofs: 0, leaves: [leaf.hex] });
});

t.test('each broken link at its path', async (t) => {
  const { chain, lower } = await twoLevels();
  const fails = (c: unknown, trust?: string[]) => verifyChain(c, { trust }).failures.map((f) => `${f.path}: ${f.reason}`);

  const badSig = clone(chain) as { proof: { sig: string } };
  badSig.proof.sig = badSig.proof.sig.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  t.match(fails(badSig), [/^root: hash link broken/, /^root: signature does not verify under node key/]);

  t.match(fails(chain, [other.publicKey]), [/^root: untrusted signer/, /^root.inputs\[0\]: untrusted signer/]);

  const badAnchor = { ...clone(chain), inputs: [{ anchor: hexOf('nope') }] };
  t.match(fails(badAnchor), [/^root.inputs\[0\]: anchor link broken: anchor \w+ is not the proof hash/]);
  t.same(fails({ ...clone(chain), inputs: [{ anchor: proofHash(lower) }] }), [], 'the right anchor verifies');
  t.match(fails({ ...clone(chain), inputs: [] }), [/^root.inputs\[0\]: truncated chain: the signed input is recipe \w+, but the chain holds neither/]);
  t.match(fails({ ...clone(chain), inputs: [{ leaf: leaf.hex }] }), [/^root.inputs\[0\]: input link broken: the signed input is recipe \w+, the chain has leaf/]);

  // A forger re-signs a lower proof with another output: self-consistent, but not what the root signed.
  const forged = sign(other, { ...lower, output: hexOf('FORGED') });
  const swapped = { ...clone(chain), inputs: [{ hash: proofHash(forged), proof: forged, inputs: [{ leaf: leaf.hex }] }] };
  t.match(fails(swapped), [/^root.inputs\[0\]: hash link broken: the signed input names proof/, /^root.inputs\[0\]: output link broken/]);

  t.match(fails([]), [/^root: not a proof chain/]);
});

t.test('a proof that names inputs other than its recipe, or a recipe its DCF does not hash to', async (t) => {
  const up = recipeOf('upper@1', [leaf]);
  const wrongInput = sign(key, { recipe: up.addr.hex, dcf: up.dcf, inputs: [{ leaf: hexOf('other') }], output: hexOf('x'), size: 1, time: 1 });
  t.match(verifyChain({ hash: proofHash(wrongInput), proof: wrongInput, inputs: [{ leaf: hexOf('other') }] }).failures, [
    { path: 'root', reason: /^input link broken: input 0 of the recipe is \w+, the proof names \w+/ },
  ]);
  const wrongRecipe = sign(key, { recipe: hexOf('r'), dcf: up.dcf, inputs: [{ leaf: leaf.hex }], output: hexOf('x'), size: 1, time: 1 });
  t.match(verifyChain({ hash: proofHash(wrongRecipe), proof: wrongRecipe, inputs: [{ leaf: leaf.hex }] }).failures, [
    { path: 'root', reason: /^recipe link broken: the DCF hashes to/ },
  ]);
});

t.test('malformed proofs are named by field', async (t) => {
  const { chain } = await twoLevels();
  const reasonFor = (edit: (p: Record<string, unknown>) => void) => {
    const c = clone(chain) as unknown as { proof: Record<string, unknown> };
    edit(c.proof);
    return verifyChain(c).failures[0]?.reason;
  };
  t.equal(reasonFor((p) => delete p.sig), "malformed proof: field 'sig' must be 128 lowercase hex digits (an Ed25519 signature)");
  t.equal(reasonFor((p) => (p.extra = 1)), "malformed proof: unexpected field 'extra'");
  t.equal(reasonFor((p) => (p.v = 2)), 'malformed proof: unsupported proof version 2 (this verifier reads 1)');
  t.equal(reasonFor((p) => (p.size = -1)), "malformed proof: field 'size' must be a non-negative integer");
  t.equal(reasonFor((p) => (p.inputs = [{ recipe: hexOf('r'), output: hexOf('o') }])), "malformed proof: inputs[0]: 'output' and 'proof' go together: both or neither");
});

t.test('a shared input: given once, then by hash; a `same` must name a proof given earlier, of the signed input', async (t) => {
  const chain = await diamond();
  const first = chain.inputs[0] as ProofNode;
  t.same(chain.inputs[1], { same: first.hash });
  t.match(verifyChain(chain), { ok: true, proofs: 2, leaves: [leaf.hex], failures: [] });
  const fails = (c: unknown) => verifyChain(c).failures.map((f) => `${f.path}: ${f.reason}`);

  const dangling = clone<unknown>(chain) as { inputs: Array<{ same?: string }> };
  dangling.inputs[1]!.same = hexOf('no such proof');
  t.match(fails(dangling), [/^root\.inputs\[1\]: 'same' names proof [0-9a-f]{64}, which is not given in full earlier in the chain$/]);

  const forward = clone<unknown>(chain) as { inputs: unknown[] };
  forward.inputs.reverse();
  t.match(fails(forward), [/^root\.inputs\[0\]: 'same' names proof .* not given in full earlier/], 'the full proof must come first');

  const wrong = clone<unknown>(chain) as { inputs: Array<{ same?: string }> };
  wrong.inputs[1]!.same = chain.hash; // given earlier, but the root's proof, not the input's
  t.match(fails(wrong), [/^root\.inputs\[1\]: input link broken: the signed input is recipe [0-9a-f]{64}, this proof is of recipe/,
    /^root\.inputs\[1\]: hash link broken: the signed input names proof/], 'checked against the signed input like a full proof');

  const malformed = clone<unknown>(chain) as { inputs: Array<{ same?: string }> };
  malformed.inputs[1]!.same = 'XYZ';
  t.match(fails(malformed), [/^root\.inputs\[1\]: malformed chain: 'same' must be 64 lowercase hex digits$/]);
});
