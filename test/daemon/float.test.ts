/**
 * The float builtins and the float policy through the real daemon: fmap@1 and stats@1 read
 * through the FUSE mount with cat (the compute runs in the pool workers, which load the addon),
 * `--float-policy disabled` refusing registration over gRPC (one line, exit 1) and computation
 * through the mount (EPERM) and the CLI, while the daemon keeps serving.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t, { type Test } from 'tap';
import { runCli, startDaemon, type DaemonHandle } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

const sh = promisify(execFile);
const out = (r: { stdout: Buffer }) => r.stdout.toString().trim();
const pathOf = (d: DaemonHandle, addr: string) => join(d.mount!, addr.slice(0, 2), addr);

async function recipe(t: Test, d: DaemonHandle, args: string[]): Promise<string> {
  const r = await d.cli(['recipe', ...args]);
  t.equal(r.code, 0, r.stderr);
  return out(r);
}

t.test('fmap and stats read through the mount; disabled refuses them after a restart', async (t) => {
  const home = await tempDir(t);
  const strict = await startDaemon(t, { home });
  const leaf = out(await strict.cli(['put', '-'], Buffer.from('3\r\n\r\n-0.5\n1e3')));
  const squares = await recipe(t, strict, ['fmap@1', '-i', leaf, '-p', 'op=pow', '-p', 'arg=2']);
  const summary = await recipe(t, strict, ['stats@1', '-i', leaf]);
  const later = await recipe(t, strict, ['fmap@1', '-i', leaf, '-p', 'op=log10']);
  t.equal((await sh('cat', [pathOf(strict, squares)])).stdout, '9\n\n0.25\n1000000\n');
  const stats = (await sh('cat', [pathOf(strict, summary)])).stdout;
  t.match(stats, /^count 3\nsum 1002\.5\nmean 334\.1666666666667\nmin -0\.5\nmax 1000\n/);
  t.equal(await strict.stop(), 0);

  const disabled = await startDaemon(t, { home, args: ['--float-policy', 'disabled'] });
  const cat = await sh('cat', [pathOf(disabled, later)]).then(() => undefined, (err: { stderr: string }) => err);
  t.match(cat?.stderr, /Operation not permitted/, 'EPERM through the mount');
  const get = await disabled.cli(['get', later]);
  t.equal(get.code, 1);
  t.match(get.stderr, /^deriva: cannot compute a recipe of fmap@1: it uses floating point and this daemon runs with --float-policy disabled\n$/);
  t.equal((await sh('cat', [pathOf(disabled, squares)])).stdout, '9\n\n0.25\n1000000\n', 'computed before: stored data, still served');
  t.match(out(await disabled.cli(['stat', later])), /state\s+failed/);
});

t.test('--float-policy disabled refuses to register float recipes, in one line', async (t) => {
  const d = await startDaemon(t, { mount: false, args: ['--float-policy', 'disabled'] });
  const leaf = out(await d.cli(['put', '-'], Buffer.from('1\n2\n')));
  for (const args of [['fmap@1', '-i', leaf, '-p', 'op=sqrt'], ['stats@1', '-i', leaf]]) {
    const r = await d.cli(['recipe', ...args]);
    t.equal(r.code, 1, `${args[0]} refused`);
    t.match(r.stderr, new RegExp(`^deriva: cannot register a recipe of ${args[0]}: it uses floating point .*\\n$`));
  }
  t.equal((await d.cli(['recipe', 'upper@1', '-i', leaf])).code, 0, 'other functions still register');
  const fns = JSON.parse(out(await d.cli(['fn', 'list', '--json']))) as { id: string; usesFloat: boolean }[];
  t.same(fns.filter((f) => f.usesFloat).map((f) => f.id), ['fmap@1', 'stats@1'], 'fn list says which use floats');
  t.match(out(await d.cli(['fn', 'list'])), /^stats@1 .*\[uses float\]$/m);
});

t.test('a bad --float-policy is a usage error', async (t) => {
  const r = await runCli(await tempDir(t), ['daemon', '--float-policy', 'loose']);
  t.equal(r.code, 2);
  t.match(r.stderr, /float-policy.*loose|loose.*float-policy/s);
  const help = (await runCli(await tempDir(t), ['daemon', '--help'])).stdout.toString();
  t.match(help, /--float-policy.*\[choices: "strict", "disabled"\] \[default: "strict"\]/s);
});
