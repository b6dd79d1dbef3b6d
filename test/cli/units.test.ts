import t from 'tap';
import { parseBytes, parseDuration } from '../../src/cli/units.js';

t.test('durations', async (t) => {
  t.equal(parseDuration('--x', '1500ms'), 1500);
  t.equal(parseDuration('--x', '30'), 30_000, 'a bare number is seconds');
  t.equal(parseDuration('--x', '30s'), 30_000);
  t.equal(parseDuration('--x', '10m'), 600_000);
  t.equal(parseDuration('--x', '1.5h'), 5_400_000);
  t.equal(parseDuration('--x', '1d'), 86_400_000);
  for (const bad of ['', '0', '0s', '-5s', '5w', 'soon', '1e3']) {
    t.throws(() => parseDuration('--scrub-interval', bad), { message: new RegExp(`^--scrub-interval '${bad}' is not a duration`) }, `'${bad}'`);
  }
});

t.test('byte sizes: K/M/G/T and IEC units are powers of 1024, SI units powers of 1000', async (t) => {
  t.equal(parseBytes('--x', '1048576'), 1048576);
  t.equal(parseBytes('--x', '512K'), 512 * 1024);
  t.equal(parseBytes('--x', '50M'), 50 * 1024 * 1024);
  t.equal(parseBytes('--x', '50MiB'), 50 * 1024 * 1024);
  t.equal(parseBytes('--x', '512mib'), 512 * 2 ** 20);
  t.equal(parseBytes('--x', '1.5 KiB'), 1536);
  t.equal(parseBytes('--x', '10GiB'), 10 * 2 ** 30);
  t.equal(parseBytes('--x', '2GB'), 2e9);
  t.equal(parseBytes('--x', '2MB/s'), 2e6, 'a rate may say /s');
  t.equal(parseBytes('--x', '1g'), 1024 ** 3);
  t.equal(parseBytes('--x', '7B'), 7);
  for (const bad of ['', '0', '-1M', 'fast', '0.1', 'lots', '10 GiBs', '1e3', 'GiB']) {
    t.throws(() => parseBytes('--scrub-rate', bad), { message: new RegExp(`^--scrub-rate '${bad}' is not a byte size`) }, `'${bad}'`);
  }
  t.throws(() => parseBytes('--cache-size', '99999999999TiB'), { message: /^--cache-size '99999999999TiB' is too large/ });
});
