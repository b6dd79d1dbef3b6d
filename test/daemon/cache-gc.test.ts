/**
 * The cache budget and garbage collection through the real daemon and CLI: `--cache-size`
 * holds over a workload computing three times the budget, evicted outputs read back right,
 * `deriva status --json` shows the cached bytes, and pin / unpin / gc / --no-pin work end to end.
 */
import { createHash } from 'node:crypto';
import t from 'tap';
import { startDaemon } from '../helpers/daemon.js';
import { pseudoRandom } from '../helpers/temp.js';

const MiB = 1024 * 1024;
const out = (r: { stdout: Buffer }) => r.stdout.toString().trim();
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

t.test('a daemon with --cache-size keeps cached bytes within it over 3x the budget', async (t) => {
  const budget = 3 * MiB;
  const d = await startDaemon(t, { mount: false, args: ['--cache-size', '3MiB', '--threads', '1'] });
  const recipes: string[] = [];
  const digests: string[] = [];
  const leaves: Array<{ addr: string; bytes: Buffer }> = [];
  for (let i = 0; i < 9; i++) {
    const bytes = pseudoRandom(MiB, i + 11);
    const leaf = out(await d.cli(['put', '-'], bytes));
    leaves.push({ addr: leaf, bytes });
    // A whole function: its output is recorded (and the budget enforced) before get returns.
    const r = out(await d.cli(['recipe', 'sort-lines@1', '-i', leaf]));
    const got = await d.cli(['get', r]);
    t.equal(got.code, 0);
    recipes.push(r);
    digests.push(sha(got.stdout));
  }
  const status = JSON.parse(out(await d.cli(['status', '--json'])));
  t.ok(status.cachedBytes <= budget + MiB, `cached ${status.cachedBytes} <= budget ${budget} + one chunk`);
  t.ok(status.cachedBytes > 0);
  t.match(status, { cacheBudget: budget, cachePolicy: 'gdsf' });
  t.ok(status.evictions >= 6, `${status.evictions} evictions`);
  t.match(out(await d.cli(['status'])), /cached\s+\d+ output\(s\), [\d.]+ MiB on disk of a 3\.0 MiB budget, gdsf/);

  for (const [i, r] of recipes.entries()) t.equal(sha((await d.cli(['get', r])).stdout), digests[i], `output ${i} after eviction`);
  for (const leaf of leaves) t.equal(sha((await d.cli(['get', leaf.addr])).stdout), sha(leaf.bytes), 'the leaf is intact');
  const after = JSON.parse(out(await d.cli(['status', '--json'])));
  t.ok(after.cachedBytes <= budget + MiB, 'still within the budget');
});

t.test('pin, unpin, gc and --no-pin through the CLI', async (t) => {
  const d = await startDaemon(t, { mount: false });
  const kept = out(await d.cli(['put', '-'], Buffer.from('kept\n')));
  const loose = out(await d.cli(['put', '-', '--no-pin'], Buffer.from('loose\n')));
  const up = out(await d.cli(['recipe', 'upper@1', '-i', loose, '--no-pin']));
  t.equal(out(await d.cli(['get', up])), 'LOOSE');

  t.same(JSON.parse(out(await d.cli(['gc', '--dry-run', '--json']))), { leaves: 1, recipes: 1, chunks: 2, bytes: 12, dryRun: true });
  t.match(out(await d.cli(['gc', '--dry-run'])), /^would delete 1 leaf\(s\), 1 recipe\(s\), 2 chunk\(s\), 12 B$/);
  t.equal((await d.cli(['get', loose])).code, 0, 'a dry run deletes nothing');

  t.equal(out(await d.cli(['pin', loose.slice(0, 10)])), `pinned ${loose}`);
  t.equal(out(await d.cli(['pin', loose])), `${loose} was already pinned`);
  t.match(out(await d.cli(['gc'])), /^deleted 0 leaf\(s\), 1 recipe\(s\)/, 'the unpinned recipe goes, the pinned leaf stays');
  t.equal(out(await d.cli(['get', loose])), 'loose');

  t.same(JSON.parse(out(await d.cli(['unpin', kept, '--json']))), { addr: kept, changed: true });
  t.same(JSON.parse(out(await d.cli(['gc', '--json']))), { leaves: 1, recipes: 0, chunks: 1, bytes: 5, dryRun: false });
  const gone = await d.cli(['get', kept]);
  t.equal(gone.code, 1);
  t.match(gone.stderr, /^deriva: no leaf or recipe has address/);
  const bad = await d.cli(['pin', 'ffffffffffff']);
  t.equal(bad.code, 1, 'pinning an unknown address fails');
  t.match(bad.stderr, /^deriva: .*ffffffffffff/);
  t.equal(JSON.parse(out(await d.cli(['status', '--json']))).pins, 1);
});

t.test('--cache-size must be a size', async (t) => {
  const d = await startDaemon(t, { mount: false });
  const r = await d.cli(['daemon', '--cache-size', 'lots']);
  t.equal(r.code, 2);
  t.match(r.stderr, /--cache-size 'lots' is not a byte size/);
});
