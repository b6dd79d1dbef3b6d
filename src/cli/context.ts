/**
 * What every client command shares: the global options, finding the daemon (the socket in
 * the home, or a TCP address with TLS), and turning failures into one clear line on stderr
 * with exit status 1.
 */
import type { Argv } from 'yargs';
import { DerivaClient } from '../api/client.js';
import { isHostPort, MAX_HOME_BYTES, unixTarget } from '../api/targets.js';
import { readClientTls, type ClientTls } from '../api/tls.js';
import { ConfigError } from '../core/errors.js';
import { homeLayout, resolveHome } from '../daemon/home.js';

export interface GlobalArgs {
  home?: string;
  json: boolean;
  'daemon-addr'?: string;
  'tls-ca'?: string;
  'tls-cert'?: string;
  'tls-key'?: string;
}

/** Declares the options every command accepts. */
export function globalOptions<T>(y: Argv<T>): Argv<T & GlobalArgs> {
  return y
    .option('home', {
      type: 'string',
      describe: `Deriva home (store, socket, logs), a path of at most ${MAX_HOME_BYTES} bytes (its socket path must fit the kernel limit) [env: DERIVA_HOME, default: ~/.deriva]`,
      global: true,
    })
    .option('json', { type: 'boolean', default: false, describe: 'print machine-readable JSON', global: true })
    .option('daemon-addr', {
      type: 'string',
      describe: "talk to the daemon at HOST:PORT (its --listen) instead of the home's unix socket [env: DERIVA_ADDR]",
      global: true,
    })
    .option('tls-ca', {
      type: 'string',
      describe: "PEM file: the CA that signed the daemon's certificate; talks TLS to --daemon-addr [env: DERIVA_TLS_CA]",
      global: true,
    })
    .option('tls-cert', {
      type: 'string',
      describe: "PEM file: this client's certificate, signed by the CA the daemon trusts (its --tls-client-ca) [env: DERIVA_TLS_CERT]",
      global: true,
    })
    .option('tls-key', { type: 'string', describe: 'PEM file: the private key of --tls-cert [env: DERIVA_TLS_KEY]', global: true });
}

/**
 * Where the client connects, and how: --daemon-addr (or DERIVA_ADDR) over TCP, with TLS when any of
 * the --tls-* files (or DERIVA_TLS_*) is given; else the unix socket of the chosen home.
 */
function clientTarget(args: GlobalArgs, env: NodeJS.ProcessEnv = process.env): { target: string; tls?: ClientTls } {
  const addr = args['daemon-addr'] ?? env.DERIVA_ADDR;
  const flags = { ca: args['tls-ca'], cert: args['tls-cert'], key: args['tls-key'] };
  if (addr === undefined) {
    if (Object.values(flags).some((f) => f !== undefined)) {
      throw new ConfigError("--tls-ca, --tls-cert and --tls-key are for a daemon at --daemon-addr HOST:PORT: the home's unix socket needs none");
    }
    return { target: unixTarget(homeLayout(resolveHome(args.home)).socket) };
  }
  if (!isHostPort(addr)) throw new ConfigError(`--daemon-addr (or DERIVA_ADDR) '${addr}' is not HOST:PORT`);
  const files = { ca: flags.ca ?? env.DERIVA_TLS_CA, cert: flags.cert ?? env.DERIVA_TLS_CERT, key: flags.key ?? env.DERIVA_TLS_KEY };
  const tls = Object.values(files).some((f) => f !== undefined) ? readClientTls(files) : undefined;
  return { target: addr, tls };
}

/** Runs `fn` with a client connected to the chosen daemon (see {@link clientTarget}), closing it afterwards. */
export async function withClient<R>(args: GlobalArgs, fn: (client: DerivaClient) => Promise<R>): Promise<R> {
  const { target, tls } = clientTarget(args);
  const client = DerivaClient.connect(target, { tls });
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

/** A usage error: the message and where help is, exit status 2 (as yargs' own). */
export function usageError(message: string, help = 'deriva --help'): never {
  process.stderr.write(`deriva: ${message}\nRun '${help}' for usage.\n`);
  process.exit(2);
}

/** A command's failure: printed as one line, exit status 1. */
export function reportFailure(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`deriva: ${message}\n`);
  process.exit(1);
}
