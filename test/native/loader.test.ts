/**
 * The loader resolves the addon relative to itself (src/native and dist/native both reach
 * native/ as ../../native) and says how to fix a missing build.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';

t.test('a missing addon fails with an error that says to run make setup', async (t) => {
  const source = await readFile(new URL('../../src/native/index.ts', import.meta.url), 'utf8');
  const root = t.testdir({ src: { native: { 'index.ts': source } }, native: {} });
  await t.rejects(import(pathToFileURL(join(root, 'src', 'native', 'index.ts')).href), {
    message: /native addon is not built .*native\/deriva\.[\w-]+\.node is missing.*run `make setup`/,
  });
});
