/**
 * The ref RPCs and ref inputs over real gRPC: SetRef/GetRef/ListRefs/RefHistory, PutRecipe
 * with `ref:NAME`, Stat and Resolve showing refs, Invalidate's policy override, and the status
 * codes: NOT_FOUND naming an unknown address or ref, INVALID_ARGUMENT naming the name rule.
 */
import t from 'tap';
import { ApiError } from '../../src/api/client.js';
import { startApi } from './helpers.js';

const text = (s: string) => Buffer.from(s);
const bytes = async (it: AsyncIterable<Buffer>) => {
  const parts: Buffer[] = [];
  for await (const p of it) parts.push(p);
  return Buffer.concat(parts).toString();
};

t.test('set, get, list, history, and a recipe over a ref', async (t) => {
  const { client } = await startApi(t);
  const a = (await client.putLeaf(text('one\n'))).addr;
  const b = (await client.putLeaf(text('two\n'))).addr;
  const before = BigInt(Date.now());
  const first = await client.setRef('data', a.slice(0, 10));
  t.match(first, { binding: { name: 'data', addr: a }, previous: undefined, evicted: 0n, depth: 0 }, 'a prefix is enough');
  t.ok(first.binding!.timeMs >= before, 'bound now');

  const up = await client.putRecipe('upper@1', ['ref:data']);
  t.equal(await bytes(client.get(up)), 'ONE\n');
  const stat = await client.stat(up);
  t.same(stat.recipe?.inputs, ['ref:data'], 'Stat shows the ref input');

  const second = await client.setRef('data', b);
  t.match(second, { binding: { addr: b }, previous: { addr: a }, evicted: 1n, depth: 1 });
  t.equal(await bytes(client.get(up)), 'TWO\n', 'reads the new binding');

  t.match(await client.getRef('data'), { name: 'data', addr: b });
  t.same((await client.listRefs()).map((r) => [r.name, r.addr]), [['data', b]]);
  t.same((await client.refHistory('data')).map((r) => r.addr), [a, b]);

  const dag = await client.resolve(up);
  t.same(dag.nodes.map((n) => n.addr), [up, b], 'Resolve follows the ref to its binding');
  t.match(dag.refs, [{ name: 'data', addr: b }]);
  t.equal((await client.status()).refs, 1n);
});

t.test('errors: NOT_FOUND names the address or ref, INVALID_ARGUMENT names the rule', async (t) => {
  const { client } = await startApi(t);
  const a = (await client.putLeaf(text('x'))).addr;
  const unknown = 'cd'.repeat(32);
  await t.rejects(client.setRef('data', unknown), { grpcCode: 5, code: 'NOT_FOUND', message: new RegExp(unknown) });
  await t.rejects(client.setRef('a/b', a), { grpcCode: 3, code: 'INVALID_REF', message: /\[A-Za-z0-9._-\]/ });
  await t.rejects(client.getRef('nope'), { grpcCode: 5, message: /nope/ });
  await t.rejects(client.refHistory('nope'), { grpcCode: 5, message: /nope/ });
  await t.rejects(client.putRecipe('upper@1', ['ref:nope']), { grpcCode: 5, message: /ref nope is not bound/ });
  await t.rejects(client.putRecipe('upper@1', ['ref:..']), { grpcCode: 3, code: 'INVALID_REF' });
  await t.rejects(client.invalidate(a, 'later'), { grpcCode: 3, message: /policy.*none, immediate, deferred/ });
  const err = await client.getRef('bad name').catch((e: unknown) => e);
  t.type(err, ApiError);
});

t.test('Invalidate takes a per-request policy', async (t) => {
  const { client } = await startApi(t, { invalidation: 'immediate' });
  const leaf = (await client.putLeaf(text('b\na\n'))).addr;
  const s1 = await client.putRecipe('sort-lines@1', [leaf]);
  const s2 = await client.putRecipe('sort-lines@1', [s1], [['reverse', 'true']]); // whole: cached once read
  await bytes(client.get(s2));
  t.same(await client.invalidate(s1), { evicted: 2n, depth: 1, policy: 'immediate', pending: 0n }, 'none given: the daemon default');
  await bytes(client.get(s2));
  t.same(await client.invalidate(s1, 'none'), { evicted: 1n, depth: 0, policy: 'none', pending: 0n });
  t.equal((await client.stat(s2)).state, 'materialized', 'none: the dependent stays');
  await bytes(client.get(s1));
  t.same(await client.invalidate(s1, 'deferred'), { evicted: 2n, depth: 1, policy: 'deferred', pending: 1n });
});
