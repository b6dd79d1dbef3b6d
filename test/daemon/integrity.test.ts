/**
 * Integrity through the real daemon process: stored bytes are damaged by direct LMDB writes
 * while the daemon is stopped (test/helpers/corrupt.ts), then it is restarted on the same home.
 * A corrupt leaf chunk reads as DATA_LOSS over gRPC and EIO through the mount (read by a real
 * `cat`), is counted and logged once, and the daemon keeps serving; a corrupt cached output is
 * recomputed and `cat` gets the right bytes. `deriva scrub` and the background scrubber find
 * and quarantine corruption; verification mode catches the test-only nondeterministic@1.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { status as GrpcStatus } from '@grpc/grpc-js';
import t, { type Test } from 'tap';
import { ApiError, DerivaClient } from '../../src/api/client.js';
import { unixTarget } from '../../src/api/targets.js';
import { homeLayout } from '../../src/daemon/home.js';
import { TEST_FUNCTIONS_ENV } from '../../src/compute/test-functions.js';
import { chunksOf, flipChunkByte, outputOf } from '../helpers/corrupt.js';
import { startDaemon, type DaemonHandle } from '../helpers/daemon.js';
import { pseudoRandom, tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

const sh = promisify(execFile);
const MiB = 1024 * 1024;
const out = (r: { stdout: Buffer }) => r.stdout.toString().trim();
const status = async (d: DaemonHandle) => JSON.parse(out(await d.cli(['status', '--json'])));
const text = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => `${(i * 7919) % 100003} row ${i}\n`).join(''));

/** `cat PATH` run asynchronously (the mount is served by another process, but never block). */
async function cat(path: string): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  try {
    const r = await sh('cat', [path], { encoding: 'buffer', maxBuffer: 64 * MiB });
    return { code: 0, stdout: r.stdout, stderr: r.stderr.toString() };
  } catch (err) {
    const e = err as { code: number; stdout: Buffer; stderr: Buffer };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr.toString() };
  }
}

/** A home with a daemon stopped after `fill`; returns a way to start it again. */
async function homeWith(t: Test, fill: (d: DaemonHandle, dir: string) => Promise<void>, args: string[] = []) {
  const home = await tempDir(t);
  const mount = join(await tempDir(t), 'mnt');
  const dir = await tempDir(t);
  const first = await startDaemon(t, { home, mount: false });
  await fill(first, dir);
  t.equal(await first.stop(), 0, 'first daemon stopped cleanly');
  return {
    store: homeLayout(home).store,
    restart: (extra: string[] = []) => startDaemon(t, { home, mount, args: [...args, ...extra] }),
  };
}

t.test('corrupt leaf chunk: DATA_LOSS over gRPC, EIO through the mount, one event; a corrupt output is recomputed', async (t) => {
  const data = pseudoRandom(3 * MiB + 5, 21);
  const rows = text(200_000);
  let leaf = '';
  let rowsLeaf = '';
  let sorted = '';
  let sortedBytes: Buffer = Buffer.alloc(0);
  const { store, restart } = await homeWith(t, async (d, dir) => {
    await writeFile(join(dir, 'data.bin'), data);
    await writeFile(join(dir, 'rows.txt'), rows);
    leaf = out(await d.cli(['put', join(dir, 'data.bin')]));
    rowsLeaf = out(await d.cli(['put', join(dir, 'rows.txt')]));
    sorted = out(await d.cli(['recipe', 'sort-lines@1', '-i', rowsLeaf]));
    sortedBytes = (await d.cli(['get', sorted])).stdout;
  });
  t.ok(sortedBytes.length > MiB, 'the sorted output spans chunks');
  const leafChunk = (await chunksOf(store, leaf))[1]!;
  await flipChunkByte(store, leafChunk, 4242);
  await flipChunkByte(store, (await chunksOf(store, await outputOf(store, sorted)))[1]!, 77);

  const d = await restart();
  const client = DerivaClient.connect(unixTarget(homeLayout(d.home).socket));
  t.teardown(() => client.close());
  const err = await (async () => {
    for await (const _ of client.get(leaf)) { /* drain */ }
  })().catch((e: unknown) => e);
  t.type(err, ApiError);
  t.equal((err as ApiError).grpcCode, GrpcStatus.DATA_LOSS, 'gRPC status DATA_LOSS');
  t.equal((err as ApiError).code, 'INTEGRITY');
  t.match((err as Error).message, new RegExp(`chunk ${leafChunk.toString('hex')} of leaf ${leaf}`));

  const path = out(await d.cli(['path', leaf]));
  const read = await cat(path);
  t.not(read.code, 0, 'cat fails');
  t.match(read.stderr, /Input\/output error/, 'with EIO');
  t.ok(read.stdout.length < 2 * MiB, 'no byte of the corrupt chunk is served');
  t.same(read.stdout, data.subarray(0, read.stdout.length), 'what was served is right');

  const cli = await d.cli(['get', leaf]);
  t.equal(cli.code, 1, 'deriva get exits 1');
  t.match(cli.stderr, /^deriva: .*is corrupt/);

  const sortedCat = await cat(out(await d.cli(['path', sorted])));
  t.equal(sortedCat.code, 0);
  t.same(sortedCat.stdout, sortedBytes, 'the corrupt output is recomputed: cat reads the right bytes');

  const s = await status(d);
  t.equal(s.integrityEvents, 2, 'one leaf chunk, one output chunk');
  t.equal(s.quarantined, 2);
  t.equal(s.computations, 1, 'sort-lines ran again');
  t.match(out(await d.cli(['status'])), /integrity\s+2 corrupt object\(s\) found since start, 2 in quarantine/);

  const fresh = out(await d.cli(['put', '-'], Buffer.from('still serving\n')));
  t.equal((await d.cli(['get', fresh])).stdout.toString(), 'still serving\n', 'the daemon keeps serving');
  t.equal(d.proc.exitCode, null);

  const log = (await readFile(homeLayout(d.home).log, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const events = log.filter((e) => e.integrity);
  t.equal(events.length, 2, JSON.stringify(events));
  t.match(events.find((e) => e.integrity.kind === 'leaf'), { level: 50, integrity: { chunk: leafChunk.toString('hex'), value: leaf } });
  t.match(events.find((e) => e.integrity.kind === 'output'), { level: 40, integrity: { value: sorted } });
});

t.test('deriva scrub: all ok on a clean store, then finds and quarantines corruption', async (t) => {
  let leaf = '';
  const { store, restart } = await homeWith(t, async (d, dir) => {
    await writeFile(join(dir, 'a.bin'), pseudoRandom(2 * MiB + 1, 5));
    leaf = out(await d.cli(['put', join(dir, 'a.bin')]));
    out(await d.cli(['recipe', 'upper@1', '-i', leaf]));
    const clean = JSON.parse(out(await d.cli(['scrub', '--json'])));
    t.match(clean, { objects: 4, ok: 4, corrupt: 0, bytes: 2 * MiB + 1 + (clean.bytes - 2 * MiB - 1), quarantined: [] }, 'clean: 3 chunks and 1 recipe ok');
    t.ok(clean.bytes > 2 * MiB);
    t.match(out(await d.cli(['scrub'])), /^checked 4 object\(s\), 2\.0 MiB in [\d.]+ s: 4 ok, 0 corrupt$/);
  });
  const chunk = (await chunksOf(store, leaf))[2]!;
  await flipChunkByte(store, chunk, 0);
  const d = await restart();
  const report = JSON.parse(out(await d.cli(['scrub', '--json'])));
  t.match(report, { objects: 4, ok: 3, corrupt: 1, quarantined: [{ kind: 'chunk', addr: chunk.toString('hex') }] });
  t.equal((await status(d)).integrityEvents, 1);
  t.equal((await d.cli(['get', leaf])).code, 1, 'the quarantined chunk is never served');
  t.match(JSON.parse(out(await d.cli(['scrub', '--json']))), { objects: 3, ok: 3, corrupt: 0 }, 'the next pass is clean');
});

t.test('the background scrubber finds corruption on its own; progress in deriva status', async (t) => {
  let leaf = '';
  const { store, restart } = await homeWith(t, async (d, dir) => {
    await writeFile(join(dir, 'a.bin'), pseudoRandom(MiB + 1, 6));
    leaf = out(await d.cli(['put', join(dir, 'a.bin')]));
  });
  const chunk = (await chunksOf(store, leaf))[0]!;
  await flipChunkByte(store, chunk, 1);
  const d = await restart(['--scrub-interval', '1s', '--scrub-rate', '4M']);
  const s = await waitFor(async () => {
    const now = await status(d);
    return now.scrubLast ? now : undefined;
  }, { what: 'a background scrub pass to finish', timeoutMs: 60_000, intervalMs: 100 });
  t.ok(s.scrubLast, 'a pass finished');
  t.equal(s.integrityEvents, 1, 'nothing read the leaf: the scrubber found the chunk');
  t.equal(s.quarantined, 1);
  const log = (await readFile(homeLayout(d.home).log, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
  t.match(log.filter((e) => e.integrity), [{ level: 50, integrity: { kind: 'chunk', chunk: chunk.toString('hex'), by: 'scrub' } }]);
  t.equal((await d.cli(['get', leaf])).code, 1, 'the quarantined chunk is never served');
  // Passes follow each other every second: the one shown now may be a later, clean one.
  t.match(out(await d.cli(['status'])), /scrub\s+(last pass \S+: [12] object\(s\), 1 ok, [01] corrupt|running: .*)/);
});

t.test('verification mode catches the test-only non-deterministic function', async (t) => {
  process.env[TEST_FUNCTIONS_ENV] = '1'; // the daemon's environment (and its workers') only
  t.teardown(() => void delete process.env[TEST_FUNCTIONS_ENV]);
  const d = await startDaemon(t, { mount: false });
  const leaf = out(await d.cli(['put', '-'], Buffer.from('b\na\n')));
  const nd = out(await d.cli(['recipe', 'nondeterministic@1', '-i', leaf]));
  const sorted = out(await d.cli(['recipe', 'sort-lines@1', '-i', leaf]));

  const stat = await d.cli(['stat', sorted, '--compute', '--verify', '--json']);
  t.equal(stat.code, 0);
  t.match(JSON.parse(out(stat)), { state: 'materialized', size: 4 });
  t.equal((await status(d)).computations, 2, 'computed twice');

  const got = await d.cli(['get', nd, '--verify']);
  t.equal(got.code, 1);
  t.match(got.stderr, /^deriva: function nondeterministic@1 is non-deterministic: recipe [0-9a-f]{64} computed twice gave/);
  t.equal(got.stdout.length, 0, 'the result is rejected');

  const fns = JSON.parse(out(await d.cli(['fn', 'list', '--json'])));
  t.match(fns.find((f: { id: string }) => f.id === 'nondeterministic@1'), { nondeterministic: true, nondeterministicRecipe: nd });
  t.notOk(fns.find((f: { id: string }) => f.id === 'sort-lines@1').nondeterministic);
  t.match(out(await d.cli(['fn', 'list'])), new RegExp(`nondeterministic@1 .*\\n    NON-DETERMINISTIC: recipe ${nd}`));
  t.equal((await d.cli(['stat', nd, '--verify'])).code, 1, 'stat --verify refuses it too');
  t.equal((await d.cli(['get', nd])).stdout.subarray(0, 4).toString(), 'b\na\n', 'an unverified read still serves it');
});

t.test('deriva daemon --verify: every read is verified, through the mount too', async (t) => {
  process.env[TEST_FUNCTIONS_ENV] = '1';
  t.teardown(() => void delete process.env[TEST_FUNCTIONS_ENV]);
  const d = await startDaemon(t, { args: ['--verify'] });
  const leaf = out(await d.cli(['put', '-'], Buffer.from('b\na\n')));
  const nd = out(await d.cli(['recipe', 'nondeterministic@1', '-i', leaf]));
  const sorted = out(await d.cli(['recipe', 'sort-lines@1', '-i', leaf]));
  const good = await cat(out(await d.cli(['path', sorted])));
  t.equal(good.stdout.toString(), 'a\nb\n');
  t.equal((await status(d)).computations, 2, 'a deterministic recipe: computed twice, served');
  const bad = await cat(out(await d.cli(['path', nd])));
  t.not(bad.code, 0);
  t.match(bad.stderr, /Input\/output error/, 'a non-deterministic one reads as EIO');
  t.equal(bad.stdout.length, 0);
  t.match(JSON.parse(out(await d.cli(['fn', 'list', '--json']))).find((f: { id: string }) => f.id === 'nondeterministic@1'), { nondeterministic: true });
});
