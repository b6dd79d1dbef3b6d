/**
 * PutLeaf's `finish` flag at the wire level, with the generated client: only a stream whose
 * last message has `finish` set stores a leaf; a stream that merely ends, or is cancelled,
 * stores nothing.
 */
import * as grpc from '@grpc/grpc-js';
import t, { type Test } from 'tap';
import * as pb from '../../src/api/gen/deriva.js';
import { waitFor } from '../helpers/wait.js';
import { startApi } from './helpers.js';

function rawClient(t: Test, target: string): pb.DerivaClient {
  const raw = new pb.DerivaClient(target, grpc.credentials.createInsecure());
  t.teardown(() => raw.close());
  return raw;
}

/** Sends `messages` and ends the stream, or cancels it once the last message is handed to the transport. */
function upload(raw: pb.DerivaClient, messages: pb.PutLeafRequest[], cancel = false): Promise<grpc.ServiceError | pb.PutLeafResponse> {
  return new Promise((resolve) => {
    const call = raw.putLeaf((err, res) => resolve(err ?? res));
    messages.forEach((m, i) => call.write(m, i === messages.length - 1 && cancel ? () => call.cancel() : undefined));
    if (!cancel) call.end();
  });
}

const data = (s: string, finish = false): pb.PutLeafRequest => ({ data: Buffer.from(s), finish, noPin: false });

t.test('only an upload whose last message has finish set is stored', async (t) => {
  const { client, target, ended } = await startApi(t);
  const raw = rawClient(t, target);
  const abc = [data('a'), data(''), data('bc')];
  t.match(await upload(raw, abc), { code: grpc.status.CANCELLED, details: /without a message with finish set.*nothing was stored/ });
  t.match(await upload(raw, abc, true), { code: grpc.status.CANCELLED }, 'a cancelled upload too');
  t.match(await upload(raw, [data('a', true), data('bc')]), { code: grpc.status.INVALID_ARGUMENT, details: /data after its finishing message/ });
  // The client hears of a cancel before the server has given up on the put: wait for its report.
  await waitFor(() => ended.filter((c) => c.method === 'PutLeaf').length === 3, { what: 'the server to end all three PutLeaf calls' });
  t.match(await client.status(), { leaves: 0n }, 'nothing stored');
  t.match(await upload(raw, [data('a'), data('bc', true)]), { size: 3n }, 'the finishing message may carry data');
  t.match(await upload(raw, [...abc, data('', true)]), { size: 3n }, 'or be empty');
  t.match(await client.status(), { leaves: 1n });
});
