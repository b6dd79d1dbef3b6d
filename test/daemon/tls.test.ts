/**
 * The daemon on the network: a --listen address that is not loopback is refused without mutual
 * TLS, before anything is bound or created; with TLS files (here on 127.0.0.2, with
 * certificates made by openssl) only a client presenting a certificate the daemon's CA signed,
 * and valid now, is served, and every other client gets one line saying why.
 */
import { access } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { makeCerts } from '../helpers/certs.js';
import { runCli, startDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/temp.js';

const HOST = '127.0.0.2';

const tlsFiles = (file: string) => ['--tls-cert', file, '--tls-key', file, '--tls-client-ca', file];

/** A port free on HOST just now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

t.test('a non-loopback --listen without the TLS files (or with unusable ones): the daemon refuses to start, before creating anything', async (t) => {
  const parent = await tempDir(t);
  // 203.0.113.1 is a documentation address (TEST-NET-3): refused before any bind, never contacted.
  const cases: Array<[string[], RegExp]> = [
    [['--listen', '0.0.0.0:7070'], /^deriva: --listen 0\.0\.0\.0:7070 is not a loopback address, and the network is served only with mutual TLS: missing --tls-cert, --tls-key, --tls-client-ca\n$/],
    [['--listen', '127.0.0.1:7070', '--listen', '203.0.113.1:7070'], /--listen 203\.0\.113\.1:7070 is not a loopback address/],
    [['--listen', '[::]:7070'], /--listen \[::\]:7070 is not a loopback address/],
    [['--listen', 'deriva.example:7070'], /--listen deriva\.example:7070 is not a loopback address/],
    [['--listen', '203.0.113.1:7070', '--tls-cert', 'server.pem'], /^deriva: --tls-cert, --tls-key, --tls-client-ca go together: missing --tls-key, --tls-client-ca\n$/],
    [['--listen', '127.0.0.2:7070', ...tlsFiles(join(parent, 'missing.pem'))], /^deriva: cannot read --tls-cert .*missing\.pem: ENOENT/],
    [tlsFiles('x.pem'), /^deriva: --tls-cert, --tls-key, --tls-client-ca serve --listen addresses with TLS: give --listen HOST:PORT/],
  ];
  for (const [args, message] of cases) {
    const home = join(parent, 'home');
    const r = await runCli(home, ['daemon', ...args]);
    t.equal(r.code, 1, args.join(' '));
    t.match(r.stderr, message);
    await t.rejects(access(home), { code: 'ENOENT' }, 'no home made: refused before anything was started');
  }
});

t.test('mutual TLS on --listen: only a client with a valid certificate from the trusted CA is served', async (t) => {
  const certs = await makeCerts(t, HOST);
  const addr = `${HOST}:${await freePort()}`;
  const d = await startDaemon(t, {
    mount: false,
    args: ['--listen', addr, '--tls-cert', certs.server.cert, '--tls-key', certs.server.key, '--tls-client-ca', certs.ca],
  });
  const elsewhere = await tempDir(t); // a home with no daemon: the CLI must not be using the socket
  const remote = (args: string[], env?: NodeJS.ProcessEnv, input?: Buffer) => runCli(elsewhere, args, input, env);
  const tlsFlags = (client: { cert: string; key: string }, ca = certs.ca) => ['--tls-ca', ca, '--tls-cert', client.cert, '--tls-key', client.key];

  const put = await remote(['put', '-', '--daemon-addr', addr, ...tlsFlags(certs.client)], {}, Buffer.from('over TLS'));
  t.equal(put.code, 0, put.stderr);
  t.equal(put.stderr, '', 'nothing on stderr (no warning either)');
  const leaf = put.stdout.toString().trim();
  const env = { DERIVA_ADDR: addr, DERIVA_TLS_CA: certs.ca, DERIVA_TLS_CERT: certs.client.cert, DERIVA_TLS_KEY: certs.client.key };
  const get = await remote(['get', leaf], env);
  t.equal(get.code, 0, get.stderr);
  t.equal(get.stdout.toString(), 'over TLS', 'a valid certificate works (here from DERIVA_ADDR and DERIVA_TLS_*)');
  t.equal((await d.cli(['get', leaf])).stdout.toString(), 'over TLS', 'the unix socket in the home stays plaintext');

  const refused: Array<[string, string[], RegExp]> = [
    ['a plaintext client', [], /^deriva: the daemon at 127\.0\.0\.2:\d+ did not answer plaintext gRPC: it may require TLS; pass --tls-ca, --tls-cert and --tls-key/],
    ['a client without a certificate', ['--tls-ca', certs.ca], /^deriva: the daemon at 127\.0\.0\.2:\d+ requires a client certificate .*: pass --tls-cert and --tls-key/],
    ['a certificate from another CA', tlsFlags(certs.otherClient), /^deriva: the daemon at 127\.0\.0\.2:\d+ refused this client's certificate.*: it must be signed by the CA the daemon trusts/],
    ['an expired certificate', tlsFlags(certs.expiredClient), /^deriva: the daemon at 127\.0\.0\.2:\d+ refused this client's certificate/],
    ["a daemon certificate the client's CA did not sign", tlsFlags(certs.otherClient, certs.otherCa), /^deriva: the daemon at 127\.0\.0\.2:\d+ presented a certificate this client does not trust/],
  ];
  for (const [who, flags, message] of refused) {
    const r = await remote(['get', leaf, '--daemon-addr', addr, ...flags]);
    t.equal(r.code, 1, `${who}: refused`);
    t.match(r.stderr, message, `${who}: says why`);
    t.equal(r.stderr.split('\n').length, 2, `${who}: in one line`);
    t.equal(r.stdout.length, 0, `${who}: no bytes served`);
  }
});
