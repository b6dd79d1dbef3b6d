/**
 * Where a daemon listens: one unix socket inside its home directory, named the same way by the
 * daemon (to bind) and the CLI (to connect), so neither has to be told the other's path.
 */
import { join, resolve } from 'node:path';

/** The daemon's socket in `home`. */
export function socketPath(home: string): string {
  return join(home, 'deriva.sock');
}

/** A gRPC target for a unix socket path (made absolute, so a relative path works from any cwd). */
export function unixTarget(path: string): string {
  return `unix:${resolve(path)}`;
}
