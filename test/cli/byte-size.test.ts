import t from 'tap';
import { parseByteSize } from '../../src/cli/byte-size.js';

t.test('sizes with IEC and SI units, or bare bytes', async (t) => {
  t.equal(parseByteSize('10GiB'), 10 * 2 ** 30);
  t.equal(parseByteSize('512mib'), 512 * 2 ** 20);
  t.equal(parseByteSize('1.5 KiB'), 1536);
  t.equal(parseByteSize('2GB'), 2e9);
  t.equal(parseByteSize('4096'), 4096);
  t.equal(parseByteSize('7B'), 7);
});

t.test('anything else is an error naming the text', async (t) => {
  for (const bad of ['', 'lots', '10 GiBs', '-1GiB', '1e3', 'GiB']) {
    t.throws(() => parseByteSize(bad), { message: new RegExp(`'${bad}' is not a size`) }, `'${bad}'`);
  }
  t.throws(() => parseByteSize('99999999999TiB'), { message: /too large/ });
});
