import t from 'tap';
import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concat } from '../../../src/compute/builtins/concat.js';
import { RUNS, bytesArb, enc, expectSame, run, tool, type RawParams } from './helpers.js';

t.test('concat matches cat of the inputs with the separator file between them', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'deriva-concat-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const sepArb = fc.constantFrom('', ',', '\n', ' -- ', 'é');
  await fc.assert(fc.asyncProperty(fc.array(bytesArb(undefined, 20), { minLength: 1, maxLength: 5 }), sepArb,
    async (inputs, sep) => {
      const files: string[] = [];
      await writeFile(join(dir, 'sep'), enc(sep));
      for (const [i, input] of inputs.entries()) {
        if (i > 0) files.push(join(dir, 'sep'));
        files.push(join(dir, `in${i}`));
        await writeFile(join(dir, `in${i}`), input);
      }
      const raw: RawParams = sep === '' ? {} : { sep };
      expectSame(run(concat, inputs, raw), await tool('cat', files, new Uint8Array(0)), `sep ${JSON.stringify(sep)}`);
    }), RUNS);
  t.pass('concat agrees with cat');
});

t.test('concat layout: no empty segments, separator between empty inputs too', async (t) => {
  const sep = new Map([['sep', ',']]);
  t.same(concat.layout([0, 0], new Map([['sep', '']])), []);
  t.same(run(concat, [new Uint8Array(0), new Uint8Array(0), enc('x')], { sep: ',' }), Buffer.from(',,x'));
  t.same(concat.layout([2, 0], sep), [{ input: 0, offset: 0, length: 2 }, { bytes: enc(',') }]);
  t.same(concat.inputs, { min: 1 }, 'unbounded input count');
});
