/**
 * Crash consistency of the real daemon: rounds of 1,000 concurrent operations (puts of varied
 * sizes, recipes over them, reads that compute them) over gRPC, each round ended by SIGKILL at
 * a different point, then a restart on the same home (taking over the dead daemon's lock and
 * clearing its stale mount). After every restart, every file the mount shows is read whole by
 * b3sum: each acknowledged put must be there and hash to its address, each acknowledged recipe
 * must be there and read back as its output (recomputed if the cache entry was lost), and
 * nothing may be visible that is not fully readable and right. At the end the last restarted
 * daemon scrubs its store (`deriva scrub --json`: every chunk and recipe hashes to its
 * address), and once it has stopped the store is also checked offline for what that scrub does
 * not look at (values' chunks, DAG edges, action and partial entries). The figures of each
 * round are printed as test comments.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t, { type Test } from 'tap';
import { DerivaClient } from '../../src/api/client.js';
import { unixTarget } from '../../src/api/targets.js';
import { mountState } from '../../src/fuse/mount-table.js';
import { startDaemon, type DaemonHandle } from '../helpers/daemon.js';
import { scrubStore } from '../helpers/scrub.js';
import { tempDir } from '../helpers/temp.js';
import { makeRound, runRound, type Counted, type Progress, type Round } from './fixtures/crash-load.js';

const sh = promisify(execFile);
const PUTS = 850;
const RECIPES = 150;

interface KillPoint {
  readonly name: string;
  readonly when: (what: Counted, p: Progress) => boolean;
}

const KILL_POINTS: KillPoint[] = [
  { name: 'after 100 put acks', when: (what, p) => what === 'put' && p.puts === 100 },
  { name: 'after 500 put acks', when: (what, p) => what === 'put' && p.puts === 500 },
  { name: 'after 20 computed reads (computations in flight)', when: (what, p) => what === 'computed' && p.computed === 20 },
  { name: `after ${PUTS - 1} put acks`, when: (what, p) => what === 'put' && p.puts === PUTS - 1 },
];

/** b3sum of every file the mount shows, by file name: one process, reading each file whole. */
async function hashMount(mount: string): Promise<{ hashes: Map<string, string>; stderr: string }> {
  const script = 'cd "$1" && find . -type f -print0 | xargs -0 -r b3sum';
  const { stdout, stderr } = await sh('sh', ['-c', script, 'sh', mount], { maxBuffer: 64 * 1024 * 1024 }).catch(
    (err: { stdout?: string; stderr?: string; message: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr || err.message }),
  );
  const hashes = new Map<string, string>();
  for (const line of stdout.split('\n').filter(Boolean)) {
    const [digest, path] = line.split(/\s+/) as [string, string];
    hashes.set(path.slice(path.lastIndexOf('/') + 1), digest);
  }
  return { hashes, stderr };
}

/** Every address attempted so far: what it must read as, and whether the daemon acknowledged it. */
function expectations(rounds: readonly Round[]): Map<string, { digest: string; acked: boolean; computed: boolean }> {
  const all = new Map<string, { digest: string; acked: boolean; computed: boolean }>();
  const ops = rounds.flatMap((r) => [
    ...r.puts.map((p) => ({ addr: p.addr, digest: p.addr, acked: p.acked, computed: false })),
    ...r.recipes.map((o) => ({ addr: o.addr, digest: o.outputHash, acked: o.acked, computed: o.computed })),
  ]);
  for (const op of ops) {
    const seen = all.get(op.addr); // the same recipe may be registered by several operations
    all.set(op.addr, { digest: op.digest, acked: op.acked || !!seen?.acked, computed: op.computed || !!seen?.computed });
  }
  return all;
}

/** Checks what a restarted daemon shows against every round so far; returns the figures. */
async function verify(t: Test, d: DaemonHandle, rounds: readonly Round[]) {
  const expected = expectations(rounds);
  const client = DerivaClient.connect(unixTarget(join(d.home, 'deriva.sock')));
  let outputsKept = 0;
  let outputsLost = 0;
  try {
    for (const [addr, op] of expected) {
      if (!op.acked || op.digest === addr) continue; // leaves are checked through the mount
      const stat = await client.stat(addr);
      if (stat.kind !== 'recipe') t.fail(`${addr} is known as ${stat.kind}`);
      if (op.computed && stat.state === 'materialized') outputsKept++;
      else if (op.computed) outputsLost++;
    }
  } finally {
    client.close();
  }
  const started = Date.now();
  const { hashes, stderr } = await hashMount(d.mount!);
  t.equal(stderr, '', 'every file in the mount reads whole');
  let lost = 0;
  let unackedVisible = 0;
  for (const [name, digest] of hashes) {
    const op = expected.get(name);
    if (!op) t.fail(`${name} is visible but was never put or registered`);
    else if (digest !== op.digest) t.fail(`${name} reads as ${digest}, expected ${op.digest}`);
  }
  for (const [addr, op] of expected) {
    if (op.acked && !hashes.has(addr)) lost++;
    if (!op.acked && hashes.has(addr)) unackedVisible++;
  }
  t.equal(lost, 0, 'no acknowledged put or recipe is lost');
  return { visible: hashes.size, lost, unackedVisible, computedOutputsKept: outputsKept, computedOutputsRecomputed: outputsLost, readAllMs: Date.now() - started };
}

t.test('SIGKILL under 1,000 concurrent puts and computations loses nothing acknowledged', async (t) => {
  const home = await tempDir(t);
  const mount = join(await tempDir(t), 'mnt');
  const rounds: Round[] = [];
  let daemon = await startDaemon(t, { home, mount });
  for (const point of KILL_POINTS) {
    const round = makeRound(PUTS, RECIPES);
    rounds.push(round);
    const roundStarted = Date.now();
    const client = DerivaClient.connect(unixTarget(join(home, 'deriva.sock')));
    let atKill: Progress | undefined;
    const killed = daemon;
    const progress = await runRound(client, round, (what, p) => {
      if (atKill || !point.when(what, p)) return;
      atKill = { ...p, wrong: [] };
      killed.proc.kill('SIGKILL');
    });
    client.close();
    const roundMs = Date.now() - roundStarted;
    await killed.stop('SIGKILL'); // waits for the exit (already signalled, or the round ended first)
    t.same(progress.wrong, [], `${point.name}: every answer was right while the daemon was up`);
    t.ok(atKill, `${point.name}: the kill point was reached`);
    t.equal(await mountState(mount), 'stale', 'the killed daemon left a stale mount');

    const started = Date.now();
    daemon = await startDaemon(t, { home, mount }); // takes over the lock, clears the stale mount
    const restartMs = Date.now() - started;
    const figures = await verify(t, daemon, rounds);
    t.comment(
      JSON.stringify({
        kill: point.name,
        atKill: atKill && { putAcks: atKill.puts, recipeAcks: atKill.recipes, computedReads: atKill.computed, readsInFlight: atKill.reading },
        acked: { puts: progress.puts, recipes: progress.recipes, computedReads: progress.computed },
        roundMs,
        restartMs,
        ...figures,
      }),
    );
  }
  const live = await daemon.cli(['scrub', '--json']);
  t.equal(live.code, 0, `deriva scrub runs: ${live.stderr}`);
  const report = JSON.parse(live.stdout.toString()) as { objects: number; ok: number; corrupt: number; quarantined: unknown[] };
  t.ok(report.objects > 0, 'deriva scrub checked the store');
  t.match(report, { ok: report.objects, corrupt: 0, quarantined: [] }, 'deriva scrub finds every chunk and recipe intact');
  t.comment(JSON.stringify({ deriva_scrub: { ...report, quarantined: report.quarantined.length } }));
  t.equal(await daemon.stop('SIGTERM'), 0, 'the last daemon stops cleanly');
  const scrub = await scrubStore(join(home, 'store'));
  t.same(scrub.problems, [], 'the offline structural check is clean');
  t.comment(JSON.stringify({ scrub: { ...scrub, problems: scrub.problems.length } }));
  t.ok(scrub.leaves >= rounds.reduce((n, r) => n + r.puts.filter((p) => p.acked).length, 0), 'every acknowledged leaf is in the store');
});
