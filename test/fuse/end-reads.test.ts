/**
 * The rule for reads at the end of a file the kernel was shown an upper bound for (see
 * src/fuse/end-reads.ts), as pure logic: reads and the kernel's fresh getattrs are simulated
 * promises, settled in the orders that matter.
 */
import t from 'tap';
import { CAddr } from '../../src/core/caddr.js';
import { EndReads } from '../../src/fuse/end-reads.js';

const addr = CAddr.fromHex('ab'.repeat(32));
const SIZE = 1000;
const BOUND = 4096;

/**
 * A fake kernel holding BOUND for the file. Each fresh getattr is answered by what getattr would
 * say (the size being taught, else BOUND); the first `overtaken` are dropped as stale and return
 * the size held at once. One that applies a smaller size sets it, then (as the kernel truncating
 * its page cache does) returns only once the read being held has been answered.
 */
function kernel(overtaken = 0, options: { failAfter?: number; neverTakes?: boolean } = {}) {
  const asked: CAddr[] = [];
  const logs: { level: string; msg?: string }[] = [];
  let held = BOUND;
  let readAnswered!: () => void;
  const answeredRead = new Promise<void>((resolve) => (readAnswered = resolve));
  const log = {
    debug() {},
    info() {},
    warn: (_: object, msg?: string) => void logs.push({ level: 'warn', msg }),
    error: (_: object, msg?: string) => void logs.push({ level: 'error', msg }),
  };
  const reads: EndReads = new EndReads(
    {
      fresh: async (a) => {
        asked.push(a);
        if (options.failAfter !== undefined && asked.length > options.failAfter) throw new Error('ENOTCONN');
        if (options.neverTakes || asked.length <= overtaken) return held;
        const answer = reads.sizeLearned(a) ?? BOUND;
        const shrinks = answer < held;
        held = answer;
        if (shrinks) await answeredRead;
        return held;
      },
      cached: async () => held,
    },
    log,
  );
  return { reads, asked, logs, readAnswered, held: () => held };
}

/** A read of [pos, pos+len) of a value of SIZE bytes, its size known once read if `recorded`. */
function read(reads: EndReads, pos: number, len: number, recorded = true) {
  const buf = Buffer.alloc(len, 0xff);
  return reads.read(addr, pos, buf, () => (recorded ? SIZE : undefined), async () => {
    const n = Math.max(0, Math.min(len, SIZE - pos));
    buf.fill(7, 0, n);
    return n;
  });
}

t.test('a full read, or a short one of a file only ever shown its exact size, never asks the kernel', async (t) => {
  const { reads, asked } = kernel();
  t.equal(await read(reads, 0, 256), 256);
  t.equal(await read(reads, 896, 256), 104, 'a leaf-like file: the short read is the real end already');
  reads.mayShowBound(addr);
  t.equal(await read(reads, 512, 256), 256, 'a full read of a bounded file');
  t.equal(asked.length, 0);
});

t.test('a short read of a bounded file is answered only once the kernel holds the exact size', async (t) => {
  const { reads, asked, held, readAnswered } = kernel(1); // the first fresh getattr is overtaken
  reads.mayShowBound(addr);
  const n = await read(reads, 896, 256);
  t.equal(held(), SIZE, 'the kernel held the exact size when the short read was answered');
  t.equal(n, 104);
  readAnswered();
  t.equal(asked.length, 2, 'asked again after an overtaken getattr');
  t.equal(reads.sizeLearned(addr), undefined, 'the learned size is let go once the kernel holds it');
  t.equal(await read(reads, 896, 256), 104, 'and later reads at the end no longer ask');
  t.equal(asked.length, 2);
});

t.test('the read at the end and reads wholly past it, in flight together, share one settling', async (t) => {
  const { reads, asked, held } = kernel();
  reads.mayShowBound(addr);
  const results = await Promise.all([read(reads, 1152, 256), read(reads, 896, 256), read(reads, 1408, 256)]);
  t.same(results, [0, 104, 0], 'short answers, never padded');
  t.equal(held(), SIZE);
  t.equal(asked.length, 1, 'one fresh getattr for the three');
});

t.test('a read past an end that was not recorded settles once the kernel holds no more than its offset', async (t) => {
  const { reads, held } = kernel();
  reads.mayShowBound(addr);
  t.equal(await read(reads, 1152, 256, false), 0);
  t.equal(held(), 1152, 'getattr answered the offset, the tightest size known');
});

t.test('when the kernel cannot be asked (unmounting), the read is answered and a warning logged', async (t) => {
  const { reads, logs } = kernel(0, { failAfter: 0 });
  reads.mayShowBound(addr);
  t.equal(await read(reads, 896, 256), 104);
  t.same(logs.map((l) => l.level), ['warn']);
});

t.test('a kernel that never takes the size is given up on after a bounded number of asks, loudly', async (t) => {
  const { reads, asked, logs } = kernel(0, { neverTakes: true });
  reads.mayShowBound(addr);
  t.equal(await read(reads, 896, 256), 104);
  t.equal(asked.length, 64);
  t.same(logs.map((l) => l.level), ['error']);
});
