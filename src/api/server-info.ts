import type { ApiObserver } from '../metrics/observer.js';

/**
 * What the API server is told about the daemon it runs in: identity for Status, where to log,
 * and whom to tell each call's latency and the bytes Get serves. The logger is the narrow part of pino the server uses, so the daemon passes its pino
 * logger and tests pass a recorder.
 */

/** A pino-compatible logger: `log.error({ err }, 'message')` or `log.error('message')`. */
export interface ApiLogger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

export interface ServerInfo {
  /** Daemon version, reported by Status. */
  readonly version: string;
  /** DERIVA_HOME of the daemon. */
  readonly home: string;
  /** Mount point, when the store is mounted. */
  readonly mount?: string;
  /** The node's public key (hex), reported by Status: it signs derivation proofs. */
  readonly nodeKey?: string;
  /** When the daemon started (ms since the epoch), for uptime. */
  readonly startedAt: number;
  readonly logger?: ApiLogger;
  readonly observer?: ApiObserver;
}

/** The part of {@link ServerInfo} every handler needs to end a call. */
export type CallReporting = Pick<ServerInfo, 'logger' | 'observer'>;
