/**
 * Mutual TLS for gRPC over TCP. A daemon serving the network presents its certificate and
 * accepts only clients whose certificate a CA it was given signed; a client presents its own
 * and trusts the daemon's through the CA it was given. All files are PEM, read once at start
 * with errors that name the option they came from.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { credentials, ServerCredentials, type ChannelCredentials } from '@grpc/grpc-js';
import { ConfigError } from '../core/errors.js';

/** The daemon's TLS files (paths): its certificate and key, and the CA its clients' certificates come from. */
export interface ServerTlsFiles {
  readonly cert: string;
  readonly key: string;
  readonly clientCa: string;
}

/** A client's TLS material (PEM bytes); without `ca`, Node's public CAs are trusted. */
export interface ClientTls {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

/** Credentials that serve TLS and refuse any client without a certificate `clientCa` signed. */
export async function serverCredentials(files: ServerTlsFiles): Promise<ServerCredentials> {
  const read = (option: string, path: string) => readFile(path).catch((err: Error) => Promise.reject(unreadable(option, path, err)));
  const [cert, key, clientCa] = await Promise.all([read('--tls-cert', files.cert), read('--tls-key', files.key), read('--tls-client-ca', files.clientCa)]);
  return ServerCredentials.createSsl(clientCa, [{ private_key: key, cert_chain: cert }], true);
}

/** Reads a client's TLS files (paths; any may be absent, but not a certificate without its key). */
export function readClientTls(files: { ca?: string; cert?: string; key?: string }): ClientTls {
  if ((files.cert === undefined) !== (files.key === undefined)) {
    throw new ConfigError('--tls-cert and --tls-key go together: a client certificate is no use without its key');
  }
  const read = (option: string, path: string | undefined) => {
    if (path === undefined) return undefined;
    try {
      return readFileSync(path);
    } catch (err) {
      throw unreadable(option, path, err as Error);
    }
  };
  return { ca: read('--tls-ca', files.ca), cert: read('--tls-cert', files.cert), key: read('--tls-key', files.key) };
}

/** Channel credentials: TLS with `tls`, plaintext without. */
export function channelCredentials(tls: ClientTls | undefined): ChannelCredentials {
  return tls ? credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null) : credentials.createInsecure();
}

function unreadable(option: string, path: string, err: Error): ConfigError {
  return new ConfigError(`cannot read ${option} ${path}: ${err.message}`, { cause: err });
}
