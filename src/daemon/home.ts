/**
 * The daemon's home directory: where the store, the socket, the log, the pid lock and the node
 * key live.
 * Chosen by `--home`, else DERIVA_HOME, else ~/.deriva. The CLI resolves it the same way to
 * find the daemon's socket.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { socketPath } from '../api/targets.js';

export interface HomeLayout {
  readonly home: string;
  /** LMDB store directory. */
  readonly store: string;
  /** Unix socket of the gRPC API. */
  readonly socket: string;
  /** Structured log (JSON lines). */
  readonly log: string;
  /** Pid file that keeps a second daemon off this home. */
  readonly pidFile: string;
  /** The node's Ed25519 private key (PEM, mode 0600), which signs derivation proofs. */
  readonly nodeKey: string;
}

/** Resolves the home from an explicit value, the environment, or the default. */
export function resolveHome(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(explicit ?? env.DERIVA_HOME ?? join(homedir(), '.deriva'));
}

export function homeLayout(home: string): HomeLayout {
  return {
    home,
    store: join(home, 'store'),
    socket: socketPath(home),
    log: join(home, 'daemon.log'),
    pidFile: join(home, 'daemon.pid'),
    nodeKey: join(home, 'node.key'),
  };
}
