/**
 * The official BLAKE3 test vectors (../shared/vectors beside the checkout, from the BLAKE3 repo),
 * checked through every path into the addon: one-shot, incremental with several split patterns,
 * async, parallel forced on and off; the 32-byte digest and the full 131-byte extended output.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { deriveKey, hash, hashAsync, Hasher, keyedHash } from '../../src/native/index.js';

interface VectorCase {
  input_len: number;
  hash: string;
  keyed_hash: string;
  derive_key: string;
}

interface Vectors {
  key: string;
  context_string: string;
  cases: VectorCase[];
}

const VECTORS = new URL('../../../shared/vectors/blake3_test_vectors.json', import.meta.url);
const vectors = JSON.parse(readFileSync(VECTORS, 'utf8')) as Vectors;
const key = Buffer.from(vectors.key, 'ascii');
const context = vectors.context_string;
const FULL = 131;

/** The vectors' input: 0, 1, ..., 250, 0, 1, ... */
function vectorInput(length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = i % 251;
  return out;
}

/** Split points to feed a Hasher: whole, tiny and chunk-boundary pieces, and uneven ones. */
function splits(length: number): Array<{ name: string; sizes: number[] }> {
  const fixed = (size: number) => {
    const sizes: number[] = [];
    for (let at = 0; at < length; at += size) sizes.push(Math.min(size, length - at));
    return sizes;
  };
  const patterns = [
    { name: 'whole', sizes: [length] },
    { name: '63-byte pieces', sizes: fixed(63) },
    { name: '1024-byte pieces', sizes: fixed(1024) },
    { name: '1025-byte pieces', sizes: fixed(1025) },
    { name: 'halves', sizes: [length >> 1, length - (length >> 1)] },
    { name: 'empty updates around one byte', sizes: length > 0 ? [0, 1, 0, length - 1, 0] : [0, 0] },
  ];
  if (length <= 4097) patterns.push({ name: '1-byte pieces', sizes: fixed(1) });
  return patterns;
}

function feed(hasher: Hasher, data: Buffer, sizes: number[]): Hasher {
  let at = 0;
  for (const size of sizes) {
    // A Uint8Array view (not a Buffer) at a non-zero offset half the time: views are read in place.
    const piece = data.subarray(at, at + size);
    hasher.update(at % 2 === 0 ? piece : new Uint8Array(piece.buffer, piece.byteOffset, piece.length));
    at += size;
  }
  return hasher;
}

const modes = [
  {
    name: 'hash',
    expected: (c: VectorCase) => c.hash,
    oneShot: (data: Buffer, outLen: number) => hash(data, { outLen }),
    hasher: () => new Hasher(),
  },
  {
    name: 'keyed_hash',
    expected: (c: VectorCase) => c.keyed_hash,
    oneShot: (data: Buffer, outLen: number) => keyedHash(key, data, { outLen }),
    hasher: () => Hasher.keyed(key),
  },
  {
    name: 'derive_key',
    expected: (c: VectorCase) => c.derive_key,
    oneShot: (data: Buffer, outLen: number) => deriveKey(context, data, { outLen }),
    hasher: () => Hasher.deriveKey(context),
  },
];

t.test('the vectors file has every case', async (t) => {
  t.equal(vectors.cases.length, 35);
  t.equal(key.length, 32);
});

for (const c of vectors.cases) {
  t.test(`input_len ${c.input_len}`, async (t) => {
    const data = vectorInput(c.input_len);
    for (const mode of modes) {
      const full = mode.expected(c);
      const digest = full.slice(0, 64);
      t.equal(mode.oneShot(data, 32).toString('hex'), digest, `${mode.name} one-shot, 32 bytes`);
      t.equal(mode.oneShot(data, FULL).toString('hex'), full, `${mode.name} one-shot, ${FULL} bytes`);
      for (const { name, sizes } of splits(c.input_len)) {
        const hasher = feed(mode.hasher(), data, sizes);
        t.equal(hasher.finalize().toString('hex'), digest, `${mode.name} Hasher, ${name}`);
        t.equal(hasher.finalize(FULL).toString('hex'), full, `${mode.name} Hasher, ${name}, ${FULL} bytes`);
      }
    }
    const digest = c.hash.slice(0, 64);
    for (const parallel of [true, false]) {
      t.equal(hash(data, { parallel }).toString('hex'), digest, `hash parallel=${parallel}`);
      t.equal(hash(data, { parallel, outLen: FULL }).toString('hex'), c.hash, `hash parallel=${parallel}, ${FULL} bytes`);
      t.equal((await hashAsync(data, { parallel })).toString('hex'), digest, `hashAsync parallel=${parallel}`);
    }
    t.equal((await hashAsync(data)).toString('hex'), digest, 'hashAsync default');
  });
}
