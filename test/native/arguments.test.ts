/**
 * Bad arguments throw typed JS errors (TypeError for a wrong type, RangeError for a wrong size)
 * with a Node-style `code`, and never take the process down; async misuse rejects.
 */
import t from 'tap';
import { deriveKey, hash, hashAsync, Hasher, keyedHash, MAX_OUT_LEN } from '../../src/native/index.js';

const data = Buffer.from('deriva');
const key = Buffer.alloc(32, 7);

/** Values that are not a Uint8Array, for every byte parameter. */
const notBytes: unknown[] = [
  undefined,
  null,
  'bytes',
  42,
  [1, 2, 3],
  { length: 3 },
  new ArrayBuffer(8),
  new Uint16Array(4),
  new DataView(new ArrayBuffer(8)),
];

/** Out-of-range or non-integer output lengths. */
const badOutLens = [-1, 1.5, NaN, Infinity, -Infinity, MAX_OUT_LEN + 1, 2 ** 53, Number.MAX_VALUE];

type Call = (value: unknown) => unknown;

// The public API is typed, so bad values reach it only through `as never`: exactly what these do.
const byteParams: Array<[string, Call]> = [
  ['hash(data)', (v) => hash(v as never)],
  ['keyedHash(_, data)', (v) => keyedHash(key, v as never)],
  ['keyedHash(key)', (v) => keyedHash(v as never, data)],
  ['deriveKey(_, material)', (v) => deriveKey('ctx', v as never)],
  ['Hasher.keyed(key)', (v) => Hasher.keyed(v as never)],
  ['Hasher#update(data)', (v) => new Hasher().update(v as never)],
];

const outLenParams: Array<[string, Call]> = [
  ['hash', (v) => hash(data, { outLen: v as never })],
  ['keyedHash', (v) => keyedHash(key, data, { outLen: v as never })],
  ['deriveKey', (v) => deriveKey('ctx', data, { outLen: v as never })],
  ['Hasher#finalize', (v) => new Hasher().finalize(v as never)],
];

t.test('non-bytes are TypeErrors', async (t) => {
  for (const [name, call] of byteParams) {
    for (const value of notBytes) {
      t.throws(() => call(value), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }, `${name} with ${String(value)}`);
    }
  }
});

t.test('keys of the wrong length are RangeErrors', async (t) => {
  for (const length of [0, 1, 31, 33, 64]) {
    const bad = Buffer.alloc(length);
    const expected = { name: 'RangeError', code: 'ERR_INVALID_KEY_LENGTH', message: new RegExp(`got ${length}`) };
    t.throws(() => keyedHash(bad, data), expected, `keyedHash with a ${length}-byte key`);
    t.throws(() => Hasher.keyed(bad), expected, `Hasher.keyed with a ${length}-byte key`);
  }
});

t.test('contexts must be strings', async (t) => {
  for (const value of [undefined, null, 1, data, Symbol('ctx')]) {
    const expected = { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' };
    t.throws(() => deriveKey(value as never, data), expected, `deriveKey with ${String(value)}`);
    t.throws(() => Hasher.deriveKey(value as never), expected, `Hasher.deriveKey with ${String(value)}`);
  }
});

t.test('outLen must be an integer from 0 to 1 MiB', async (t) => {
  for (const [name, call] of outLenParams) {
    for (const value of badOutLens) {
      t.throws(() => call(value), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' }, `${name} outLen ${value}`);
    }
    for (const value of ['32', null, 32n, {}]) {
      t.throws(() => call(value), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }, `${name} outLen ${typeof value}`);
    }
    t.equal((call(0) as Buffer).length, 0, `${name} outLen 0 is an empty buffer`);
    t.equal((call(MAX_OUT_LEN) as Buffer).length, MAX_OUT_LEN, `${name} outLen ${MAX_OUT_LEN} is allowed`);
  }
});

t.test('parallel must be a boolean', async (t) => {
  t.throws(() => hash(data, { parallel: 1 as never }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  await t.rejects(hashAsync(data, { parallel: 'yes' as never }), { name: 'TypeError' });
  t.throws(() => new Hasher().update(data, { parallel: 0 as never }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
});

t.test('hashAsync rejects (does not throw) on bad data', async (t) => {
  for (const value of notBytes) {
    let promise: Promise<Buffer> | undefined;
    t.doesNotThrow(() => {
      promise = hashAsync(value as never);
    });
    await t.rejects(promise!, { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }, `hashAsync with ${String(value)}`);
  }
});

t.test('the process is still fine afterwards', async (t) => {
  t.equal(hash(data).length, 32);
});
