import t from 'tap';
import { builtins } from '../../../src/compute/builtins/index.js';
import { isFunctionName, isFunctionVersion } from '../../../src/core/function-id.js';

const EXPECTED: Record<string, string> = {
  'identity@1': 'structural', 'concat@1': 'structural', 'slice@1': 'structural', 'repeat@1': 'structural',
  'upper@1': 'chunkwise', 'lower@1': 'chunkwise', 'xor@1': 'chunkwise',
  'replace@1': 'streaming', 'grep@1': 'streaming', 'head-lines@1': 'streaming', 'count@1': 'streaming',
  'sha256@1': 'streaming', 'gzip@1': 'streaming', 'gunzip@1': 'streaming', 'csv-cut@1': 'streaming',
  'sort-lines@1': 'whole',
  'fmap@1': 'streaming', 'stats@1': 'streaming',
};

/** Functions that compute with floating point, and so must declare it for the float policy. */
const USES_FLOAT = ['fmap@1', 'stats@1'];

t.test('builtins: every function once, with the kind its semantics need', async (t) => {
  const ids = builtins.map((f) => `${f.name}@${f.version}`);
  t.same([...ids].sort(), Object.keys(EXPECTED).sort(), 'exactly the expected functions');
  t.equal(new Set(ids).size, ids.length, 'no duplicates');
  for (const f of builtins) {
    const id = `${f.name}@${f.version}`;
    t.equal(f.kind, EXPECTED[id], `${id} kind`);
    t.equal(f.usesFloat === true, USES_FLOAT.includes(id), `${id} usesFloat`);
    t.ok(isFunctionName(f.name) && isFunctionVersion(f.version), `${id} is a valid id`);
    t.ok(f.doc.length > 0 && Object.values(f.params).every((p) => p.doc.length > 0), `${id} documented`);
    t.ok(f.inputs.min >= 1 && (f.inputs.max === undefined || f.inputs.max >= f.inputs.min), `${id} input counts`);
  }
});

t.test('every param check rejects a value of the wrong type instead of throwing', async (t) => {
  for (const f of builtins) {
    for (const [key, spec] of Object.entries(f.params)) {
      if (spec.check === undefined) continue;
      const wrong = spec.type === 'int' ? 'x' : 1n;
      t.type(spec.check(wrong), 'string', `${f.name}.${key}`);
      if (spec.default !== undefined) t.equal(spec.check(spec.default), undefined, `${f.name}.${key} default passes`);
    }
  }
});
