/** Wire conversions: params both ways, recipes, function schemas with defaults as CLI text. */
import t from 'tap';
import { functionInfo, functionList } from '../../src/api/describe.js';
import { paramFromProto, paramsFromProto, paramToProto, recipeFromProto, recipeToProto } from '../../src/api/params.js';
import { CAddr } from '../../src/core/caddr.js';
import { BadParamError } from '../../src/core/errors.js';
import type { ParamValue, Recipe } from '../../src/core/recipe.js';
import type { ComputeFunction } from '../../src/compute/function.js';

t.test('params round-trip through the wire with their types', async (t) => {
  const values: Array<[string, ParamValue]> = [
    ['s', { type: 'string', value: 'héllo' }],
    ['i', { type: 'int', value: -(2n ** 63n) }],
    ['b', { type: 'bool', value: false }],
    ['x', { type: 'bytes', value: Uint8Array.from([0, 255, 16]) }],
    ['e', { type: 'string', value: '' }],
  ];
  for (const [key, v] of values) t.same(paramFromProto(paramToProto(key, v)), v, `${v.type} ${key}`);
  t.same([...paramsFromProto(values.map(([k, v]) => paramToProto(k, v)))], values);
});

t.test('a param with no value, several values, or a repeated key is rejected by name', async (t) => {
  t.throws(() => paramFromProto({ key: 'k' }), new BadParamError('k', 'has no value'));
  t.throws(() => paramFromProto({ key: 'k', stringValue: 'a', intValue: 1n }), new BadParamError('k', 'has more than one value'));
  t.throws(() => paramsFromProto([{ key: 'k', boolValue: true }, { key: 'k', boolValue: false }]), {
    code: 'BAD_PARAM',
    message: "param 'k': given more than once",
  });
});

t.test('recipes round-trip through the wire', async (t) => {
  const recipe: Recipe = {
    fn: { name: 'slice', version: 1 },
    inputs: [CAddr.fromHex('ab'.repeat(32))],
    params: new Map<string, ParamValue>([['length', { type: 'int', value: 5n }], ['offset', { type: 'int', value: 7n }]]),
  };
  const wire = recipeToProto(recipe);
  t.same(wire, { function: 'slice@1', inputs: ['ab'.repeat(32)], params: [{ key: 'length', intValue: 5n }, { key: 'offset', intValue: 7n }] });
  t.same(recipeFromProto(wire), recipe);
});

const fake: ComputeFunction = {
  name: 'fake',
  version: 3,
  kind: 'whole',
  doc: 'a test function',
  inputs: { min: 0 },
  params: {
    need: { type: 'string', doc: 'required' },
    n: { type: 'int', doc: 'an int', default: -42n },
    flag: { type: 'bool', doc: 'a bool', default: true },
    key: { type: 'bytes', doc: 'bytes', default: Uint8Array.from([0xde, 0xad, 0x01]) },
    text: { type: 'string', doc: 'a string', default: 'a b' },
  },
  compute: () => new Uint8Array(),
};

t.test('function schemas: required without default, defaults rendered as the CLI takes them', async (t) => {
  t.same(functionInfo(fake), {
    id: 'fake@3',
    name: 'fake',
    version: 3,
    kind: 'whole',
    doc: 'a test function',
    minInputs: 0,
    maxInputs: undefined,
    params: [
      { name: 'need', type: 'string', doc: 'required', required: true, default: undefined },
      { name: 'n', type: 'int', doc: 'an int', required: false, default: '-42' },
      { name: 'flag', type: 'bool', doc: 'a bool', required: false, default: 'true' },
      { name: 'key', type: 'bytes', doc: 'bytes', required: false, default: 'dead01' },
      { name: 'text', type: 'string', doc: 'a string', required: false, default: 'a b' },
    ],
    usesFloat: false,
    nondeterministic: false,
    nondeterministicRecipe: undefined,
  });
  t.equal(functionInfo({ ...fake, usesFloat: true }).usesFloat, true);
  const older = { ...fake, version: 2 };
  const other = { ...fake, name: 'abc' };
  t.same(functionList([fake, other, older], new Map()).functions.map((f) => f.id), ['abc@3', 'fake@2', 'fake@3']);
  const marks = new Map([['fake@2', { recipe: 'ab'.repeat(32), outputs: ['01', '02'] as [string, string], at: 1 }]]);
  t.same(
    functionList([fake, other, older], marks).functions.map((f) => [f.id, f.nondeterministic, f.nondeterministicRecipe]),
    [['abc@3', false, undefined], ['fake@2', true, 'ab'.repeat(32)], ['fake@3', false, undefined]],
    'a non-determinism mark shows on its function only',
  );
});
