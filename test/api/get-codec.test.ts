import t from 'tap';
import { GetResponse } from '../../src/api/gen/deriva.js';
import { encodeGetResponse } from '../../src/api/get-codec.js';

t.test('hand encoding of GetResponse is byte-identical to the generated one', async (t) => {
  for (const size of [0, 1, 127, 128, 300, 16_383, 16_384, 1 << 20, (1 << 21) + 5]) {
    const data = Buffer.alloc(size, size % 251);
    const generated = Buffer.from(GetResponse.encode({ data }).finish());
    t.same(encodeGetResponse({ data }), generated, `${size} bytes`);
    t.same(GetResponse.decode(encodeGetResponse({ data })).data, data);
  }
});
