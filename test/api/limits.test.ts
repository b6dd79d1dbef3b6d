/** Oversized messages and garbage on the socket: the call fails, the server keeps serving. */
import { connect } from 'node:net';
import { once } from 'node:events';
import * as grpc from '@grpc/grpc-js';
import t, { type Test } from 'tap';
import { ApiError } from '../../src/api/client.js';
import * as pb from '../../src/api/gen/deriva.js';
import { MAX_MESSAGE_BYTES } from '../../src/api/limits.js';
import { waitFor } from '../helpers/wait.js';
import { startApi } from './helpers.js';

const NINE_MIB = 9 * 1024 * 1024;

/** A generated client with no send limit, to get oversized messages to the server. */
function unlimitedClient(t: Test, target: string): pb.DerivaClient {
  const raw = new pb.DerivaClient(target, grpc.credentials.createInsecure(), { 'grpc.max_send_message_length': -1 });
  t.teardown(() => raw.close());
  return raw;
}

t.test('the client refuses to send a message over 8 MiB: RESOURCE_EXHAUSTED', async (t) => {
  const { client } = await startApi(t);
  const leaf = (await client.putLeaf(Buffer.from('x'))).addr;
  const err = await client.putRecipe('concat@1', [leaf], [['sep', 'y'.repeat(NINE_MIB)]]).catch((e: unknown) => e);
  t.type(err, ApiError);
  t.match(err, { code: 'RESOURCE_EXHAUSTED', grpcCode: grpc.status.RESOURCE_EXHAUSTED });
  t.match(await client.status(), { leaves: 1n, recipes: 0n }, 'still serving');
});

t.test('the server rejects a message over 8 MiB with RESOURCE_EXHAUSTED and keeps serving', async (t) => {
  const { client, target, ended } = await startApi(t);
  const raw = unlimitedClient(t, target);
  const unary = await new Promise<grpc.ServiceError | null>((resolve) => {
    raw.putRecipe({ function: 'concat@1', inputs: [], params: [{ key: 'sep', stringValue: 'y'.repeat(NINE_MIB) }], noPin: false }, (err) => resolve(err));
  });
  t.equal(unary?.code, grpc.status.RESOURCE_EXHAUSTED, 'unary request');
  t.match(unary?.details, /larger than max \(\d+ vs 8388608\)/);

  const streamed = await new Promise<grpc.ServiceError | null>((resolve) => {
    const call = raw.putLeaf((err) => resolve(err));
    call.write({ data: Buffer.alloc(1024, 1), finish: false, noPin: false });
    call.write({ data: Buffer.alloc(MAX_MESSAGE_BYTES + 1, 2), finish: true, noPin: false });
    call.end();
  });
  t.equal(streamed?.code, grpc.status.RESOURCE_EXHAUSTED, 'a PutLeaf piece');
  // The client hears first; the server's handler reports the call ended once its put has given up.
  await waitFor(() => ended.some((c) => c.method === 'PutLeaf'), { what: 'the server to end the oversized PutLeaf' });
  t.match(await client.status(), { leaves: 0n }, 'nothing stored, still serving');
  t.match(await client.putLeaf(Buffer.alloc(MAX_MESSAGE_BYTES + 1, 3)), { size: BigInt(MAX_MESSAGE_BYTES + 1) }, 'the client splits big leaves');
});

t.test('garbage bytes on the socket do not take the server down', async (t) => {
  const { client, socket } = await startApi(t);
  for (const junk of [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), Buffer.alloc(70_000, 0xff), Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x12\x04garbage')]) {
    const conn = connect(socket);
    await once(conn, 'connect');
    conn.on('error', () => {});
    conn.resume(); // read (and drop) the server's reply, so 'close' can come
    conn.write(junk);
    conn.end();
    await Promise.race([once(conn, 'close'), new Promise((r) => setTimeout(r, 2000))]);
    conn.destroy();
  }
  t.match(await client.status(), { version: '0.0.0-test' }, 'a following RPC succeeds');
  t.match(await client.putLeaf(Buffer.from('still here')), { size: 10n });
});
