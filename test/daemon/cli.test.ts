/**
 * Every CLI command against the real daemon: output, --json, prefixes, and errors (one line on
 * stderr, exit 1; usage errors exit 2), after which the daemon still serves.
 */
import t from 'tap';
import { runCli, startDaemon, type DaemonHandle } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

const out = (r: { stdout: Buffer }) => r.stdout.toString().trim();

async function seed(d: DaemonHandle) {
  const leaf = out(await d.cli(['put', '-'], Buffer.from('b,a\nc,d\na,b\n')));
  const sorted = out(await d.cli(['recipe', 'sort-lines@1', '-i', leaf, '-p', 'reverse=true']));
  const cut = out(await d.cli(['recipe', 'csv-cut@1', '-i', sorted, '-p', 'fields=2']));
  return { leaf, sorted, cut };
}

t.test('data commands print data, and JSON with --json', async (t) => {
  const d = await startDaemon(t, { mount: false });
  const { leaf, sorted, cut } = await seed(d);
  t.equal((await d.cli(['get', cut.slice(0, 12)])).stdout.toString(), 'd\na\nb\n', 'get with a prefix');
  t.equal((await d.cli(['get', sorted, '--offset', '4', '--length', '3'])).stdout.toString(), 'b,a');

  const stat = JSON.parse(out(await d.cli(['stat', cut, '--json'])));
  t.match(stat, { addr: cut, kind: 'recipe', state: 'materialized', size: 6, recipe: { function: 'csv-cut@1', inputs: [sorted] } });
  t.match(out(await d.cli(['stat', leaf])), /kind\s+leaf/);

  const tree = out(await d.cli(['resolve', cut]));
  t.match(tree, /csv-cut@1\(delimiter=,, fields=2\) \[materialized, 6 B\]\n└── \S+ sort-lines@1\(reverse=true, unique=false\) \[materialized[^\n]*\n    └── \S+ leaf/);
  const dot = out(await d.cli(['resolve', cut, '--dot']));
  t.match(dot, new RegExp(`"${sorted}" -> "${cut}"`));
  const dag = JSON.parse(out(await d.cli(['resolve', cut, '--json'])));
  t.same(dag.nodes.map((n: { addr: string }) => n.addr), [cut, sorted, leaf]);

  t.same(JSON.parse(out(await d.cli(['invalidate', sorted, '--json']))), { evicted: 2, depth: 1, policy: 'immediate', pending: 0 });
  t.match(out(await d.cli(['stat', cut])), /state\s+not-materialized/);
  t.match(out(await d.cli(['invalidate', leaf])), /evicted 0 cached output/);

  const fns = JSON.parse(out(await d.cli(['fn', 'list', '--json'])));
  const slice = fns.find((f: { id: string }) => f.id === 'slice@1');
  t.match(slice, { kind: 'structural', minInputs: 1, maxInputs: 1 });
  t.match(slice.params.find((p: { name: string }) => p.name === 'length'), { type: 'int', required: true });
  t.match(out(await d.cli(['fn', 'list'])), /upper@1\s+chunkwise/);

  const status = JSON.parse(out(await d.cli(['status', '--json'])));
  t.match(status, { leaves: 1, recipes: 2, mount: '' });
  t.equal(out(await d.cli(['put', '-', '--json'])).includes('"addr"'), true, 'put --json');
});

t.test('errors: one line on stderr, exit 1; usage errors exit 2; the daemon keeps serving', async (t) => {
  const d = await startDaemon(t, { mount: false });
  const { leaf } = await seed(d);
  const cases: Array<[string[], number, RegExp]> = [
    [['get', 'zz'], 1, /neither a 64-hex-digit address nor a prefix/],
    [['stat', '00000000'], 1, /no address starts with '00000000'/],
    [['recipe', 'nope@1', '-i', leaf], 1, /unknown function nope@1/],
    [['recipe', 'upper@1'], 1, /takes exactly 1 input/],
    [['recipe', 'slice@1', '-i', leaf, '-p', 'offset=x', '-p', 'length=1'], 1, /param 'offset'/],
    [['recipe', 'upper@1', '-i', '0'.repeat(64)], 1, /recipe input: no leaf or recipe has address 0{64}/],
    [['recipe', 'upper@1', '-i', leaf, '-p', 'novalue'], 2, /key=value/],
    [['get', leaf, '--offset', '-5'], 2, /--offset/],
    [['path', leaf], 1, /no mount/],
    [['put', '/definitely/not/here'], 1, /cannot read/],
    [['frobnicate'], 2, /Unknown argument/],
    [[], 2, /say which command/],
    [['daemon', '--listen', 'nonsense'], 2, /HOST:PORT/],
  ];
  for (const [args, code, message] of cases) {
    const r = await d.cli(args);
    t.equal(r.code, code, `deriva ${args.join(' ')} exits ${code}`);
    t.match(r.stderr, message);
    t.equal(r.stderr.trim().split('\n')[0]!.startsWith('deriva: '), true, 'one clear line first');
  }
  const failing = out(await d.cli(['recipe', 'gunzip@1', '-i', leaf]));
  const r = await d.cli(['get', failing]);
  t.equal(r.code, 1);
  t.match(r.stderr, new RegExp(`recipe ${failing} \\(gunzip@1\\) failed`));
  t.match(out(await d.cli(['stat', failing])), /state\s+failed[\s\S]*error\s+recipe/);
  t.equal((await d.cli(['status'])).code, 0, 'still serving');
});

t.test('without a daemon the CLI says how to start one', async (t) => {
  const r = await runCli(await tempDir(t), ['status']);
  t.equal(r.code, 1);
  t.match(r.stderr, /no Deriva daemon at unix:.*start one with `deriva daemon`/);
});

t.test('--help teaches', async (t) => {
  const home = await tempDir(t);
  const help = (await runCli(home, ['--help'])).stdout.toString();
  for (const cmd of ['daemon', 'put', 'recipe', 'get', 'stat', 'resolve', 'invalidate', 'status', 'path', 'fn']) {
    t.match(help, new RegExp(`deriva ${cmd}`), `lists ${cmd}`);
  }
  t.match((await runCli(home, ['recipe', '--help'])).stdout.toString(), /--param.*key=value/);
});
