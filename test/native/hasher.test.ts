/**
 * Behaviour of the API beyond the test vectors: Hasher semantics (chaining, non-destructive
 * finalize, independence of instances), extendable output, and inputs that are views into a
 * larger ArrayBuffer.
 */
import t from 'tap';
import { deriveKey, hash, HASH_BYTES, Hasher, keyedHash, PARALLEL_THRESHOLD } from '../../src/native/index.js';

const bytes = (length: number, seed: number) => Buffer.from(Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff));

t.test('update returns the same Hasher, for chaining', async (t) => {
  const hasher = new Hasher();
  t.equal(hasher.update(Buffer.from('a')), hasher);
  t.same(new Hasher().update(Buffer.from('ab')).update(Buffer.from('c')).finalize(), hash(Buffer.from('abc')));
});

t.test('finalize is non-destructive: more updates continue the same stream', async (t) => {
  const hasher = new Hasher().update(Buffer.from('hello '));
  const first = hasher.finalize();
  t.same(hasher.finalize(), first, 'finalizing twice gives the same digest');
  t.same(first, hash(Buffer.from('hello ')));
  hasher.update(Buffer.from('world'));
  t.same(hasher.finalize(), hash(Buffer.from('hello world')), 'updates after finalize extend the input');
});

t.test('updates on one thread or several give the same digest', async (t) => {
  const data = bytes(PARALLEL_THRESHOLD * 3 + 7, 5);
  for (const parallel of [undefined, true, false]) {
    t.same(new Hasher().update(data.subarray(0, 1000), { parallel }).update(data.subarray(1000), { parallel }).finalize(), hash(data), `parallel ${parallel}`);
  }
});

t.test('hashers are independent', async (t) => {
  const a = new Hasher().update(Buffer.from('a'));
  const b = new Hasher().update(Buffer.from('b'));
  t.same(a.finalize(), hash(Buffer.from('a')));
  t.same(b.finalize(), hash(Buffer.from('b')));
});

t.test('keyed and derive-key hashers match the one-shot functions', async (t) => {
  const key = bytes(32, 9);
  const data = bytes(PARALLEL_THRESHOLD * 2 + 5, 1);
  t.same(Hasher.keyed(key).update(data).finalize(77), keyedHash(key, data, { outLen: 77 }));
  t.same(Hasher.deriveKey('ctx').update(data).finalize(), deriveKey('ctx', data));
  t.notSame(Hasher.deriveKey('ctx').finalize(), Hasher.deriveKey('ctx2').finalize(), 'context separates');
});

t.test('mutating a key or input after the call does not affect the hasher', async (t) => {
  const key = bytes(32, 3);
  const hasher = Hasher.keyed(key);
  const expected = keyedHash(Buffer.from(key), Buffer.from('x'));
  key.fill(0);
  const input = Buffer.from('x');
  hasher.update(input);
  input.fill(0);
  t.same(hasher.finalize(), expected);
});

t.test('the default digest is 32 bytes and is the prefix of longer output', async (t) => {
  const data = bytes(5000, 2);
  const short = hash(data);
  t.equal(short.length, HASH_BYTES);
  t.ok(Buffer.isBuffer(short), 'returns a Buffer');
  t.same(hash(data, { outLen: 4096 }).subarray(0, HASH_BYTES), short);
  t.same(hash(data, { outLen: 7 }), short.subarray(0, 7));
});

t.test('views into a larger ArrayBuffer hash only their own bytes', async (t) => {
  const backing = bytes(PARALLEL_THRESHOLD * 3, 5);
  for (const [offset, length] of [[1, 0], [3, 1], [17, 1025], [4099, PARALLEL_THRESHOLD + 1]] as const) {
    const view = new Uint8Array(backing.buffer, backing.byteOffset + offset, length);
    const copy = Buffer.from(view);
    t.same(hash(view), hash(copy), `hash of ${length} bytes at offset ${offset}`);
    t.same(new Hasher().update(view).finalize(), hash(copy), `Hasher of ${length} bytes at offset ${offset}`);
  }
});

t.test('results are fresh buffers owned by the caller', async (t) => {
  const data = Buffer.from('same input');
  const a = hash(data);
  const b = hash(data);
  a.fill(0);
  t.notSame(a, b, 'writing one result does not change another');
  t.same(b, hash(data));
});
