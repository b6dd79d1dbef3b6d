/**
 * Structured logging (pino): JSON lines appended to the home's log file, and also to stderr
 * when stderr is a terminal, so a daemon started by hand shows what it does. The file is
 * created owner-only (0600): it names what was stored and read.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(logFile: string, level = process.env.DERIVA_LOG_LEVEL ?? 'info'): Logger {
  const streams: pino.StreamEntry[] = [{ level: level as pino.Level, stream: pino.destination({ dest: logFile, mkdir: true, sync: false, mode: 0o600 }) }];
  if (process.stderr.isTTY) streams.push({ level: level as pino.Level, stream: process.stderr });
  return pino({ level, base: { pid: process.pid } }, pino.multistream(streams));
}
