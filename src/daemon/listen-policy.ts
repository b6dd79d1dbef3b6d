/**
 * How the daemon may serve TCP. The network is served only with mutual TLS: a --listen
 * address that is not loopback needs --tls-cert, --tls-key and --tls-client-ca, and without
 * them the daemon refuses to start, before it binds anything. Loopback addresses stay
 * plaintext unless TLS files are given; then every TCP address is served with TLS. The unix
 * socket is always plaintext: the home's mode keeps other users from it.
 */
import { isLoopback } from '../api/targets.js';
import type { ServerTlsFiles } from '../api/tls.js';
import { ConfigError } from '../core/errors.js';

const OPTION_OF: Readonly<Record<keyof ServerTlsFiles, string>> = { cert: '--tls-cert', key: '--tls-key', clientCa: '--tls-client-ca' };

/**
 * The TLS files to serve `listen` with (undefined: plaintext), or a {@link ConfigError} saying
 * which options are missing.
 */
export function tcpTls(listen: readonly string[], tls: Partial<ServerTlsFiles> = {}): ServerTlsFiles | undefined {
  const fields = Object.keys(OPTION_OF) as Array<keyof ServerTlsFiles>;
  const missing = fields.filter((f) => tls[f] === undefined).map((f) => OPTION_OF[f]);
  const all = Object.values(OPTION_OF).join(', ');
  if (missing.length === 0) {
    if (listen.length === 0) throw new ConfigError(`${all} serve --listen addresses with TLS: give --listen HOST:PORT (the unix socket needs none)`);
    return tls as ServerTlsFiles;
  }
  if (missing.length < fields.length) throw new ConfigError(`${all} go together: missing ${missing.join(', ')}`);
  const network = listen.find((address) => !isLoopback(address));
  if (network !== undefined) {
    throw new ConfigError(`--listen ${network} is not a loopback address, and the network is served only with mutual TLS: missing ${missing.join(', ')}`);
  }
  return undefined;
}
