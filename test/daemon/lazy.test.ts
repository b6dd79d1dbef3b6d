/**
 * Lazy range reads through the real daemon and mount: a small read deep into a huge derived
 * file computes one chunk (shown by `deriva status --json`), random reads over a chain of
 * chunkwise and structural functions match references computed independently (dd against
 * Buffer arithmetic here, os.pread against plain Python), and concurrent readers of a
 * never-computed value see the same bytes from one computation of each chunk.
 */
import { execFile, spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';
import { startDaemon, type DaemonHandle } from '../helpers/daemon.js';
import { pseudoRandom, tempDir } from '../helpers/temp.js';

const sh = promisify(execFile);
const MiB = 1024 * 1024;
const out = (r: { stdout: Buffer }) => r.stdout.toString().trim();
const status = async (d: DaemonHandle) => JSON.parse(out(await d.cli(['status', '--json'])));
const upper = (b: Buffer) => Buffer.from(b.map((c) => (c >= 0x61 && c <= 0x7a ? c - 32 : c)));

/** Writes `size` bytes made of 1 MiB pseudo-random blocks, each stamped with its index. */
async function bigFile(path: string, size: number): Promise<void> {
  const file = await open(path, 'w');
  const block = pseudoRandom(MiB, 11);
  for (let i = 0; i * MiB < size; i++) {
    block.writeUInt32BE(i, 0);
    await file.write(block, 0, Math.min(MiB, size - i * MiB));
  }
  await file.close();
}

async function dd(path: string, bs: number, skip: number, count: number): Promise<Buffer> {
  const args = [`if=${path}`, `bs=${bs}`, `skip=${skip}`, `count=${count}`, 'status=none'];
  return (await sh('dd', args, { encoding: 'buffer', maxBuffer: 64 * MiB })).stdout;
}

t.test('4 KiB at 900 MiB of upper@1 over a never-read 1 GiB leaf computes exactly one chunk', async (t) => {
  const d = await startDaemon(t);
  const file = join(await tempDir(t), 'big.bin');
  await bigFile(file, 1024 * MiB);
  const leaf = out(await d.cli(['put', file]));
  const up = out(await d.cli(['recipe', 'upper@1', '-i', leaf]));
  const before = await status(d);
  const path = out(await d.cli(['path', up]));
  t.equal(out(await sh('stat', ['-c', '%s', path], { encoding: 'buffer' })), String(1024 * MiB), 'size without computing');

  const got = await dd(path, 4096, (900 * MiB) / 4096, 1);
  const src = await open(file, 'r');
  const { buffer } = await src.read(Buffer.alloc(4096), 0, 4096, 900 * MiB);
  await src.close();
  t.same(got, upper(buffer), 'the bytes are right');
  const after = await status(d);
  t.equal(after.chunksComputed - before.chunksComputed, 1, 'exactly one chunk computed');
  t.equal(after.bytesComputed - before.bytesComputed, MiB);
  t.equal(after.computations, before.computations, 'no whole-output computation');
  t.match(out(await d.cli(['stat', up])), /state\s+partial 1\/1024 chunks/);
});

t.test('random reads over upper(xor(slice(concat(a, b)))) match independent references', async (t) => {
  const d = await startDaemon(t);
  const dir = await tempDir(t);
  const [aFile, bFile] = [join(dir, 'a.bin'), join(dir, 'b.bin')];
  await bigFile(aFile, 3 * MiB + 12345);
  await bigFile(bFile, 2 * MiB + 777);
  const a = out(await d.cli(['put', aFile]));
  const b = out(await d.cli(['put', bFile]));
  const [offset, length, key] = [1_000_003, 4 * MiB, '00ff20a5'];
  const cat = out(await d.cli(['recipe', 'concat@1', '-i', a, '-i', b]));
  const sl = out(await d.cli(['recipe', 'slice@1', '-i', cat, '-p', `offset=${offset}`, '-p', `length=${length}`]));
  const x = out(await d.cli(['recipe', 'xor@1', '-i', sl, '-p', `key=${key}`]));
  const up = out(await d.cli(['recipe', 'upper@1', '-i', x]));
  const path = out(await d.cli(['path', up]));

  const script = fileURLToPath(new URL('./fixtures/chain-pread.py', import.meta.url));
  const py = await sh('python3', [script, path, aFile, bFile, String(offset), String(length), key, '7', '300']);
  t.equal(py.stdout.trim(), 'ok 300', 'os.pread from Python matches a Python reference');

  const { readFile } = await import('node:fs/promises');
  const data = Buffer.concat([await readFile(aFile), await readFile(bFile)]).subarray(offset, offset + length);
  const k = Buffer.from(key, 'hex');
  const ref = upper(Buffer.from(data.map((v, i) => v ^ k[i % k.length]!)));
  for (const [bs, skip, count] of [[1, 123457, 33], [4096, 300, 5], [65536, 17, 3], [MiB, 3, 1], [4096, 1023, 10]] as const) {
    t.same(await dd(path, bs, skip, count), ref.subarray(bs * skip, bs * (skip + count)), `dd bs=${bs} skip=${skip}`);
  }
  t.equal((await status(d)).computations, 0, 'chunkwise and structural: no whole-output run');
});

t.test('8 concurrent readers of a never-computed value: same bytes, each chunk computed once', async (t) => {
  const d = await startDaemon(t);
  const file = join(await tempDir(t), 'c.bin');
  await bigFile(file, 6 * MiB + 5);
  const leaf = out(await d.cli(['put', file]));
  const low = out(await d.cli(['recipe', 'lower@1', '-i', leaf]));
  const path = out(await d.cli(['path', low]));
  const sums = await Promise.all(
    Array.from({ length: 8 }, () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn('sh', ['-c', `cat '${path}' | sha256sum`]);
        let text = '';
        child.stdout.on('data', (c: Buffer) => (text += c.toString()));
        child.once('error', reject);
        child.once('close', (code) => (code === 0 ? resolve(text.split(' ')[0]!) : reject(new Error(`exit ${code}`))));
      }),
    ),
  );
  t.equal(new Set(sums).size, 1, 'identical bytes');
  const ref = await sh('sh', ['-c', `LC_ALL=C tr A-Z a-z < '${file}' | sha256sum`]);
  t.equal(sums[0], ref.stdout.split(' ')[0], 'the bytes `tr A-Z a-z` gives');
  const s = await status(d);
  t.equal(s.chunksComputed, 7, 'seven chunks, each computed once');
  t.equal(s.computations, 0);
  t.match(out(await d.cli(['stat', low])), /state\s+materialized/, 'promoted once complete');
});
