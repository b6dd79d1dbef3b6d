/** Canonical JSON: sorted keys, no whitespace, JSON.stringify escapes, safe integers only (JCS over that domain). */
import t from 'tap';
import { canonicalText } from '../../src/proof/canonical-json.js';

t.test('keys sorted at every level, no whitespace, arrays in order', async (t) => {
  t.equal(canonicalText({ b: 1, a: [{ z: 'x', y: 2 }, 'q'], c: {} }), '{"a":[{"y":2,"z":"x"},"q"],"b":1,"c":{}}');
  t.equal(canonicalText({ B: 1, a: 2, _: 3 }), '{"B":1,"_":3,"a":2}', 'by code unit: upper case before underscore before lower case');
});

t.test('strings are escaped as JSON.stringify escapes them', async (t) => {
  t.equal(canonicalText('a"b\\c\n\u0001é'), '"a\\"b\\\\c\\n\\u0001é"');
});

t.test('outside the domain: a clear TypeError', async (t) => {
  t.throws(() => canonicalText(1.5), { name: 'TypeError', message: /safe integers only, got 1.5/ });
  t.throws(() => canonicalText(2 ** 53), { name: 'TypeError', message: /safe integers only/ });
  t.throws(() => canonicalText({ a: null } as never), { name: 'TypeError', message: /cannot hold null/ });
  t.throws(() => canonicalText({ a: undefined } as never), { name: 'TypeError', message: /cannot hold undefined/ });
  t.throws(() => canonicalText({ a: true } as never), { name: 'TypeError', message: /cannot hold boolean/ });
});
