/**
 * Functions that exist only for tests, registered only when DERIVA_TEST_FUNCTIONS=1 is set in
 * the daemon's environment (pool workers inherit it). They break the rules real functions keep
 * (here: purity), so a production daemon, which never sets the variable, never offers them.
 */
import { randomBytes } from 'node:crypto';
import type { ComputeFunction, WholeFunction } from './function.js';

/** The environment variable that enables {@link testFunctions}. */
export const TEST_FUNCTIONS_ENV = 'DERIVA_TEST_FUNCTIONS';

/**
 * `nondeterministic@1` (test only): its input followed by 16 random bytes, so two runs of the
 * same recipe differ. Verification mode must catch it.
 */
const nondeterministic: WholeFunction = {
  name: 'nondeterministic',
  version: 1,
  kind: 'whole',
  doc: 'TEST ONLY: the input followed by 16 random bytes (differs on every run)',
  params: {},
  inputs: { min: 1, max: 1 },
  compute: ([input]) => Buffer.concat([input!, randomBytes(16)]),
};

/** The test-only functions when DERIVA_TEST_FUNCTIONS=1, else none. */
export function testFunctions(): readonly ComputeFunction[] {
  return process.env[TEST_FUNCTIONS_ENV] === '1' ? [nondeterministic] : [];
}
