/**
 * The daemon's gRPC server: the Deriva service over an engine, bound to a unix socket (and
 * optionally TCP, plaintext or mutual TLS), with explicit message limits and a graceful shutdown. Handlers live in
 * handlers.ts (unary), refs.ts (refs), put-leaf.ts and get.ts (streams); all of them end calls through
 * status.ts, so no engine error escapes into grpc-js. proofs.ts has the proof and audit RPCs.
 */
import * as grpc from '@grpc/grpc-js';
import type { Engine } from '../engine/engine.js';
import type { DerivaServer } from './gen/deriva.js';
import { derivaService } from './get-codec.js';
import { getHandler } from './get.js';
import { unaryHandlers } from './handlers.js';
import { messageLimits } from './limits.js';
import { proofHandlers } from './proofs.js';
import { putLeafHandler } from './put-leaf.js';
import { refHandlers } from './refs.js';
import type { ServerInfo } from './server-info.js';

export type { ApiLogger, ServerInfo } from './server-info.js';

/** A server offering the Deriva service over `engine`; not yet listening (see {@link listen}). */
export function createApiServer(engine: Engine, info: ServerInfo): grpc.Server {
  const server = new grpc.Server(messageLimits);
  const impl: DerivaServer = {
    ...unaryHandlers(engine, info),
    ...refHandlers(engine, info),
    ...proofHandlers(engine, info),
    putLeaf: putLeafHandler(engine, info),
    get: getHandler(engine, info),
  };
  server.addService(derivaService, impl);
  return server;
}

function bind(server: grpc.Server, target: string, credentials: grpc.ServerCredentials): Promise<void> {
  return new Promise((resolve, reject) => {
    server.bindAsync(target, credentials, (err) => {
      if (err) reject(new Error(`cannot listen on ${target}: ${err.message}`, { cause: err }));
      else resolve();
    });
  });
}

/**
 * Binds every target (`unix:/path/deriva.sock`, `127.0.0.1:7070`) and starts serving, in
 * plaintext unless given `credentials` (see tls.ts). A stale socket file is not removed here:
 * the daemon does that once it holds the home-directory lock.
 */
export async function listen(
  server: grpc.Server, targets: readonly string[], credentials = grpc.ServerCredentials.createInsecure(),
): Promise<void> {
  for (const target of targets) await bind(server, target, credentials);
}

/**
 * Stops accepting calls, lets in-flight ones finish for up to `graceMs`, then cancels whatever
 * is left. Resolves once the server is down.
 */
export function shutdown(server: grpc.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
