/**
 * What every client command shares: the global options, finding the daemon from the home, and
 * turning failures into one clear line on stderr with exit status 1.
 */
import type { Argv } from 'yargs';
import { DerivaClient } from '../api/client.js';
import { MAX_HOME_BYTES, unixTarget } from '../api/targets.js';
import { homeLayout, resolveHome } from '../daemon/home.js';

export interface GlobalArgs {
  home?: string;
  json: boolean;
}

/** Declares the options every command accepts. */
export function globalOptions<T>(y: Argv<T>): Argv<T & GlobalArgs> {
  return y
    .option('home', {
      type: 'string',
      describe: `Deriva home (store, socket, logs), a path of at most ${MAX_HOME_BYTES} bytes (its socket path must fit the kernel limit) [env: DERIVA_HOME, default: ~/.deriva]`,
      global: true,
    })
    .option('json', { type: 'boolean', default: false, describe: 'print machine-readable JSON', global: true });
}

/** Runs `fn` with a client connected to the daemon of the chosen home, closing it afterwards. */
export async function withClient<R>(args: GlobalArgs, fn: (client: DerivaClient) => Promise<R>): Promise<R> {
  const client = DerivaClient.connect(unixTarget(homeLayout(resolveHome(args.home)).socket));
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
