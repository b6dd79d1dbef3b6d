/** CAddr parsing and prefix resolution. */
import t from 'tap';
import { CADDR_BYTES, CAddr, MIN_PREFIX_HEX, isAddressPrefix, resolvePrefix } from '../../src/core/caddr.js';
import { AmbiguousPrefixError, InvalidAddressError, NotFoundError } from '../../src/core/errors.js';

const HEX = 'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262';

t.test('fromHex accepts exactly 64 hex digits and prints lowercase', async (t) => {
  const a = CAddr.fromHex(HEX);
  t.equal(a.hex, HEX);
  t.equal(a.bytes.length, CADDR_BYTES);
  t.equal(a.bytes.toString('hex'), HEX);
  t.equal(CAddr.fromHex(HEX.toUpperCase()).hex, HEX, 'uppercase accepted, printed lowercase');
  t.equal(String(a), HEX);
  t.equal(JSON.stringify({ a }), `{"a":"${HEX}"}`);
  t.equal(a.shard, 'af');
});

t.test('fromHex rejects everything else with InvalidAddressError', async (t) => {
  const bad = ['', HEX.slice(0, 63), `${HEX}0`, `${HEX.slice(0, 63)}g`, ` ${HEX.slice(1)}`, `0x${HEX.slice(2)}`,
    `${HEX.slice(0, 63)}\n`, 'z'.repeat(64), 'x'.repeat(200)];
  for (const s of bad) t.throws(() => CAddr.fromHex(s), InvalidAddressError, JSON.stringify(s.slice(0, 20)));
  t.throws(() => CAddr.fromHex('x'.repeat(200)), { message: /\.\.\.'$/ }, 'long input truncated in message');
});

t.test('fromBytes takes exactly 32 bytes and copies them', async (t) => {
  const raw = Buffer.from(HEX, 'hex');
  const a = CAddr.fromBytes(raw);
  t.equal(a.hex, HEX);
  raw[0] = 0;
  t.equal(a.hex, HEX, 'mutating the source does not change the address');
  t.equal(a.bytes[0], 0xaf);
  t.equal(CAddr.fromBytes(new Uint8Array(32)).hex, '0'.repeat(64), 'plain Uint8Array');
  for (const n of [0, 31, 33, 64]) t.throws(() => CAddr.fromBytes(new Uint8Array(n)), InvalidAddressError, `${n} bytes`);
});

t.test('equals compares value, not identity', async (t) => {
  t.ok(CAddr.fromHex(HEX).equals(CAddr.fromBytes(Buffer.from(HEX, 'hex'))));
  t.notOk(CAddr.fromHex(HEX).equals(CAddr.fromHex('0'.repeat(64))));
});

t.test('isAddressPrefix', async (t) => {
  t.ok(isAddressPrefix(HEX.slice(0, MIN_PREFIX_HEX)));
  t.ok(isAddressPrefix(HEX));
  t.ok(isAddressPrefix('ABCDEF01'));
  t.notOk(isAddressPrefix(HEX.slice(0, MIN_PREFIX_HEX - 1)), 'too short');
  t.notOk(isAddressPrefix(`${HEX}0`), 'too long');
  t.notOk(isAddressPrefix('abcdefgh'), 'not hex');
});

t.test('resolvePrefix', async (t) => {
  const a = CAddr.fromHex(`abcdef01${'0'.repeat(56)}`);
  const b = CAddr.fromHex(`abcdef02${'0'.repeat(56)}`);
  const c = CAddr.fromHex(`abcdef01${'1'.repeat(56)}`);
  t.ok(resolvePrefix('abcdef02', [a, b, c]).equals(b), 'unique prefix');
  t.ok(resolvePrefix('ABCDEF02', [a, b, c]).equals(b), 'case-insensitive');
  t.ok(resolvePrefix(`abcdef01${'1'.repeat(8)}`, [a, b, c]).equals(c), 'longer prefix disambiguates');
  t.ok(resolvePrefix(a.hex, []).equals(a), 'a full address needs no candidates');
  t.throws(() => resolvePrefix('abcdef01', [a, b, c]), AmbiguousPrefixError, 'ambiguous');
  t.throws(() => resolvePrefix('abcdef01', [a, b, c]), { message: /abcdef01.*more than one/ });
  t.throws(() => resolvePrefix('abcdef03', [a, b, c]), NotFoundError, 'unknown');
  t.throws(() => resolvePrefix('abcdef03', []), { message: /no address starts with 'abcdef03'/ });
  t.throws(() => resolvePrefix('abcdef0', [a]), InvalidAddressError, 'too short');
  t.throws(() => resolvePrefix('', [a]), InvalidAddressError, 'empty');
  t.throws(() => resolvePrefix('abcdefgz', [a]), InvalidAddressError, 'not hex');
  t.throws(() => resolvePrefix(`${a.hex}0`, [a]), InvalidAddressError, '65 digits');
  function* lazy(): Generator<CAddr> {
    yield a;
    yield c;
    throw new Error('read past the second match');
  }
  t.throws(() => resolvePrefix('abcdef01', lazy()), AmbiguousPrefixError, 'stops at the second match');
});
