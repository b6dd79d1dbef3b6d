/**
 * Daemon lifecycle with the real process: one daemon per home, restart keeps everything, a
 * SIGKILLed daemon's stale mount is cleaned by the next start, SIGTERM shuts down cleanly.
 */
import { execFile } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import t from 'tap';
import { DerivaClient } from '../../src/api/client.js';
import { runCli, startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

const sh = promisify(execFile);

t.test('a second daemon on the same home fails at once; the first keeps serving', async (t) => {
  const d = await startDaemon(t, { mount: false });
  const second = await runCli(d.home, ['daemon']);
  t.equal(second.code, 1);
  t.match(second.stderr, /another Deriva daemon \(pid \d+\) is already running/);
  t.equal((await d.cli(['status'])).code, 0);
});

t.test('a home too long for its socket path: the daemon and the CLI say so, and nothing is created', async (t) => {
  const home = join(await tempDir(t), 'h'.repeat(120));
  const daemon = await runCli(home, ['daemon']);
  t.equal(daemon.code, 1);
  t.match(daemon.stderr, /the socket path .*deriva\.sock is \d+ bytes, and a unix socket path can have at most 107: choose a Deriva home of at most 95 bytes/);
  await t.rejects(access(home), { code: 'ENOENT' }, 'no home made, no socket bound anywhere else');
  const status = await runCli(home, ['status']);
  t.equal(status.code, 1);
  t.match(status.stderr, /can have at most 107/);
});

t.test('restart keeps leaves, recipes and cached outputs', async (t) => {
  const home = await tempDir(t);
  let d = await startDaemon(t, { home, mount: false });
  const leaf = (await d.cli(['put', '-'], Buffer.from('keep me'))).stdout.toString().trim();
  const up = (await d.cli(['recipe', 'upper@1', '-i', leaf])).stdout.toString().trim();
  t.equal((await d.cli(['get', up])).stdout.toString(), 'KEEP ME');
  t.equal(await d.stop('SIGTERM'), 0, 'SIGTERM exits 0');

  d = await startDaemon(t, { home, mount: false });
  const stat = JSON.parse((await d.cli(['stat', up, '--json'])).stdout.toString());
  t.equal(stat.state, 'materialized', 'cached output survives');
  t.equal((await d.cli(['get', up])).stdout.toString(), 'KEEP ME');
  const status = JSON.parse((await d.cli(['status', '--json'])).stdout.toString());
  t.equal(status.computations, 0, 'nothing recomputed after restart');
  t.equal(status.leaves, 1);
  t.equal(status.recipes, 1);
});

t.test('SIGKILL leaves a stale mount; the next daemon on that mount point cleans it', async (t) => {
  const home = await tempDir(t);
  const mount = join(await tempDir(t), 'mnt');
  let d = await startDaemon(t, { home, mount });
  const leaf = (await d.cli(['put', '-'], Buffer.from('survivor'))).stdout.toString().trim();
  await d.stop('SIGKILL');
  await t.rejects(access(mount), { code: 'ENOTCONN' }, 'stale mount left behind');

  d = await startDaemon(t, { home, mount });
  const { stdout } = await sh('cat', [join(mount, leaf.slice(0, 2), leaf)]);
  t.equal(stdout, 'survivor');
});

t.test('SIGTERM: unmounts, removes the socket and pid file, exits 0', async (t) => {
  const d = await startDaemon(t);
  t.equal(await d.stop('SIGTERM'), 0);
  const mounts = await readFile('/proc/self/mountinfo', 'utf8');
  t.notOk(mounts.includes(` ${d.mount!} `), 'no longer mounted');
  await t.rejects(access(join(d.home, 'deriva.sock')), { code: 'ENOENT' });
  await t.rejects(access(join(d.home, 'daemon.pid')), { code: 'ENOENT' });
  const log = await readFile(join(d.home, 'daemon.log'), 'utf8');
  t.match(log, /"msg":"daemon stopped"/, 'structured log in the home');
});

t.test('SIGINT stops the daemon the same way', async (t) => {
  const d = await startDaemon(t, { mount: false });
  t.equal(await d.stop('SIGINT'), 0);
});

t.test('--listen serves the same API over TCP', async (t) => {
  const port = await freePort();
  const d = await startDaemon(t, { mount: false, args: ['--listen', `127.0.0.1:${port}`] });
  const leaf = (await d.cli(['put', '-'], Buffer.from('over tcp'))).stdout.toString().trim();
  const client = DerivaClient.connect(`127.0.0.1:${port}`);
  t.teardown(() => client.close());
  t.match(await client.stat(leaf), { kind: 'leaf', size: 8n });
  t.match(await client.status(), { leaves: 1n, home: d.home });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
