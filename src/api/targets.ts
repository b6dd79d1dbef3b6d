/**
 * Where a daemon listens: one unix socket inside its home directory, named the same way by the
 * daemon (to bind) and the CLI (to connect), so neither has to be told the other's path; and
 * optionally TCP addresses, HOST:PORT, which are either loopback (this machine only) or the
 * network, which must be served with mutual TLS.
 */
import { BlockList, isIP } from 'node:net';
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

/** True for HOST:PORT (an IPv6 host in brackets: `[::1]:7070`). */
export function isHostPort(text: string): boolean {
  return /^[^\s:]+:\d{1,5}$/.test(text) || /^\[[0-9a-fA-F:.]+\]:\d{1,5}$/.test(text);
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** The host of HOST:PORT, an IPv6 literal without its brackets: `[::1]:7070` -> `::1`. */
export function hostOf(hostPort: string): string {
  const host = hostPort.slice(0, hostPort.lastIndexOf(':'));
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * True when HOST:PORT is reachable from this machine only: 127.0.0.0/8, ::1 (also as
 * ::ffff:127.x.y.z), or the name localhost. Decided without resolving names, so any other
 * name counts as the network.
 */
export function isLoopback(hostPort: string): boolean {
  const host = hostOf(hostPort).toLowerCase();
  if (host === 'localhost' || host === 'localhost.') return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}
