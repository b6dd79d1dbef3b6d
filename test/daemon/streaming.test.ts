/**
 * Streaming outputs through the real daemon and mount: `cat | gunzip | cmp` of gzip@1 over a
 * 2 GiB leaf gets its first bytes long before the computation ends, with the daemon's memory
 * bounded; a reader that stops pauses the computation; concurrent readers (mount and gRPC)
 * share one run; `stat` shows an upper bound until the output is computed, then its size.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { startDaemon, type DaemonHandle } from '../helpers/daemon.js';
import { pseudoRandom, tempDir } from '../helpers/temp.js';
import { waitFor } from '../helpers/wait.js';

const sh = promisify(execFile);
const MiB = 1024 * 1024;
const out = (r: { stdout: Buffer }) => r.stdout.toString().trim();
const json = async (d: DaemonHandle, args: string[]) => JSON.parse(out(await d.cli([...args, '--json'])));

/** `size` bytes of numbered text lines: compressible, but never the same line twice. */
async function textFile(path: string, size: number): Promise<void> {
  const file = await open(path, 'w');
  const line = (i: number) => `${String(i).padStart(10, '0')} the quick brown fox jumps over the lazy dog\n`;
  const perBlock = Math.floor(MiB / line(0).length);
  let written = 0;
  for (let i = 0; written < size; i += perBlock) {
    let text = '';
    for (let j = 0; j < perBlock; j++) text += line(i + j);
    const block = Buffer.from(text).subarray(0, size - written);
    await file.write(block);
    written += block.length;
  }
  await file.close();
}

/** Memory of a process from /proc, in bytes: resident total, anonymous and file-backed. */
async function memory(pid: number): Promise<{ rss: number; anon: number; file: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
}

t.test('cat | gunzip | cmp of gzip@1 over a 2 GiB leaf through the mount: first bytes early, memory bounded', async (t) => {
  const d = await startDaemon(t);
  const original = join(await tempDir(t), 'big.txt');
  await textFile(original, 2048 * MiB);
  const leaf = out(await d.cli(['put', original]));
  const gz = out(await d.cli(['recipe', 'gzip@1', '-i', leaf]));
  const path = out(await d.cli(['path', gz]));

  const peak = { rss: 0, anon: 0, file: 0 };
  const sampler = setInterval(() => {
    memory(d.proc.pid!).then(
      (m) => {
        for (const k of ['rss', 'anon', 'file'] as const) peak[k] = Math.max(peak[k], m[k]);
      },
      () => {},
    );
  }, 100);
  t.teardown(() => clearInterval(sampler));

  const started = performance.now();
  const cat = spawn('cat', [path], { stdio: ['ignore', 'pipe', 'inherit'] });
  const check = spawn('sh', ['-c', `gunzip | cmp - '${original}'`], { stdio: ['pipe', 'pipe', 'pipe'] });
  let firstByteMs: number | undefined;
  let stateAtFirstByte: Promise<{ state: string; bytesProduced?: string }> | undefined;
  cat.stdout.once('data', () => {
    firstByteMs = performance.now() - started;
    stateAtFirstByte = json(d, ['stat', gz]);
  });
  cat.stdout.pipe(check.stdin);
  let cmpOut = '';
  check.stdout.on('data', (b: Buffer) => (cmpOut += b.toString()));
  check.stderr.on('data', (b: Buffer) => (cmpOut += b.toString()));
  const [[catCode], [checkCode]] = await Promise.all([once(cat, 'close'), once(check, 'close')]);
  const totalMs = performance.now() - started;
  clearInterval(sampler);

  t.equal(catCode, 0, 'cat read the whole file');
  t.equal(checkCode, 0, `gunzip | cmp: identical to the original ${cmpOut}`);
  const s = await stateAtFirstByte!;
  t.equal(s.state, 'computing', 'when the first byte arrived the output was still being computed');
  t.ok(firstByteMs! < totalMs / 10, `first byte after ${firstByteMs!.toFixed(0)} ms of ${totalMs.toFixed(0)} ms`);
  const final = await json(d, ['stat', gz]);
  t.equal(final.state, 'materialized', 'stored as a value at the end');
  t.equal(Number(out(await sh('stat', ['-c', '%s', path], { encoding: 'buffer' }))), Number(final.size), 'the mount shows its exact size');
  const fmt = (n: number) => `${(n / MiB).toFixed(0)} MiB`;
  t.comment(`daemon peak memory: resident ${fmt(peak.rss)}, anonymous ${fmt(peak.anon)}, file-backed ${fmt(peak.file)}`);
  t.ok(peak.anon < 400 * MiB, `the daemon's own memory stayed under 400 MB (peak ${fmt(peak.anon)})`);
  t.ok(peak.rss < 400 * MiB, `the daemon's resident set stayed under 400 MB (peak ${fmt(peak.rss)})`);
});

t.test('a reader that stops pauses the computation; readers through the mount and gRPC share one run', async (t) => {
  const d = await startDaemon(t);
  const dir = await tempDir(t);
  const input = join(dir, 'in.bin');
  const data = pseudoRandom(96 * MiB, 5);
  await (await open(input, 'w')).writeFile(data).then(() => undefined);
  const leaf = out(await d.cli(['put', input]));
  const rep = out(await d.cli(['recipe', 'replace@1', '-i', leaf, '-p', 'from=zz', '-p', 'to=<ZZ>']));
  const path = out(await d.cli(['path', rep]));
  const want = Buffer.from(data.toString('latin1').replaceAll('zz', '<ZZ>'), 'latin1');

  const bound = Number(out(await sh('stat', ['-c', '%s', path], { encoding: 'buffer' })));
  t.ok(bound >= want.length, `before computing, the mount shows an upper bound (${bound} >= ${want.length})`);
  t.equal((await json(d, ['status'])).computations, 0, 'stat computed nothing');

  // A Python reader reads 1 MiB, says so, then waits for us before reading on.
  const reader = spawn('python3', ['-c', [
    'import sys',
    `f = open(${JSON.stringify(path)}, "rb")`,
    'first = f.read(1 << 20)',
    'print(len(first), flush=True)',
    'sys.stdin.readline()',
    'rest = f.read()',
    'sys.stdout.buffer.write(first + rest)',
  ].join('\n')], { stdio: ['pipe', 'pipe', 'inherit'] });
  t.teardown(() => void reader.kill('SIGKILL')); // a failed check must not leave it waiting for us
  const chunks: Buffer[] = [];
  reader.stdout.on('data', (b: Buffer) => chunks.push(b));
  await waitFor(() => Buffer.concat(chunks).includes('\n'), { what: 'the reader to report its first MiB', timeoutMs: 60_000 });
  chunks.length = 0;

  // The run feeds its function until it is a window (8 chunks of 1 MiB) ahead of the furthest
  // byte read, so it gets that far; then it stops, with at most two input pieces still in flight.
  const filled = await waitFor(async () => {
    const s = await json(d, ['stat', rep]);
    return Number(s.bytesProduced) >= 9 * MiB ? s : undefined;
  }, { what: 'the run to fill its window ahead of the stopped reader', timeoutMs: 60_000, intervalMs: 0 });
  const later = await json(d, ['stat', rep]);
  t.equal(filled.state, 'computing');
  t.equal(later.state, 'computing', 'still computing while the reader waits');
  t.ok(Number(later.bytesProduced) < 32 * MiB, `paused at ${later.bytesProduced} bytes: a small window ahead of the reader, not the whole output`);

  const viaGrpc = d.cli(['get', rep]);
  const viaCat = sh('cat', [path], { encoding: 'buffer', maxBuffer: 256 * MiB });
  reader.stdin.end('go\n');
  const [[code], grpc, catted] = await Promise.all([once(reader, 'close'), viaGrpc, viaCat]);
  t.equal(code, 0);
  const resumed = Buffer.concat(chunks);
  t.equal(resumed.length, want.length, 'the paused reader, resumed, read every byte');
  t.equal(firstDifference(resumed, want), -1, 'the paused reader, resumed, read the right bytes');
  t.ok(grpc.stdout.equals(want), 'deriva get read the right bytes');
  t.ok(catted.stdout.equals(want), 'cat read the right bytes');
  t.equal((await json(d, ['status'])).computations, 1, 'three readers, one computation');
  t.equal(Number(out(await sh('stat', ['-c', '%s', path], { encoding: 'buffer' }))), want.length, 'exact size afterwards');
});

/** The offset of the first byte where `a` and `b` differ, or -1 if they are equal. */
function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
