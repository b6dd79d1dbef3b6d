/** Typed engine errors arrive at the client as the right gRPC status and Deriva code. */
import { status } from '@grpc/grpc-js';
import t, { type Test } from 'tap';
import { ApiError, type DerivaClient } from '../../src/api/client.js';
import { startApi } from './helpers.js';

async function drain(client: DerivaClient, addr: string): Promise<number> {
  let n = 0;
  for await (const piece of client.get(addr)) n += piece.length;
  return n;
}

/** Asserts `p` rejects with an ApiError of this code, gRPC status and message. */
async function rejectsWith(t: Test, p: Promise<unknown>, code: string, grpcCode: number, message: RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  t.type(err, ApiError, `${code}: an ApiError`);
  t.match(err, { code, grpcCode, message }, `${code}: ${message}`);
}

const ZERO = '0'.repeat(64);

t.test('address errors: malformed is INVALID_ARGUMENT, unknown is NOT_FOUND, on every RPC', async (t) => {
  const { client } = await startApi(t);
  const calls: Array<[string, (addr: string) => Promise<unknown>]> = [
    ['Stat', (a) => client.stat(a)],
    ['Get', (a) => drain(client, a)],
    ['Resolve', (a) => client.resolve(a)],
    ['Invalidate', (a) => client.invalidate(a)],
    ['PutRecipe input', (a) => client.putRecipe('upper@1', [a])],
  ];
  for (const [name, call] of calls) {
    t.test(name, async (t) => {
      await rejectsWith(t, call('not-hex!'), 'INVALID_ADDRESS', status.INVALID_ARGUMENT, /not-hex!/);
      await rejectsWith(t, call('abc'), 'INVALID_ADDRESS', status.INVALID_ARGUMENT, /at least 8 hex digits/);
      await rejectsWith(t, call(ZERO), 'NOT_FOUND', status.NOT_FOUND, new RegExp(ZERO));
      await rejectsWith(t, call('00000000'), 'NOT_FOUND', status.NOT_FOUND, /no address starts with '00000000'/);
    });
  }
});

t.test('recipe errors name the function, the param, the input count', async (t) => {
  const { client } = await startApi(t);
  const leaf = (await client.putLeaf(Buffer.from('x'))).addr;
  await rejectsWith(t, client.putRecipe('nosuch@1', [leaf]), 'UNKNOWN_FUNCTION', status.INVALID_ARGUMENT, /nosuch@1/);
  await rejectsWith(t, client.putRecipe('upper', [leaf]), 'UNKNOWN_FUNCTION', status.INVALID_ARGUMENT, /'upper'.*name@version/);
  await rejectsWith(t, client.putRecipe('slice@1', [leaf], [['offset', 'ten'], ['length', '1']]), 'BAD_PARAM', status.INVALID_ARGUMENT, /param 'offset'.*'ten'/);
  await rejectsWith(t, client.putRecipe('slice@1', [leaf], [['length', '1']]), 'BAD_PARAM', status.INVALID_ARGUMENT, /param 'offset'.*required/);
  await rejectsWith(t, client.putRecipe('upper@1', [leaf], [['bogus', '1']]), 'BAD_PARAM', status.INVALID_ARGUMENT, /param 'bogus'.*unknown/);
  await rejectsWith(t, client.putRecipe('slice@1', [leaf], [['offset', '1'], ['offset', '2'], ['length', '1']]), 'BAD_PARAM', status.INVALID_ARGUMENT, /param 'offset'.*more than once/);
  await rejectsWith(t, client.putRecipe('slice@1', [leaf], [['offset', { type: 'bool', value: true }], ['length', '1']]), 'BAD_PARAM', status.INVALID_ARGUMENT, /param 'offset'.*expected int, got bool/);
  await rejectsWith(t, client.putRecipe('upper@1', [leaf, leaf]), 'INPUT_COUNT', status.INVALID_ARGUMENT, /upper@1 takes exactly 1 input\(s\), got 2/);
  await rejectsWith(t, client.putRecipe('upper@1', []), 'INPUT_COUNT', status.INVALID_ARGUMENT, /got 0/);
});

t.test('a function failing on its input is FAILED_PRECONDITION naming the recipe, also on Stat --compute', async (t) => {
  const { client } = await startApi(t);
  const junk = (await client.putLeaf(Buffer.from('this is not gzip data'))).addr;
  const bad = await client.putRecipe('gunzip@1', [junk]);
  await rejectsWith(t, drain(client, bad), 'FUNCTION_FAILED', status.FAILED_PRECONDITION, new RegExp(`recipe ${bad} \\(gunzip@1\\) failed`));
  await rejectsWith(t, client.stat(bad, { compute: true }), 'FUNCTION_FAILED', status.FAILED_PRECONDITION, /gunzip@1/);
  t.match(await client.stat(bad), { state: 'failed', error: /./ }, 'Stat shows the remembered failure');
  t.match(await client.status(), { leaves: 1n }, 'the server keeps serving');
});
