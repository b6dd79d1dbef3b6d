/**
 * Calls that end early or fail in the daemon: a cancelled PutLeaf stores nothing, a missing
 * daemon fails fast with DAEMON_UNAVAILABLE, an untyped fault is INTERNAL and logged, and
 * shutdown lets in-flight calls finish and cancels what is left after its grace period.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import t from 'tap';
import { ApiError, DAEMON_UNAVAILABLE, DerivaClient } from '../../src/api/client.js';
import { shutdown } from '../../src/api/server.js';
import { unixTarget } from '../../src/api/targets.js';
import type { Engine } from '../../src/engine/engine.js';
import { pseudoRandom, tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';
import { countStreamed, startApi } from './helpers.js';

/** Records how each engine.put call ends. */
function watchPuts(engine: Engine): Array<Promise<'stored' | 'rejected'>> {
  const outcomes: Array<Promise<'stored' | 'rejected'>> = [];
  const put = engine.put.bind(engine);
  engine.put = (source) => {
    const p = put(source);
    outcomes.push(p.then(() => 'stored' as const, () => 'rejected' as const));
    return p;
  };
  return outcomes;
}

t.test('a PutLeaf whose source fails mid-stream is cancelled and stores nothing', async (t) => {
  const { client, engine } = await startApi(t);
  const puts = watchPuts(engine);
  async function* failing(): AsyncGenerator<Uint8Array> {
    yield pseudoRandom(3 * 1024 * 1024, 1);
    await waitFor(() => puts.length === 1, { what: 'the server to start storing the upload' });
    throw new Error('disk read failed');
  }
  await t.rejects(client.putLeaf(failing()), { message: 'disk read failed' }, 'the source error comes out');
  t.equal(await puts[0], 'rejected', 'the server-side put was abandoned');
  t.match(await client.status(), { leaves: 0n }, 'no leaf stored; still serving');

  const controller = new AbortController();
  async function* endless(): AsyncGenerator<Uint8Array> {
    for (let i = 0; ; i++) {
      if (i === 4) {
        await waitFor(() => puts.length === 2, { what: 'the server to start storing the second upload' });
        controller.abort(new Error('user pressed ^C'));
      }
      yield pseudoRandom(512 * 1024, i + 1);
    }
  }
  await t.rejects(client.putLeaf(endless(), undefined, { signal: controller.signal }), { message: 'user pressed ^C' });
  t.equal(await puts[1], 'rejected');
  t.match(await client.status(), { leaves: 0n });
  t.match(await client.putLeaf(Buffer.from('after')), { size: 5n }, 'a following PutLeaf works');
});

t.test('a Get abandoned by its reader stops on the server', async (t) => {
  const { client, engine, ended } = await startApi(t, { chunkSize: 64 * 1024 });
  const { addr } = await client.putLeaf(pseudoRandom(16 * 1024 * 1024, 9));
  const counter = countStreamed(engine);
  let n = 0;
  for await (const piece of client.get(addr)) {
    n += piece.length;
    if (n >= 1024 * 1024) break;
  }
  t.equal(n, 1024 * 1024);
  await waitFor(() => ended.some((c) => c.method === 'Get'), { what: 'the server to end the abandoned Get' });
  t.match(ended.find((c) => c.method === 'Get'), { code: 'CANCELLED' }, 'the server saw the call cancelled');
  t.equal(counter.open, 0, 'the server stopped reading: its stream of the value is closed');
  t.ok(counter.chunks < 256, `after reading ${counter.chunks} of 256 chunks`);

  const controller = new AbortController();
  const reading = (async () => {
    for await (const piece of client.get(addr, { signal: controller.signal })) {
      if (piece.length > 0) controller.abort(new Error('enough'));
    }
  })();
  await t.rejects(reading, { message: 'enough' }, 'an aborted Get rejects with the abort reason');
  t.match(await client.status(), { leaves: 1n }, 'still serving');
});

t.test('no daemon: DAEMON_UNAVAILABLE, quickly, saying how to start one', async (t) => {
  const dir = await tempDir(t);
  const missing = unixTarget(join(dir, 'deriva.sock'));
  const port = await freePort();
  for (const target of [missing, `127.0.0.1:${port}`]) {
    const client = DerivaClient.connect(target);
    t.teardown(() => client.close());
    const started = Date.now();
    const err = await client.status().catch((e: unknown) => e);
    const took = Date.now() - started;
    t.type(err, ApiError);
    t.match(err, {
      code: DAEMON_UNAVAILABLE,
      grpcCode: grpc.status.UNAVAILABLE,
      message: `no Deriva daemon at ${target}; start one with \`deriva daemon\` (or \`make run\`)`,
    });
    t.ok(took < 750, `${target}: failed in ${took} ms`);
    const again = await client.stat('0'.repeat(64)).catch((e: unknown) => e);
    t.match(again, { code: DAEMON_UNAVAILABLE }, 'and again on the next call');
  }
});

t.test('a daemon that accepts but never answers fails at the connect deadline', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'deriva.sock');
  const sockets = new Set<import('node:net').Socket>();
  const silent = createServer((s) => void sockets.add(s.on('error', () => {})));
  await new Promise<void>((r) => silent.listen(path, r));
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    silent.close();
  });
  const client = DerivaClient.connect(unixTarget(path), { deadlineMs: 300 });
  t.teardown(() => client.close());
  const started = Date.now();
  const err = await client.listFunctions().catch((e: unknown) => e);
  t.match(err, { code: DAEMON_UNAVAILABLE, message: /did not accept a connection in time/ });
  t.ok(Date.now() - started < 1500, 'within about the deadline');
});

t.test('an untyped error in the daemon is INTERNAL, generic, and logged', async (t) => {
  const { client, engine, logs } = await startApi(t);
  engine.status = () => {
    throw new TypeError("cannot read properties of undefined (reading 'x')");
  };
  const err = await client.status().catch((e: unknown) => e);
  t.match(err, { code: 'INTERNAL', grpcCode: grpc.status.INTERNAL, message: "internal error: cannot read properties of undefined (reading 'x')" });
  t.match(logs, [{ level: 'error', obj: { rpc: 'Status', err: TypeError } }]);
  t.match(await client.listFunctions(), [{}], 'other calls still work');
});

/** A Get that reads its first piece, then waits for `go` before reading on. */
function heldGet(client: DerivaClient, addr: string, go: Promise<void>): { started: () => boolean; bytes: Promise<number> } {
  let first = false;
  const bytes = (async () => {
    let n = 0;
    for await (const piece of client.get(addr)) {
      n += piece.length;
      if (!first) {
        first = true;
        await go;
      }
    }
    return n;
  })();
  return { started: () => first, bytes };
}

/** Larger than every buffer between a held reader and the server (HTTP/2 windows, the Get's window). */
const HELD_SIZE = 32 * 1024 * 1024;

t.test('shutdown lets an in-flight call finish within the grace', async (t) => {
  const { client, server, ended } = await startApi(t, { chunkSize: 64 * 1024 });
  const { addr } = await client.putLeaf(pseudoRandom(HELD_SIZE, 4));
  let release!: () => void;
  const get = heldGet(client, addr, new Promise<void>((r) => (release = r)));
  await waitFor(get.started, { what: 'the Get to deliver its first piece' });
  const down = shutdown(server, 120_000);
  release(); // shutdown has begun, with the Get in flight
  t.equal(await get.bytes, HELD_SIZE, 'the in-flight Get read to the end');
  await down;
  t.match(ended.at(-1), { method: 'Get', code: 'OK' });
  await t.rejects(client.status(), { code: DAEMON_UNAVAILABLE }, 'no longer serving');
});

t.test('after the grace, shutdown cancels the calls still in flight', async (t) => {
  const { client, server, ended } = await startApi(t, { chunkSize: 64 * 1024 });
  const { addr } = await client.putLeaf(pseudoRandom(HELD_SIZE, 4));
  let release!: () => void;
  const get = heldGet(client, addr, new Promise<void>((r) => (release = r)));
  await waitFor(get.started, { what: 'the Get to deliver its first piece' });
  await shutdown(server, 50); // the reader is held: the Get cannot end within any grace
  release();
  await t.rejects(get.bytes, ApiError, 'the unfinished Get fails');
  await waitFor(() => ended.some((c) => c.method === 'Get'), { what: 'the server to end the Get' });
  t.match(ended.find((c) => c.method === 'Get'), { code: 'CANCELLED' });
  await t.rejects(client.status(), { code: DAEMON_UNAVAILABLE }, 'no longer serving');
});

t.test('a PutLeaf stops reading its source when the daemon goes away', async (t) => {
  const { client, server } = await startApi(t);
  let pulled = 0;
  let closed = false;
  async function* endless(): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        pulled++;
        if (pulled === 8) server.forceShutdown();
        yield pseudoRandom(256 * 1024, pulled);
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      closed = true;
    }
  }
  const err = await client.putLeaf(endless()).catch((e: unknown) => e);
  t.type(err, ApiError, `fails with an ApiError (${(err as Error).message})`);
  t.ok(closed, 'the source was closed');
  t.ok(pulled < 100, `after ${pulled} pieces`);
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as import('node:net').AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}
