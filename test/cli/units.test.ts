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

t.test('byte counts', async (t) => {
  t.equal(parseBytes('--x', '1048576'), 1048576);
  t.equal(parseBytes('--x', '512K'), 512 * 1024);
  t.equal(parseBytes('--x', '50M'), 50 * 1024 * 1024);
  t.equal(parseBytes('--x', '50MiB'), 50 * 1024 * 1024);
  t.equal(parseBytes('--x', '2MB/s'), 2 * 1024 * 1024);
  t.equal(parseBytes('--x', '1g'), 1024 ** 3);
  for (const bad of ['', '0', '-1M', '5T', 'fast', '0.1']) {
    t.throws(() => parseBytes('--scrub-rate', bad), { message: new RegExp(`^--scrub-rate '${bad}' is not a byte count`) }, `'${bad}'`);
  }
});
