/**
 * The PutLeaf end marker at the wire level, with the generated client: a client that promises
 * the marker stores a leaf only by sending it; a generic client without the promise commits
 * on half-close as plain gRPC does.
 */
import * as grpc from '@grpc/grpc-js';
import t, { type Test } from 'tap';
import * as pb from '../../src/api/gen/deriva.js';
import { UPLOAD_END_EMPTY_MESSAGE, UPLOAD_END_KEY } from '../../src/api/upload-end.js';
import { startApi } from './helpers.js';

function rawClient(t: Test, target: string): pb.DerivaClient {
  const raw = new pb.DerivaClient(target, grpc.credentials.createInsecure());
  t.teardown(() => raw.close());
  return raw;
}

function upload(raw: pb.DerivaClient, pieces: Buffer[], promiseMarker: boolean, cancel = false): Promise<grpc.ServiceError | pb.PutLeafResponse> {
  const metadata = new grpc.Metadata();
  if (promiseMarker) metadata.set(UPLOAD_END_KEY, UPLOAD_END_EMPTY_MESSAGE);
  return new Promise((resolve) => {
    const call = raw.putLeaf(metadata, (err, res) => resolve(err ?? res));
    for (const data of pieces) call.write({ data });
    if (cancel) setTimeout(() => call.cancel(), 50);
    else call.end();
  });
}

t.test('with the promise, only an upload ending in an empty message is stored', async (t) => {
  const { client, target } = await startApi(t);
  const raw = rawClient(t, target);
  const abc = [Buffer.from('a'), Buffer.from(''), Buffer.from('bc')];
  t.match(await upload(raw, abc, true), { code: grpc.status.CANCELLED, details: /before its final empty message.*nothing was stored/ });
  t.match(await upload(raw, abc, true, true), { code: grpc.status.CANCELLED }, 'a cancelled upload too');
  await new Promise((r) => setTimeout(r, 50));
  t.match(await client.status(), { leaves: 0n }, 'nothing stored');
  t.match(await upload(raw, [...abc, Buffer.alloc(0)], true), { size: 3n }, 'with the marker: stored');
  t.match(await client.status(), { leaves: 1n });
});

t.test('without the promise, half-close commits (generic gRPC clients)', async (t) => {
  const { client, target } = await startApi(t);
  const raw = rawClient(t, target);
  const res = await upload(raw, [Buffer.from('plain'), Buffer.from(' grpc')], false);
  t.match(res, { size: 10n });
  t.equal((await client.stat((res as pb.PutLeafResponse).addr)).size, 10n);
});
