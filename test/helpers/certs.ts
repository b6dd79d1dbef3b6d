/**
 * Certificates for TLS tests, made by the real `openssl` in a temp dir that is removed when the
 * test ends: a CA, a server certificate for one loopback IP signed by it, a client certificate
 * signed by it, an expired client certificate signed by it, and a second CA with a client
 * certificate of its own (valid, but from a CA the server does not trust). Every file is PEM.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Test } from 'tap';
import { tempDir } from './temp.js';

const run = promisify(execFile);

/** A certificate and its private key (paths to PEM files). */
export interface CertFiles {
  readonly cert: string;
  readonly key: string;
}

export interface TestCerts {
  /** The CA that signs the server's and the clients' certificates. */
  readonly ca: string;
  /** For the server: subjectAltName IP:<ip>. */
  readonly server: CertFiles;
  readonly client: CertFiles;
  /** Signed by `ca`, valid only in 2020. */
  readonly expiredClient: CertFiles;
  /** A second CA, trusted by nobody, and a client certificate it signed. */
  readonly otherCa: string;
  readonly otherClient: CertFiles;
}

/** Makes the certificates of {@link TestCerts}, the server's for `ip` (e.g. 127.0.0.2). */
export async function makeCerts(t: Test, ip: string): Promise<TestCerts> {
  const dir = await tempDir(t);
  const at = (name: string) => join(dir, name);
  const ca = await makeCa(dir, 'ca', 'Deriva test CA');
  const otherCa = await makeCa(dir, 'other-ca', 'Another CA');
  await writeFile(at('server.ext'), `subjectAltName=IP:${ip}\nextendedKeyUsage=serverAuth\n`);
  await writeFile(at('client.ext'), 'extendedKeyUsage=clientAuth\n');
  const server = await signed(dir, 'server', ca, 'server.ext');
  const client = await signed(dir, 'client', ca, 'client.ext');
  const otherClient = await signed(dir, 'other-client', otherCa, 'client.ext');
  const expiredClient = await expired(dir, 'expired-client', ca);
  return { ca: ca.cert, server, client, expiredClient, otherCa: otherCa.cert, otherClient };
}

async function makeCa(dir: string, name: string, cn: string): Promise<CertFiles> {
  const files = { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', `/CN=${cn}`, '-keyout', files.key, '-out', files.cert,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return files;
}

/** A key and a certificate request for `name`; returns the request's path. */
async function request(dir: string, name: string): Promise<{ csr: string; key: string }> {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`, '-keyout', key, '-out', csr]);
  return { csr, key };
}

async function signed(dir: string, name: string, ca: CertFiles, extFile: string): Promise<CertFiles> {
  const { csr, key } = await request(dir, name);
  const cert = join(dir, `${name}.pem`);
  await run('openssl', [
    'x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-days', '2',
    '-extfile', join(dir, extFile), '-out', cert,
  ]);
  return { cert, key };
}

/**
 * A client certificate whose validity ended in 2020. `openssl x509` takes only a number of days
 * from now (OpenSSL 3.0 has no -not_after), so this one goes through `openssl ca`, which takes
 * explicit start and end dates and wants a minimal CA database.
 */
async function expired(dir: string, name: string, ca: CertFiles): Promise<CertFiles> {
  const { csr, key } = await request(dir, name);
  const cert = join(dir, `${name}.pem`);
  const config = join(dir, 'ca.cnf');
  await writeFile(join(dir, 'index.txt'), '');
  await writeFile(join(dir, 'serial'), '1000\n');
  await writeFile(
    config,
    ['[ca]', 'default_ca = test', '[test]', `database = ${join(dir, 'index.txt')}`, `serial = ${join(dir, 'serial')}`,
      `new_certs_dir = ${dir}`, 'default_md = sha256', 'policy = any', 'x509_extensions = ext',
      '[ext]', 'extendedKeyUsage = clientAuth', '[any]', 'commonName = supplied', ''].join('\n'),
  );
  await run('openssl', [
    'ca', '-batch', '-config', config, '-cert', ca.cert, '-keyfile', ca.key, '-in', csr, '-out', cert, '-notext',
    '-startdate', '20200101000000Z', '-enddate', '20200102000000Z',
  ]);
  return { cert, key };
}
