/**
 * Stress: many rounds of fresh streaming outputs read through the mount by several concurrent
 * readers, one of them pausing part-way, while CPU-bound processes made by the test compete for
 * the cores. Every byte each reader got is compared with the expected output, and so is its
 * length: a read past the real end (the kernel holding the function's upper bound as the file's
 * size) must come back short, never padded. Rounds are counted, not timed.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t, { type Test } from 'tap';
import { startDaemon } from '../helpers/daemon.js';
import { pseudoRandom, tempDir } from '../helpers/temp.js';

const sh = promisify(execFile);
const MiB = 1024 * 1024;
const ROUNDS = Number(process.env.DERIVA_STRESS_ROUNDS ?? 24);
const INPUT_BYTES = 24 * MiB;

/** A Python reader of `path`: reads `first` bytes, says so, waits for a line on stdin, reads the rest. */
function pausingReader(path: string, first: number): ChildProcess {
  const code = [
    'import sys',
    `f = open(${JSON.stringify(path)}, "rb")`,
    `head = f.read(${first})`,
    'print(len(head), flush=True)',
    'sys.stdin.readline()',
    'sys.stdout.buffer.write(head + f.read())',
  ].join('\n');
  return spawn('python3', ['-c', code], { stdio: ['pipe', 'pipe', 'inherit'] });
}

/** Collects a reader's stdout; `announced` resolves with the first line, `done` with the rest. */
function collect(child: ChildProcess): { announced: Promise<void>; done: Promise<Buffer> } {
  const parts: Buffer[] = [];
  let header = true;
  let announce!: () => void;
  const announced = new Promise<void>((resolve) => (announce = resolve));
  child.stdout!.on('data', (b: Buffer) => {
    if (header) {
      const nl = b.indexOf(0x0a);
      if (nl < 0) return void parts.push(b);
      parts.length = 0; // the header line is not output
      header = false;
      announce();
      b = b.subarray(nl + 1);
    }
    parts.push(b);
  });
  const done = once(child, 'close').then(([code]) => {
    if (code !== 0) throw new Error(`reader exited ${code}`);
    return Buffer.concat(parts);
  });
  return { announced, done };
}

/** A straight reader: `read()` to the end in one call, as `cat` would in 128 KiB requests. */
async function readAll(path: string): Promise<Buffer> {
  const code = `import sys\nsys.stdout.buffer.write(open(${JSON.stringify(path)}, "rb").read())`;
  return (await sh('python3', ['-c', code], { encoding: 'buffer', maxBuffer: 4 * INPUT_BYTES })).stdout;
}

/** CPU-bound processes, one per core, killed when the test ends. */
function cpuLoad(t: Test): void {
  for (let i = 0; i < availableParallelism(); i++) {
    const busy = spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' });
    t.teardown(() => void busy.kill('SIGKILL'));
  }
}

function describeMismatch(got: Buffer, want: Buffer): string {
  if (got.length !== want.length) return `${got.length} bytes read, ${want.length} expected`;
  const n = got.findIndex((b, i) => b !== want[i]);
  return `first wrong byte at ${n}`;
}

t.test(`${ROUNDS} rounds: concurrent mount readers of fresh streaming outputs, one pausing, under CPU load`, async (t) => {
  const d = await startDaemon(t);
  const input = join(await tempDir(t), 'in.bin');
  const data = pseudoRandom(INPUT_BYTES, 11);
  await writeFile(input, data);
  const leaf = (await d.cli(['put', input])).stdout.toString().trim();
  const text = data.toString('latin1');
  cpuLoad(t);

  const failures: string[] = [];
  let reads = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    const to = `<${round}>`;
    const rep = (await d.cli(['recipe', 'replace@1', '-i', leaf, '-p', 'from=zz', '-p', `to=${to}`])).stdout.toString().trim();
    const path = (await d.cli(['path', rep])).stdout.toString().trim();
    const want = Buffer.from(text.replaceAll('zz', to), 'latin1');

    const paused = pausingReader(path, MiB);
    const pausedOut = collect(paused);
    await pausedOut.announced;
    // Odd rounds: the paused reader resumes while the others are still reading (the run is
    // mid-way); even rounds: only once they have read to the end (the run has completed).
    const others = Promise.all([readAll(path), readAll(path)]);
    if (round % 2 === 1) paused.stdin!.end('go\n');
    const [a, b] = await others;
    if (round % 2 === 0) paused.stdin!.end('go\n');
    const results = { paused: await pausedOut.done, first: a, second: b };
    for (const [who, got] of Object.entries(results)) {
      reads++;
      if (!got.equals(want)) failures.push(`round ${round}, ${who} reader: ${describeMismatch(got, want)}`);
    }
  }
  t.comment(`${ROUNDS} rounds, ${reads} reads, ${failures.length} wrong`);
  t.same(failures, [], 'every reader of every round read exactly the output, to its real end');
  const status = JSON.parse((await d.cli(['status', '--json'])).stdout.toString());
  t.equal(status.computations, ROUNDS, 'one run per round, shared by its three readers');
});
