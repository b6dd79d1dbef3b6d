/**
 * The daemon's home is private: another local user (`nobody`, through runuser) can read no
 * file of it, cannot connect to its socket, and cannot list its FUSE mount; a home made with
 * wider modes is tightened at start, and the log says what changed. The homes sit in a parent
 * directory nobody can traverse (0755), so every denial comes from the home's own modes.
 */
import { execFile } from 'node:child_process';
import { chmod, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t, { type Test } from 'tap';
import { startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

const run = promisify(execFile);

const SECRET = 'a leaf nobody else may read';

/** Runs a command as the unprivileged user `nobody`; never throws on a non-zero exit. */
async function asNobody(...command: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('runuser', ['-u', 'nobody', '--', ...command]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const { code, stdout, stderr } = err as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

/** A directory that `nobody` may traverse, for homes and mount points. */
async function openParent(t: Test): Promise<string> {
  const dir = await tempDir(t);
  await chmod(dir, 0o755);
  return dir;
}

/** Every path under `dir`, recursively. */
async function allPaths(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map((name) => join(dir, name));
}

/** Connects to a unix socket as nobody; prints the error code and exits 3 on failure. */
const CONNECT = "require('node:net').connect(process.argv[1]).on('connect', () => process.exit(0)).on('error', (e) => { console.error(e.code); process.exit(3); })";

t.test('another user can read no file of the home, cannot connect to its socket, cannot list its mount', async (t) => {
  const parent = await openParent(t);
  const d = await startDaemon(t, { home: join(parent, 'home'), mount: join(parent, 'mnt') });
  const leaf = (await d.cli(['put', '-'], Buffer.from(SECRET))).stdout.toString().trim();
  t.equal((await d.cli(['get', leaf])).stdout.toString(), SECRET, 'the owner reads it');

  t.equal((await stat(d.home)).mode & 0o777, 0o700, 'the home is 0700');
  const paths = await allPaths(d.home);
  const names = paths.map((p) => p.slice(d.home.length + 1)).sort();
  t.same(names, ['daemon.log', 'daemon.pid', 'deriva.sock', 'node.key', 'store', 'store/deriva.mdb', 'store/deriva.mdb-lock']);
  for (const path of paths) {
    const info = await stat(path);
    if (info.isSocket()) t.equal(info.mode & 0o022, 0, 'the socket: no one else may write (connect)');
    else t.equal(info.mode & 0o077, 0, `${path.slice(d.home.length + 1)} is owner-only (${(info.mode & 0o777).toString(8)})`);
    if (!info.isFile()) continue;
    const cat = await asNobody('cat', path);
    t.not(cat.code, 0, `nobody cannot cat ${path}`);
    t.match(cat.stderr, /Permission denied/);
  }
  const grep = await asNobody('grep', '-r', SECRET, d.home);
  t.equal(grep.code, 2, 'grep -r fails (1 would mean read and not found)');
  t.match(grep.stderr, /Permission denied/);
  t.equal(grep.stdout, '');

  const connect = await asNobody(process.execPath, '-e', CONNECT, join(d.home, 'deriva.sock'));
  t.equal(connect.code, 3, 'nobody cannot connect to the socket');
  t.match(connect.stderr, /EACCES/);

  t.ok((await readdir(d.mount!)).length > 0, 'the owner lists the mount');
  t.equal((await stat(d.mount!)).mode & 0o777, 0o555, "the mount's root is r-x for all: a denial is FUSE's (no allow_other), not the mode's");
  const ls = await asNobody('ls', d.mount!);
  t.not(ls.code, 0, 'nobody cannot list the mount');
  t.match(ls.stderr, /Permission denied/);
});

t.test('a home made with wider modes is tightened at start, and the log says what changed', async (t) => {
  const parent = await openParent(t);
  const home = join(parent, 'home');
  let d = await startDaemon(t, { home, mount: false });
  await d.cli(['put', '-'], Buffer.from(SECRET));
  t.equal(await d.stop(), 0);
  const widened = [home, join(home, 'store')];
  const opened = [join(home, 'store', 'deriva.mdb'), join(home, 'daemon.log')];
  for (const dir of widened) await chmod(dir, 0o755);
  for (const file of opened) await chmod(file, 0o644);
  t.equal((await asNobody('grep', '-c', SECRET, opened[0]!)).stdout.trim(), '1', 'as an older Deriva left it, anyone reads the store');

  d = await startDaemon(t, { home, mount: false });
  for (const dir of widened) t.equal((await stat(dir)).mode & 0o777, 0o700, `${dir} tightened to 0700`);
  for (const file of opened) t.equal((await stat(file)).mode & 0o777, 0o600, `${file} tightened to 0600`);
  const warning = (await readFile(join(home, 'daemon.log'), 'utf8'))
    .split('\n')
    .filter((line) => line.includes('tightened'))
    .map((line) => JSON.parse(line) as { level: number; msg: string; tightened: Array<{ path: string; from: string; to: string }> });
  t.equal(warning.length, 1, 'one log line');
  t.equal(warning[0]!.level, 40, 'a warning');
  t.match(warning[0]!.msg, /open to other users: tightened to owner-only/);
  t.same(
    warning[0]!.tightened.map((e) => [e.path, e.from, e.to]).sort(),
    [[home, '755', '700'], [join(home, 'daemon.log'), '644', '600'], [join(home, 'store'), '755', '700'], [join(home, 'store', 'deriva.mdb'), '644', '600']].sort(),
  );
  const grep = await asNobody('grep', '-c', SECRET, opened[0]!);
  t.match(grep.stderr, /Permission denied/, 'and nobody reads it any more');
  t.equal((await d.cli(['status'])).code, 0, 'the daemon serves as before');
});
