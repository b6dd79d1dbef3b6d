/**
 * Robustness: decodeRecipe on hostile input never throws anything but DecodeError, never hangs,
 * and whenever it accepts bytes they are canonical (re-encoding gives them back exactly).
 * Deterministic: a seeded PRNG (override with DCF_FUZZ_SEED=<n> to explore other inputs).
 */
import fc from 'fast-check';
import t from 'tap';
import { decodeRecipe, encodeRecipe } from '../../src/core/dcf.js';
import { DecodeError } from '../../src/core/errors.js';
import { bytes, recipeArb } from './dcf-helpers.js';

const CASES = 100_000;
const SEED = Number(process.env['DCF_FUZZ_SEED'] ?? 20261121);

/** mulberry32: tiny, fast, seedable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = prng(SEED);
const int = (n: number): number => Math.floor(rand() * n);
const randomBytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => int(256)));
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

const corpus = fc.sample(recipeArb, { numRuns: 300, seed: SEED }).map((r) => encodeRecipe(r));

interface Outcome {
  accepted: number;
  rejected: number;
}

/** Decodes `b`: a DecodeError is fine, acceptance must be canonical, anything else fails. */
function probe(b: Buffer, outcome: Outcome): void {
  let decoded;
  try {
    decoded = decodeRecipe(b);
  } catch (err) {
    if (err instanceof DecodeError) {
      outcome.rejected++;
      return;
    }
    throw new Error(`non-DecodeError for ${b.toString('hex')} (seed ${SEED})`, { cause: err });
  }
  if (!encodeRecipe(decoded).equals(b)) throw new Error(`accepted non-canonical ${b.toString('hex')} (seed ${SEED})`);
  outcome.accepted++;
}

/** Offsets of every u32 length or count field in a valid encoding, found by walking the spec. */
function lengthFields(b: Buffer): number[] {
  const at: number[] = [5];
  let p = 5 + 4 + b.readUInt32BE(5) + 1 + 4 + 1; // past name, version, inputs tag
  at.push(p);
  const inputs = b.readUInt32BE(p);
  p += 4;
  for (let i = 0; i < inputs; i++) {
    if (b[p++] === 0) p += 32;
    else {
      at.push(p); // a ref name's length
      p += 4 + b.readUInt32BE(p);
    }
  }
  p += 1; // params tag
  at.push(p);
  const count = b.readUInt32BE(p);
  p += 4;
  for (let i = 0; i < count; i++) {
    at.push(p);
    p += 4 + b.readUInt32BE(p);
    const type = b[p++]!;
    if (type === 1 || type === 4) at.push(p);
    p += type === 2 ? 8 : type === 3 ? 1 : 4 + b.readUInt32BE(p);
  }
  return at;
}

const LENGTH_VALUES = [0, 1, 2, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 0xffff_fffe, 0x0100_0000];

function corruptLength(b: Buffer): Buffer {
  const out = Buffer.from(b);
  const at = pick(lengthFields(b));
  const old = out.readUInt32BE(at);
  const choice = int(3);
  const value = choice === 0 ? pick(LENGTH_VALUES) : choice === 1 ? old + pick([1, -1, 33, -33]) : int(2 ** 32);
  out.writeUInt32BE(value >>> 0, at);
  return out;
}

/** Mutations that work on any bytes; corruptLength needs a valid encoding to find its fields. */
const BLIND: ((b: Buffer) => Buffer)[] = [
  (b) => {
    const out = Buffer.from(b);
    if (out.length > 0) out[int(out.length)]! ^= 1 << int(8);
    return out;
  },
  (b) => {
    const out = Buffer.from(b);
    if (out.length > 0) out[int(out.length)] = int(256);
    return out;
  },
  (b) => b.subarray(0, int(b.length)),
  (b) => {
    const at = int(b.length + 1);
    return bytes(b.subarray(0, at), randomBytes(1 + int(4)), b.subarray(at));
  },
  (b) => {
    const at = int(b.length);
    return bytes(b.subarray(0, at), b.subarray(at + 1 + int(4)));
  },
  (b) => {
    const from = int(b.length);
    const slice = b.subarray(from, from + 1 + int(40));
    const at = int(b.length + 1);
    return bytes(b.subarray(0, at), slice, b.subarray(at));
  },
];

/** One to three mutations; the first may target a length field of the still-valid original. */
function mutate(valid: Buffer): Buffer {
  let out = rand() < 0.3 ? corruptLength(valid) : pick(BLIND)(valid);
  const more = int(3);
  for (let i = 0; i < more; i++) out = pick(BLIND)(out);
  return out;
}

t.test(`${CASES} random byte strings (seed ${SEED})`, async (t) => {
  const outcome = { accepted: 0, rejected: 0 };
  const start = Date.now();
  for (let i = 0; i < CASES; i++) {
    const tail = randomBytes(rand() < 0.9 ? int(64) : int(400));
    const prefixes = [Buffer.alloc(0), bytes('44434601'), pick(corpus).subarray(0, int(pick(corpus).length))];
    probe(bytes(prefixes[i % 3]!, tail), outcome);
  }
  t.equal(outcome.accepted + outcome.rejected, CASES, `all decoded or rejected in ${Date.now() - start} ms`);
});

t.test(`${CASES} mutations of valid encodings (seed ${SEED})`, async (t) => {
  const outcome = { accepted: 0, rejected: 0 };
  const start = Date.now();
  for (let i = 0; i < CASES; i++) probe(mutate(pick(corpus)), outcome);
  t.equal(outcome.accepted + outcome.rejected, CASES, `all decoded or rejected in ${Date.now() - start} ms`);
  t.ok(outcome.rejected > CASES / 2, `most mutations rejected (${outcome.rejected})`);
  t.ok(outcome.accepted > 0, `some mutations still canonical (${outcome.accepted}), and those re-encode exactly`);
});

t.test('huge claimed lengths do not allocate', async (t) => {
  const before = process.memoryUsage().arrayBuffers;
  let rejected = 0;
  let fields = 0;
  for (const b of corpus) {
    for (const at of lengthFields(b)) {
      const out = Buffer.from(b);
      out.writeUInt32BE(0xffff_ffff, at);
      fields++;
      try {
        decodeRecipe(out);
      } catch (err) {
        if (err instanceof DecodeError) rejected++;
      }
    }
  }
  t.equal(rejected, fields, `every one of ${fields} length fields set to 2^32-1 is a DecodeError`);
  const grown = process.memoryUsage().arrayBuffers - before;
  t.ok(grown < 64 * 1024 * 1024, `array buffer growth ${grown} bytes`);
});
