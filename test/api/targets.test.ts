/** Targets: a socket path the kernel would cut short is refused with the limit it broke; which TCP addresses are loopback. */
import t from 'tap';
import { hostOf, isLoopback, socketPath, unixTarget } from '../../src/api/targets.js';

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

t.test('loopback: 127.0.0.0/8, ::1 and localhost; anything else, names included, is the network', async (t) => {
  for (const a of ['127.0.0.1:7070', '127.0.0.2:1', '127.255.255.254:7070', '[::1]:7070', '[::ffff:127.0.0.1]:7070', 'localhost:7070', 'LOCALHOST:7070']) {
    t.ok(isLoopback(a), a);
  }
  for (const a of ['0.0.0.0:7070', '203.0.113.1:7070', '128.0.0.1:7070', '[::]:7070', '[::ffff:203.0.113.1]:7070', 'deriva.example:7070', 'localhost.example:7070']) {
    t.notOk(isLoopback(a), a);
  }
  t.equal(hostOf('[::1]:7070'), '::1');
  t.equal(hostOf('127.0.0.1:7070'), '127.0.0.1');
});
