/**
 * Where a daemon listens: one unix socket inside its home directory, named the same way by the
 * daemon (to bind) and the CLI (to connect), so neither has to be told the other's path.
 */
import { dirname, join, resolve } from 'node:path';

/**
 * The longest unix socket path Linux takes (sun_path is 108 bytes, NUL included). A longer one
 * is cut short by the kernel: the socket would appear elsewhere, outside the home.
 */
const MAX_SOCKET_PATH_BYTES = 107;

const SOCKET_NAME = 'deriva.sock';

/** The longest home whose socket path fits: 95 bytes. */
export const MAX_HOME_BYTES = MAX_SOCKET_PATH_BYTES - Buffer.byteLength(`/${SOCKET_NAME}`);

/** The daemon's socket in `home`. */
export function socketPath(home: string): string {
  return join(home, SOCKET_NAME);
}

/**
 * A gRPC target for a unix socket path (made absolute, so a relative path works from any cwd);
 * throws, naming the path and the limit, if the path is too long to bind or connect to.
 */
export function unixTarget(path: string): string {
  const absolute = resolve(path);
  const bytes = Buffer.byteLength(absolute);
  if (bytes > MAX_SOCKET_PATH_BYTES) {
    const name = bytes - Buffer.byteLength(dirname(absolute)); // '/deriva.sock' for a home's socket
    throw new Error(
      `the socket path ${absolute} is ${bytes} bytes, and a unix socket path can have at most ${MAX_SOCKET_PATH_BYTES}: ` +
        `choose a Deriva home of at most ${MAX_SOCKET_PATH_BYTES - name} bytes (--home or DERIVA_HOME)`,
    );
  }
  return `unix:${absolute}`;
}
