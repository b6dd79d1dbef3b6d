/** Socket targets: a path the kernel would cut short is refused with the limit it broke. */
import t from 'tap';
import { socketPath, unixTarget } from '../../src/api/targets.js';

const homeOf = (bytes: number) => `/${'h'.repeat(bytes - 1)}`;

t.test('a home of up to 95 bytes gives a socket path of up to 107: the kernel limit', async (t) => {
  t.equal(unixTarget(socketPath(homeOf(95))), `unix:${homeOf(95)}/deriva.sock`);
  t.throws(() => unixTarget(socketPath(homeOf(96))), {
    message: `the socket path ${homeOf(96)}/deriva.sock is 108 bytes, and a unix socket path can have at most 107: choose a Deriva home of at most 95 bytes (--home or DERIVA_HOME)`,
  });
});

t.test('bytes count, not characters', async (t) => {
  const home = `/${'é'.repeat(48)}`; // 97 bytes, 49 characters
  t.throws(() => unixTarget(socketPath(home)), /is 109 bytes/);
});
