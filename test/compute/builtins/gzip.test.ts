import t from 'tap';
import fc from 'fast-check';
import { gunzip } from '../../../src/compute/builtins/gunzip.js';
import { gzip } from '../../../src/compute/builtins/gzip.js';
import { RUNS, bytesArb, enc, expectSame, prng, python, run, runSplits, seedArb, tool } from './helpers.js';

/** Compressible text-like bytes, big enough to span several deflate blocks and output chunks. */
function bigInput(seed: number, size: number): Uint8Array {
  const next = prng(seed);
  const words = ['alpha ', 'beta ', 'gamma\n', 'delta, ', '\u00e9t\u00e9 ', '0123456789'].map(enc);
  const parts: Uint8Array[] = [];
  for (let n = 0; n < size; ) {
    const p = next() < 0.1 ? Uint8Array.of(Math.floor(next() * 256)) : words[Math.floor(next() * words.length)]!;
    parts.push(p);
    n += p.length;
  }
  return Buffer.concat(parts);
}

t.test('python decompresses our gzip output back to the input, however it is pushed', async (t) => {
  await fc.assert(fc.asyncProperty(bytesArb(), seedArb, async (input, seed) => {
    const compressed = runSplits(gzip, input, {}, seed);
    expectSame(await python('sys.stdout.buffer.write(gzip.decompress(data))', compressed), input, 'round trip');
  }), RUNS);
  t.pass('gzip output decodes with python');
});

t.test('gzip of large input is split-independent and decodes with python', async (t) => {
  for (const seed of [1, 2, 3]) {
    const input = bigInput(seed, 300_000 * seed);
    const compressed = runSplits(gzip, input, {}, seed, 100_000);
    t.ok(compressed.length < input.length, `compresses (${compressed.length} < ${input.length})`);
    t.ok((await python('sys.stdout.buffer.write(gzip.decompress(data))', compressed)).equals(input), 'round trip');
  }
});

t.test('gzip bytes are fixed: golden output, constant header', async (t) => {
  // Also what CPython's zlib 1.2.13 gives for compressobj(6, DEFLATED, 31): same bytes.
  const golden = '1f8b080000000000000373492dca2c4b5448cecf2d282d492d5628c94855284ecc4d5548aa047153cb528b2acb33528b52f5'
    + 'b8004d3233c82b000000';
  t.equal(run(gzip, [enc('Deriva computes the same bytes everywhere.\n')]).toString('hex'), golden);
  const empty = run(gzip, [new Uint8Array(0)]);
  t.equal(empty.subarray(0, 10).toString('hex'), '1f8b0800000000000003', 'no flags, mtime 0, OS 3');
  t.same(await python('sys.stdout.buffer.write(gzip.decompress(data))', empty), Buffer.alloc(0), 'empty input');
});

t.test('gunzip decodes python gzip at any level, however it is pushed', async (t) => {
  const code = 'sys.stdout.buffer.write(gzip.compress(data, compresslevel=int(argv[0]), mtime=0))';
  await fc.assert(fc.asyncProperty(bytesArb(), fc.integer({ min: 0, max: 9 }), seedArb, async (input, level, seed) => {
    const compressed = await python(code, input, [String(level)]);
    expectSame(runSplits(gunzip, compressed, {}, seed), input, `level ${level}`);
  }), RUNS);
  t.pass('gunzip agrees with python');
});

t.test('gunzip joins concatenated members, like gunzip, members ending at any push boundary', async (t) => {
  await fc.assert(fc.asyncProperty(fc.array(bytesArb(undefined, 30), { minLength: 1, maxLength: 4 }), fc.nat(3), seedArb,
    async (parts, zeros, seed) => {
      const members = await Promise.all(parts.map((p) => tool('gzip', ['-c', '-n'], p)));
      const stream = Buffer.concat([...members, Buffer.alloc(zeros)]);
      expectSame(runSplits(gunzip, stream, {}, seed), await tool('gunzip', ['-c'], stream), 'gunzip -c');
      expectSame(runSplits(gunzip, stream, {}, seed), Buffer.concat(parts), 'parts joined');
    }), RUNS);
  t.pass('multi-member gunzip agrees with gunzip -c');
});

t.test('gunzip of large input round-trips through gzip, one member or several', async (t) => {
  const parts = [bigInput(7, 700_000), bigInput(8, 90_000), new Uint8Array(0), bigInput(9, 200_000)];
  t.ok(runSplits(gunzip, run(gzip, [parts[0]!]), {}, 7, 0).equals(parts[0]!), 'one member');
  const stream = Buffer.concat(parts.map((p) => run(gzip, [p])));
  t.ok(runSplits(gunzip, stream, {}, 8, 0).equals(Buffer.concat(parts)), 'four members');
});

t.test('gunzip rejects bad input with a clear error, however it is pushed', async (t) => {
  const good = run(gzip, [enc('some text that compresses, some text that compresses\n')]);
  const flipped = Buffer.from(good);
  flipped[good.length - 6]! ^= 0x01; // inside the CRC-32
  const zlibStream = await python('sys.stdout.buffer.write(zlib.compress(data))', enc('x'));
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty input', new Uint8Array(0), /empty input is not gzip data/],
    ['not gzip', enc('hello world\n'), /corrupt gzip data: incorrect header check/],
    ['zlib, not gzip', zlibStream, /corrupt gzip data/],
    ['bad CRC', flipped, /corrupt gzip data: incorrect data check/],
    ['truncated', good.subarray(0, good.length - 3), /unexpected end of input/],
    ['truncated header', good.subarray(0, 5), /unexpected end of input/],
    ['trailing garbage', Buffer.concat([good, enc('junk')]), /corrupt gzip data|trailing garbage/],
    ['zeros then garbage', Buffer.concat([good, Buffer.alloc(3), enc('x')]), /trailing garbage after gzip data/],
  ];
  for (const [what, input, message] of cases) {
    for (const split of ['whole', 'bytes', { seed: 5 }] as const) {
      t.throws(() => run(gunzip, [input], {}, split), message, `${what} (${JSON.stringify(split)})`);
    }
  }
  t.same(run(gunzip, [Buffer.concat([good, Buffer.alloc(100)])], {}, 'bytes'),
    Buffer.from('some text that compresses, some text that compresses\n'), 'trailing zeros are ignored');
});
