/**
 * The rule for reads at the end of a file whose size the kernel learns by reading (see
 * src/fuse/end-reads.ts), as pure logic: reads are simulated promises settled in any order.
 */
import t from 'tap';
import { CAddr } from '../../src/core/caddr.js';
import { EndReads } from '../../src/fuse/end-reads.js';

const addr = CAddr.fromHex('ab'.repeat(32));
const other = CAddr.fromHex('cd'.repeat(32));
const SIZE = 1000;

/** A read of [pos, pos+len) of a value of SIZE bytes, answered when `go` is called. */
function pending(reads: EndReads, a: CAddr, pos: number, len: number) {
  let go!: () => void;
  const gate = new Promise<void>((r) => (go = r));
  const buf = Buffer.alloc(len, 0xff);
  const result = reads.read(a, pos, buf, () => SIZE, async () => {
    await gate;
    const n = Math.max(0, Math.min(len, SIZE - pos));
    buf.fill(7, 0, n);
    return n;
  });
  return { go, result, buf };
}

t.test('a read past the end while the read at the end is in flight is padded, not short', async (t) => {
  const reads = new EndReads();
  const atEnd = pending(reads, addr, 896, 256); // holds offset 1000: short, 104 bytes
  const past = pending(reads, addr, 1152, 256);
  past.go();
  t.equal(await past.result, 256, 'full length, so it sets no size');
  t.ok(past.buf.every((b) => b === 0), 'zeros');
  atEnd.go();
  t.equal(await atEnd.result, 104, 'the read at the end is short and sets the size');
});

t.test('with no read at the end around, a read past the end is short (0 bytes)', async (t) => {
  const reads = new EndReads();
  const before = pending(reads, addr, 0, 256); // in flight, but not at the end
  const elsewhere = pending(reads, other, 896, 256); // at the end, of another file
  const past = pending(reads, addr, 4096, 256);
  past.go();
  t.equal(await past.result, 0);
  before.go();
  elsewhere.go();
  t.equal(await before.result, 256);
  t.equal(await elsewhere.result, 104);
});

t.test('a read past the end just after the read at the end was answered is padded', async (t) => {
  const reads = new EndReads();
  const atEnd = pending(reads, addr, 896, 256);
  atEnd.go();
  t.equal(await atEnd.result, 104);
  const past = pending(reads, addr, 1152, 256);
  past.go();
  t.equal(await past.result, 256, 'its reply could still overtake the short one');
});

t.test('when the end falls on a read boundary, the empty read starting there sets the size', async (t) => {
  const reads = new EndReads();
  const full = pending(reads, addr, 744, 256); // ends exactly at 1000: full, sets no size
  const atEnd = pending(reads, addr, 1000, 256); // starts at the end: empty, sets the size
  const past = pending(reads, addr, 1256, 256);
  past.go();
  t.equal(await past.result, 256, 'padded while the empty read at the end is in flight');
  atEnd.go();
  t.equal(await atEnd.result, 0, 'the read at the end is answered short');
  full.go();
  t.equal(await full.result, 256);
});
