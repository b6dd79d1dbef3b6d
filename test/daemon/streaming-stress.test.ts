/**
 * Stress: many rounds of fresh streaming outputs (replace@1 over one leaf, a fresh param each
 * round) read through the mount by several concurrent readers while CPU-bound processes made by
 * the test compete for the cores. Every byte each reader got, and its length, is compared with
 * the expected output: a read past the real end (the kernel still holding the function's upper
 * bound as the file's size) must come back short, never padded. Rounds are counted, not timed.
 *
 * The race is at the end of the file, while the run is still producing it: a short read at the
 * end tells the kernel the real size, and a getattr answered with the upper bound (every fstat,
 * and every read() asking past the size the kernel holds, sends one) that reaches the kernel
 * while that read is in flight makes it drop that size, or a read wholly past the end answered
 * before the read at the end leaves zeros where the kernel still sees file. So each round is
 * small (ends come often) and its readers go for the end from the start, each a thread doing
 * plain blocking syscalls (the kernel sees concurrent readers; the test spawns no process per
 * round):
 *  - `whole`: fstat, then read() to the end in one call per remaining size, as Python's read();
 *  - `chunked`: fstat before every 64 KiB read(), to the end;
 *  - `paused`: reads 512 KiB, says so, waits for the test, reads the rest; it resumes at once on
 *    odd rounds (while the run and the others go on) and only once the others are done on even
 *    rounds (the run has completed);
 *  - `tail`: pread of the last 64 KiB asking 256 KiB (the read at the end), then pread at the end;
 *  - `past`: pread of 128 KiB wholly past the end (nothing to read).
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import t, { type Test } from 'tap';
import { DerivaClient } from '../../src/api/client.js';
import { unixTarget } from '../../src/api/targets.js';
import { startDaemon } from '../helpers/daemon.js';
import { pseudoRandom, tempDir } from '../helpers/temp.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const ROUNDS = Number(process.env.DERIVA_STRESS_ROUNDS ?? 60);
const INPUT_BYTES = 2 * MiB;
const PAUSE_AT = 512 * KiB;
const TAIL = 64 * KiB;

type Role = 'whole' | 'chunked' | 'paused' | 'tail' | 'past';
const ROLES: readonly Role[] = ['whole', 'chunked', 'paused', 'tail', 'past'];

/** A reader thread (plain JS, blocking fs calls): one job per message, its bytes posted back. */
const READER = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
let resume;
function readFrom(fd, pos, parts, chunk, statEach, limit = Infinity) {
  while (pos < limit) {
    if (statEach) fs.fstatSync(fd);
    const buf = Buffer.alloc(Math.min(chunk, limit - pos));
    const n = fs.readSync(fd, buf, 0, buf.length, pos);
    if (n === 0) return pos;
    parts.push(buf.subarray(0, n));
    pos += n;
  }
  return pos;
}
function whole(fd) {
  const parts = [];
  let pos = 0;
  for (;;) {
    const want = Math.max(fs.fstatSync(fd).size + 1 - pos, 64 * 1024);
    const buf = Buffer.alloc(want);
    let got = 0, n;
    while (got < want && (n = fs.readSync(fd, buf, got, want - got, pos + got)) > 0) got += n;
    parts.push(buf.subarray(0, got));
    pos += got;
    if (got < want) return parts;
  }
}
function pread(fd, pos, len) {
  const buf = Buffer.alloc(len);
  return buf.subarray(0, fs.readSync(fd, buf, 0, len, pos));
}
function send(parts, extra) {
  const out = Buffer.concat(parts);
  const bytes = new Uint8Array(out.length);
  bytes.set(out);
  parentPort.postMessage({ bytes, ...extra }, [bytes.buffer]);
}
parentPort.on('message', (job) => {
  if (job === 'go') return resume();
  const fd = fs.openSync(job.path, 'r');
  const done = (parts, extra) => { fs.closeSync(fd); send(parts, extra); };
  try {
    if (job.role === 'whole') return done(whole(fd));
    if (job.role === 'chunked') { const parts = []; readFrom(fd, 0, parts, 64 * 1024, true); return done(parts); }
    if (job.role === 'tail') {
      const last = pread(fd, job.size - job.tail, 4 * job.tail);
      const atEnd = pread(fd, job.size, job.tail);
      return done([last], { beyond: atEnd.length });
    }
    if (job.role === 'past') { const got = pread(fd, job.size + 128 * 1024, 128 * 1024); return done([], { beyond: got.length, zeros: got.every((b) => b === 0) }); }
    // paused
    const parts = [];
    const pos = readFrom(fd, 0, parts, 128 * 1024, false, job.first);
    resume = () => {
      try { readFrom(fd, pos, parts, 128 * 1024, false); done(parts); } catch (err) { parentPort.postMessage({ error: String(err) }); }
    };
    parentPort.postMessage({ paused: true });
  } catch (err) {
    parentPort.postMessage({ error: String(err) });
  }
});
`;

interface Result {
  bytes?: Uint8Array;
  beyond?: number;
  zeros?: boolean;
  paused?: boolean;
  error?: string;
}

class Reader {
  private readonly worker = new Worker(READER, { eval: true });
  private readonly messages: Result[] = [];
  private waiting: ((r: Result) => void) | undefined;

  constructor(t: Test) {
    this.worker.on('message', (m: Result) => {
      const w = this.waiting;
      this.waiting = undefined;
      if (w) w(m);
      else this.messages.push(m);
    });
    this.worker.on('error', (err) => {
      throw err;
    });
    t.teardown(() => this.worker.terminate());
  }

  post(job: unknown): void {
    this.worker.postMessage(job);
  }

  /** The next message from the thread. */
  next(): Promise<Result> {
    const m = this.messages.shift();
    if (m) return Promise.resolve(m);
    return new Promise((resolve) => (this.waiting = resolve));
  }
}

/** CPU-bound processes, one per core, killed when the test ends. */
function cpuLoad(t: Test): void {
  for (let i = 0; i < availableParallelism(); i++) {
    const busy = spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' });
    t.teardown(() => void busy.kill('SIGKILL'));
  }
}

function mismatch(got: Uint8Array, want: Buffer): string | undefined {
  if (Buffer.from(got.buffer, got.byteOffset, got.length).equals(want)) return undefined;
  if (got.length !== want.length) return `${got.length} bytes read, ${want.length} expected`;
  return `first wrong byte at ${got.findIndex((b, i) => b !== want[i])}`;
}

t.test(`${ROUNDS} rounds: concurrent mount readers of fresh streaming outputs, one pausing, under CPU load`, async (t) => {
  const d = await startDaemon(t);
  const client = DerivaClient.connect(unixTarget(join(d.home, 'deriva.sock')));
  t.teardown(() => client.close());
  const input = join(await tempDir(t), 'in.bin');
  const data = pseudoRandom(INPUT_BYTES, 11);
  await writeFile(input, data);
  const leaf = (await d.cli(['put', input])).stdout.toString().trim();
  const mount = (await client.status()).mount;
  const text = data.toString('latin1');
  const readers = new Map(ROLES.map((role) => [role, new Reader(t)]));
  cpuLoad(t);

  const failures: string[] = [];
  let reads = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    const to = `<${round}>`;
    const rep = await client.putRecipe('replace@1', [leaf], [['from', 'zz'], ['to', to]]);
    const path = join(mount, rep.slice(0, 2), rep);
    const want = Buffer.from(text.replaceAll('zz', to), 'latin1');

    const results = new Map<Role, Promise<Result>>();
    for (const [role, reader] of readers) {
      reader.post({ role, path, size: want.length, first: PAUSE_AT, tail: TAIL });
      results.set(role, reader.next());
    }
    const paused = readers.get('paused')!;
    const announced = await results.get('paused')!;
    if (announced.error !== undefined) throw new Error(`paused reader: ${announced.error}`);
    const others = Promise.all(ROLES.filter((r) => r !== 'paused').map((r) => results.get(r)!));
    // Odd rounds: the paused reader resumes while the others are still reading (the run is
    // mid-way); even rounds: only once they have read what they read (the run has completed).
    if (round % 2 === 1) paused.post('go');
    await others;
    if (round % 2 === 0) paused.post('go');
    results.set('paused', paused.next());

    for (const role of ROLES) {
      const r = await results.get(role)!;
      reads++;
      const wrong = (what: string) => failures.push(`round ${round}, ${role} reader: ${what}`);
      if (r.error !== undefined) wrong(r.error);
      else if (role === 'tail') {
        const bad = mismatch(r.bytes!, want.subarray(want.length - TAIL));
        if (bad !== undefined) wrong(`the last ${TAIL} bytes: ${bad}`);
        if (r.beyond !== 0) wrong(`${r.beyond} bytes read at the end`);
      } else if (role === 'past') {
        if (r.beyond !== 0) wrong(`${r.beyond} bytes read past the end (${r.zeros ? 'all zeros' : 'not all zeros'})`);
      } else {
        const bad = mismatch(r.bytes!, want);
        if (bad !== undefined) wrong(bad);
      }
    }
  }
  t.comment(`${ROUNDS} rounds, ${reads} reads, ${failures.length} wrong`);
  t.same(failures.slice(0, 20), [], 'every reader of every round read exactly the output, to its real end');
  const status = await client.status();
  t.equal(Number(status.computations), ROUNDS, 'one run per round, shared by its readers');
});
