/**
 * startApi(t): a real engine on LMDB in a temp dir, a real gRPC server on a unix socket in
 * another temp dir, and a real DerivaClient connected to it, all torn down when the test ends
 * (client, then server, then engine, then the directories).
 */
import type { Server } from '@grpc/grpc-js';
import type { Test } from 'tap';
import { DerivaClient } from '../../src/api/client.js';
import { createApiServer, listen, shutdown, type ApiLogger } from '../../src/api/server.js';
import { socketPath, unixTarget } from '../../src/api/targets.js';
import type { Engine, EngineOptions } from '../../src/engine/engine.js';
import { createEngine, tempDir } from '../helpers/temp.js';

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  obj: object | string;
  msg?: string;
}

export interface Api {
  engine: Engine;
  server: Server;
  client: DerivaClient;
  /** `unix:<home>/deriva.sock` */
  target: string;
  socket: string;
  home: string;
  /** What the server logged. */
  logs: LogEntry[];
  /** Every call the server has ended, in order: its own report (ApiObserver.onRpc), once the handler is done. */
  ended: EndedCall[];
}

/** A call the server reported ended. */
export interface EndedCall {
  method: string;
  code: string;
}

/** A logger that records entries for assertions. */
export function recordingLogger(logs: LogEntry[]): ApiLogger {
  const at = (level: LogEntry['level']) => (obj: object | string, msg?: string) => void logs.push({ level, obj, msg });
  return { info: at('info'), warn: at('warn'), error: at('error') };
}

export async function startApi(t: Test, engineOptions: Partial<EngineOptions> = {}): Promise<Api> {
  const engine = await createEngine(t, engineOptions);
  const home = await tempDir(t);
  const logs: LogEntry[] = [];
  const ended: EndedCall[] = [];
  const observer = { onRpc: (method: string, _seconds: number, code: string) => void ended.push({ method, code }), onBytesServed() {} };
  const server = createApiServer(engine, { version: '0.0.0-test', home, startedAt: Date.now(), logger: recordingLogger(logs), observer });
  const socket = socketPath(home);
  const target = unixTarget(socket);
  await listen(server, [target]);
  t.teardown(() => shutdown(server, 1000));
  const client = DerivaClient.connect(target);
  t.teardown(() => client.close());
  return { engine, server, client, target, socket, home, logs, ended };
}

/**
 * Counts the chunks the engine hands out through `stream` (what Get handlers have read), and
 * the streams opened and not yet closed: a stream closed can hand out nothing more.
 */
export function countStreamed(engine: Engine): { chunks: number; open: number } {
  const counter = { chunks: 0, open: 0 };
  const stream = engine.stream.bind(engine);
  engine.stream = async function* (...args: Parameters<Engine['stream']>) {
    counter.open++;
    try {
      for await (const chunk of stream(...args)) {
        counter.chunks++;
        yield chunk;
      }
    } finally {
      counter.open--;
    }
  };
  return counter;
}
