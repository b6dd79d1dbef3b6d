/**
 * Refs end to end: the real daemon process with a real FUSE mount, the real CLI, and coreutils
 * reading `<mnt>/refs/NAME` (readlink, cat through it) and a recipe over the ref before and
 * after a rebind. Also the ref commands' --json, errors and exit codes, resolve showing the
 * ref, the recipe xattr, and the daemon's --invalidation default with a per-call --policy.
 */
import t from 'tap';
import { join } from 'node:path';
import { startDaemon } from '../helpers/daemon.js';
import { text } from '../fuse/fixtures/mount.js';

const out = (r: { stdout: Buffer }) => r.stdout.toString().trim();

t.test('ref commands, a recipe over a ref, and the mount before and after a rebind', async (t) => {
  const d = await startDaemon(t, { args: ['--invalidation', 'none'] });
  const mnt = d.mount!;
  const v1 = out(await d.cli(['put', '-'], Buffer.from('first version\n')));
  const v2 = out(await d.cli(['put', '-'], Buffer.from('the second, longer version\n')));

  t.match(out(await d.cli(['ref', 'set', 'data', v1.slice(0, 12)])), new RegExp(`^data -> ${v1}; evicted 0`));
  t.equal(out(await d.cli(['ref', 'get', 'data'])), v1);
  const up = out(await d.cli(['recipe', 'upper@1', '--input', 'ref:data']));
  const link = join(mnt, 'refs', 'data');
  const upPath = join(mnt, up.slice(0, 2), up);

  t.equal(await text('readlink', [link]), `../${v1.slice(0, 2)}/${v1}\n`, 'readlink');
  t.equal(await text('cat', [link]), 'first version\n', 'cat through the symlink');
  t.equal(await text('cat', [upPath]), 'FIRST VERSION\n', 'the recipe over the ref');
  t.equal(await text('getfattr', ['--only-values', '-n', 'user.deriva.recipe', upPath]), '{"function":"upper@1","inputs":["ref:data"],"params":{}}');

  const set = JSON.parse(out(await d.cli(['ref', 'set', 'data', v2, '--json'])));
  t.match(set, { name: 'data', addr: v2, previous: { name: 'data', addr: v1 }, evicted: 1, depth: 1 });
  t.equal(await text('readlink', [link]), `../${v2.slice(0, 2)}/${v2}\n`, 'readlink after the rebind');
  t.equal(await text('cat', [link]), 'the second, longer version\n', 'cat through the symlink after the rebind');
  t.equal(await text('cat', [upPath]), 'THE SECOND, LONGER VERSION\n', 'the recipe recomputed, not the cached pages');
  t.equal(await text('ls', [join(mnt, 'refs')]), 'data\n');
  const stat = out(await d.cli(['stat', up, '--compute']));
  t.match(stat, new RegExp(`inputs\\s+ref:data\n.*consumed\\s+${v2}`, 's'), 'stat shows the binding the output was computed from');
  t.same(JSON.parse(out(await d.cli(['stat', up, '--json']))).consumed, [v2]);

  const list = JSON.parse(out(await d.cli(['ref', 'list', '--json'])));
  t.match(list, [{ name: 'data', addr: v2 }]);
  const history = JSON.parse(out(await d.cli(['ref', 'history', 'data', '--json'])));
  t.same(history.map((h: { addr: string }) => h.addr), [v1, v2]);
  t.ok(history.every((h: { time: string; timeMs: number }) => new Date(h.time).getTime() === h.timeMs), 'ISO time and ms agree');
  t.match(out(await d.cli(['ref', 'history', 'data'])), new RegExp(`^${v1}  \\d{4}-\\d\\d-\\d\\dT[^\\n]+Z\\n${v2}  `));

  t.match(out(await d.cli(['resolve', up])), new RegExp(`upper@1\\(\\) \\[materialized, 27 B\\]\\n└── ref:data -> ${v2.slice(0, 16)} leaf`));
  const dot = out(await d.cli(['resolve', up, '--dot']));
  t.match(dot, `"ref:data" -> "${up}"`);
  t.match(dot, `"${v2}" -> "ref:data" [style=dashed`);

  // The daemon's default here is none; a call may ask for more.
  const sorted = out(await d.cli(['recipe', 'sort-lines@1', '-i', up]));
  await d.cli(['get', sorted]);
  t.same(JSON.parse(out(await d.cli(['invalidate', up, '--json']))), { evicted: 1, depth: 0, policy: 'none', pending: 0 });
  t.match(out(await d.cli(['stat', sorted])), /state\s+materialized/, 'none: the dependent stays cached');
  await d.cli(['get', up]);
  t.match(out(await d.cli(['invalidate', up, '--policy', 'immediate'])), /evicted 2 cached output\(s\), 1 level\(s\) deep, policy immediate/);
});

t.test('errors: one line, exit 1 (NOT_FOUND, INVALID_ARGUMENT); usage exit 2; the daemon keeps serving', async (t) => {
  const d = await startDaemon(t, { mount: false });
  const leaf = out(await d.cli(['put', '-'], Buffer.from('x')));
  const cases: Array<[string[], number, RegExp]> = [
    [['ref', 'set', 'data', 'ab'.repeat(32)], 1, new RegExp(`cannot bind ref data: no leaf or recipe has address ${'ab'.repeat(32)}`)],
    [['ref', 'set', 'a/b', leaf], 1, /ref name "a\/b" is not valid: a ref name is 1 to 128 characters from \[A-Za-z0-9._-\]/],
    [['ref', 'get', 'missing'], 1, /no ref is named missing/],
    [['ref', 'history', 'missing'], 1, /no ref is named missing/],
    [['recipe', 'upper@1', '-i', 'ref:missing'], 1, /input ref missing is not bound/],
    [['recipe', 'upper@1', '-i', 'ref:'], 1, /ref name "" is not valid/],
    [['invalidate', leaf, '--policy', 'later'], 2, /Invalid values:[\s\S]*policy/],
    [['daemon', '--invalidation', 'sometimes'], 2, /Invalid values:[\s\S]*invalidation/],
    [['ref'], 2, /Not enough non-option arguments/],
  ];
  for (const [args, code, message] of cases) {
    const r = await d.cli(args);
    t.equal(r.code, code, `${args.join(' ')}: exit ${code}`);
    t.match(r.stderr, message, `${args.join(' ')}: says why`);
    if (code === 1) t.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: one line`);
  }
  t.equal(out(await d.cli(['ref', 'list'])), '', 'still serving, no refs made');
  const help = out(await d.cli(['ref', 'set', '--help']));
  t.match(help, /\[A-Za-z0-9\._-\]/, 'help states the name rule');
  t.match(out(await d.cli(['ref', '--help'])), /set <name> <addr>[\s\S]*history <name>/, 'ref --help lists the subcommands');
  const inv = out(await d.cli(['invalidate', '--help']));
  t.match(inv, /none:\s+forget\s+only\s+the\s+output\s+of\s+the\s+address\s+itself/);
  t.match(inv, /deferred:\s+forget\s+it\s+now;\s+queue\s+its\s+dependents/);
});

t.test('deriva daemon --exec-mode sequential computes the same bytes and says so in status', async (t) => {
  const d = await startDaemon(t, { mount: false, args: ['--exec-mode', 'sequential'] });
  const a = out(await d.cli(['put', '-'], Buffer.from('abc ')));
  const b = out(await d.cli(['put', '-'], Buffer.from('def')));
  const up = out(await d.cli(['recipe', 'upper@1', '-i', b]));
  const both = out(await d.cli(['recipe', 'concat@1', '-i', a, '-i', up]));
  t.equal(out(await d.cli(['get', both])), 'abc DEF');
  const status = JSON.parse(out(await d.cli(['status', '--json'])));
  t.equal(status.execMode, 'sequential');
  t.match(out(await d.cli(['status'])), /inputs in sequential/);
  const bad = await d.cli(['daemon', '--exec-mode', 'eventually']);
  t.equal(bad.code, 2, 'a bad mode is a usage error');
  t.match(bad.stderr, /exec-mode/, 'naming the option');
});
