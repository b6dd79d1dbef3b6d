/**
 * GetProof and Audit over real gRPC: the chain arrives as canonical JSON and verifies; errors
 * keep their codes; Audit pages by after_seq, and the client follows the pages.
 */
import { generateKeyPairSync } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import t from 'tap';
import * as pb from '../../src/api/gen/deriva.js';
import { NodeKey } from '../../src/proof/node-key.js';
import { verifyChain } from '../../src/proof/verify.js';
import { startApi } from './helpers.js';

t.test('GetProof: a chain that verifies; NOT_FOUND for an output not cached; Audit pages', async (t) => {
  const key = new NodeKey(generateKeyPairSync('ed25519').privateKey);
  const { client, target } = await startApi(t, { nodeKey: key });
  const { addr: leaf } = await client.putLeaf(Buffer.from('abc'));
  const recipes = [];
  for (const fn of ['upper@1', 'sort-lines@1', 'sha256@1']) recipes.push(await client.putRecipe(fn, [leaf]));
  await t.rejects(client.proof(recipes[0]!), { code: 'NOT_FOUND', message: /has no proof/ });
  for (const r of recipes) for await (const _ of client.get(r));

  const chain = await client.proof(recipes[1]!.slice(0, 10));
  t.match(chain, { proof: { recipe: recipes[1], node: key.publicKey }, inputs: [{ leaf }] });
  t.match(verifyChain(chain, { trust: [key.publicKey] }), { ok: true, proofs: 1 });
  t.same(await client.proof(leaf), { leaf });
  await t.rejects(client.proof('0'.repeat(64)), { code: 'NOT_FOUND', message: /no leaf or recipe has address/ });

  const all = [];
  for await (const e of client.audit()) all.push(e);
  t.same(all.map((e) => e.recipe), recipes);
  t.same(all.map((e) => e.seq), [1n, 2n, 3n]);
  t.match(all[0], { inputs: [leaf], node: key.publicKey });

  const raw = new pb.DerivaClient(target, grpc.credentials.createInsecure());
  t.teardown(() => raw.close());
  const page = (afterSeq: bigint) =>
    new Promise<pb.AuditResponse>((resolve, reject) =>
      raw.audit({ addr: '', sinceMs: 0n, afterSeq, limit: 2 }, (err, res) => (err ? reject(err) : resolve(res))),
    );
  const first = await page(0n);
  t.same([first.entries.map((e) => e.seq), first.more], [[1n, 2n], true]);
  const second = await page(2n);
  t.same([second.entries.map((e) => e.seq), second.more], [[3n], false]);
});
