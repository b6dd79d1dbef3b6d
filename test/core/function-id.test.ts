/** FunctionId parsing, formatting and validation. */
import t from 'tap';
import { UnknownFunctionError } from '../../src/core/errors.js';
import {
  formatFunctionId,
  isFunctionName,
  isFunctionVersion,
  parseFunctionId,
} from '../../src/core/function-id.js';

t.test('parse and format round-trip', async (t) => {
  const good: [string, string, number][] = [
    ['upper@1', 'upper', 1],
    ['sort-lines@2', 'sort-lines', 2],
    ['a1-b2-c3@10', 'a1-b2-c3', 10],
    ['x@4294967295', 'x', 4294967295],
    [`${'a'.repeat(64)}@7`, 'a'.repeat(64), 7],
  ];
  for (const [text, name, version] of good) {
    const id = parseFunctionId(text);
    t.strictSame(id, { name, version }, text);
    t.equal(formatFunctionId(id), text);
  }
});

t.test('bad ids are UnknownFunctionError naming the input', async (t) => {
  const bad = ['upper', 'upper@', '@1', 'upper@0', 'upper@01', 'upper@-1', 'upper@1.0', 'upper@1e3', 'upper@ 1',
    'upper@4294967296', 'Upper@1', 'up_per@1', 'up--per@1', '-upper@1', 'upper-@1', '1upper@1', 'upper@1@1',
    `${'a'.repeat(65)}@1`, 'uppér@1', '', '@', 'upper@0x1'];
  for (const text of bad) {
    t.throws(() => parseFunctionId(text), UnknownFunctionError, JSON.stringify(text));
  }
  t.throws(() => parseFunctionId('Upper@1'), { message: /'Upper@1' is not a function id/ });
});

t.test('isFunctionName', async (t) => {
  for (const n of ['a', 'upper', 'sort-lines', 'a0', 'x-1-y', 'a'.repeat(64)]) t.ok(isFunctionName(n), n);
  for (const n of ['', 'A', '0a', 'a-', '-a', 'a--b', 'a_b', 'a b', 'a.b', 'a'.repeat(65), 'é']) {
    t.notOk(isFunctionName(n), JSON.stringify(n));
  }
});

t.test('isFunctionVersion', async (t) => {
  for (const v of [1, 2, 1000, 0xffff_ffff]) t.ok(isFunctionVersion(v), String(v));
  for (const v of [0, -1, 1.5, 2 ** 32, NaN, Infinity]) t.notOk(isFunctionVersion(v), String(v));
});
