/**
 * The local store as a ValueSource, on a real LMDB in a temp dir: the conformance suite, run
 * with reads checked and unchecked (a source checks what it hands out either way), plus what
 * only the local source does (a damaged recipe is reported for quarantine).
 */
import t from 'tap';
import { flipRecipeByte } from '../helpers/corrupt.js';
import { localFixture } from '../helpers/local-source.js';
import { valueSourceTests } from './value-source-suite.js';

valueSourceTests('local store', { setup: (t) => localFixture(t) });
valueSourceTests('local store, reads unchecked', { setup: (t) => localFixture(t, false) });

t.test('a damaged recipe is INTEGRITY and reported to the store for quarantine, reads checked or not', async (t) => {
  for (const verifyReads of [true, false]) {
    const f = await localFixture(t, verifyReads);
    const addr = await f.recipe('to damage');
    const source = await f.damage((dir) => flipRecipeByte(dir, addr));
    const reported: string[] = [];
    f.store().onCorruptRecipe = (a) => void reported.push(a.hex);
    await t.rejects(source.recipe(addr), { code: 'INTEGRITY', recipe: addr.hex }, `verifyReads ${verifyReads}`);
    t.same(reported, [addr.hex], 'reported once');
  }
});
