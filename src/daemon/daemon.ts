/**
 * The daemon: wires the engine to the gRPC API (unix socket in the home, optional TCP: the
 * network only with mutual TLS, see listen-policy.ts), to an optional FUSE mount and to
 * optional Prometheus metrics over HTTP, and owns the lifecycle. Its home is private to its
 * owner (private-home.ts).
 * Every layer reports to one observer: materializations go to the log, and everything to the
 * metrics when they are served. On SIGTERM/SIGINT it stops taking requests,
 * lets in-flight ones finish, unmounts (lazily if the mount is busy, and says so), closes the
 * store and exits 0.
 */
import { rm } from 'node:fs/promises';
import type { Server } from '@grpc/grpc-js';
import { createApiServer, listen, shutdown } from '../api/server.js';
import { unixTarget } from '../api/targets.js';
import { serverCredentials, type ServerTlsFiles } from '../api/tls.js';
import { Engine, type EngineOptions } from '../engine/engine.js';
import { mountEngine, type Mount } from '../fuse/mount.js';
import { serveMetrics, type MetricsServer } from '../metrics/http.js';
import { materializationLog } from '../metrics/log-observer.js';
import { fanOut } from '../metrics/observer.js';
import { createMetrics } from '../metrics/prometheus.js';
import { NodeKey } from '../proof/node-key.js';
import { homeLayout, type HomeLayout } from './home.js';
import { tcpTls } from './listen-policy.js';
import { lockHome, type HomeLock } from './lock.js';
import { createLogger, type Logger } from './logger.js';
import { makeHomePrivate } from './private-home.js';
import { VERSION } from './version.js';

/** Engine settings the daemon passes through as given (see EngineOptions). */
type EngineSettings = Pick<
  EngineOptions,
  'threads' | 'invalidation' | 'floatPolicy' | 'execMode' | 'cacheSize' | 'cachePolicy' | 'verifyReads' | 'verify' | 'scrubIntervalMs' | 'scrubRate'
>;

export interface DaemonOptions {
  readonly home: string;
  /** Passed to the engine as given (defaults: see EngineOptions). */
  readonly engine?: EngineSettings;
  /** Extra TCP listen addresses, HOST:PORT; one that is not loopback needs `tls`. */
  readonly listen?: readonly string[];
  /** Serve the `listen` addresses with mutual TLS: all three files, or none. */
  readonly tls?: Partial<ServerTlsFiles>;
  /** Where to mount the store with FUSE; no mount when absent. */
  readonly mount?: string;
  /** Serve Prometheus metrics at http://HOST:PORT/metrics (port 0: any free port). */
  readonly metrics?: string;
}

/** How long in-flight requests may take to finish at shutdown. */
const SHUTDOWN_GRACE_MS = 10_000;

export class Daemon {
  private stopping?: Promise<void>;

  private constructor(
    readonly layout: HomeLayout,
    readonly log: Logger,
    private readonly lock: HomeLock,
    private readonly engine: Engine,
    private readonly server: Server,
    readonly mount: Mount | undefined,
    readonly metrics: MetricsServer | undefined,
  ) {}

  /** Starts everything; throws (having undone what it started) if any part fails. */
  static async start(options: DaemonOptions): Promise<Daemon> {
    const layout = homeLayout(options.home);
    // A path too long to bind, or the network without TLS, fails here, before anything is created.
    const socket = unixTarget(layout.socket);
    const tls = tcpTls(options.listen ?? [], options.tls);
    const tcpCredentials = tls && (await serverCredentials(tls)); // an unreadable TLS file too
    const tightened = await makeHomePrivate(layout);
    const lock = await lockHome(layout.pidFile, layout.home);
    const log = createLogger(layout.log);
    if (tightened.length > 0) {
      const what = tightened.map((t) => `${t.path} ${t.from}->${t.to}`).join(', ');
      log.warn({ tightened }, `the home was open to other users: tightened to owner-only: ${what}`);
    }
    const undo: Array<() => Promise<unknown>> = [() => lock.release()];
    try {
      const prometheus = options.metrics ? createMetrics() : undefined;
      const nodeKey = await NodeKey.loadOrCreate(layout.nodeKey); // created under the lock: no race
      const observer = fanOut(materializationLog(log), ...(prometheus ? [prometheus.observer] : []));
      const engine = Engine.open({
        ...options.engine,
        storeDir: layout.store,
        observer,
        onBackgroundError: (err) => log.error({ err }, 'deferred invalidation failed'),
        logger: log,
        nodeKey,
      });
      undo.unshift(() => engine.close());
      const server = createApiServer(engine, {
        version: VERSION,
        home: layout.home,
        mount: options.mount,
        startedAt: Date.now(),
        logger: log,
        observer,
        nodeKey: nodeKey.publicKey,
      });
      await rm(layout.socket, { force: true }); // we hold the lock: any socket file is stale
      undo.unshift(() => shutdown(server, 0));
      await listen(server, [socket]);
      await listen(server, options.listen ?? [], tcpCredentials);
      const metrics = prometheus && (await serveMetrics(prometheus.registry, options.metrics!));
      if (metrics) undo.unshift(() => metrics.close());
      const mount = options.mount ? await mountEngine(engine, options.mount, { logger: log, observer }) : undefined;
      const { verifyReads = true, verify = false, scrubIntervalMs, scrubRate } = options.engine ?? {};
      const checks = { verifyReads, verify, scrubIntervalMs, scrubRate };
      const ready = { home: layout.home, socket: layout.socket, listen: options.listen, tls: tcpCredentials !== undefined, mount: options.mount, metrics: metrics?.url, checks };
      log.info({ ...ready, floatPolicy: engine.floatPolicy }, 'daemon ready');
      return new Daemon(layout, log, lock, engine, server, mount, metrics);
    } catch (err) {
      for (const step of undo) await step().catch(() => {});
      log.error({ err }, 'daemon failed to start');
      throw err;
    }
  }

  /** Stops gracefully; safe to call more than once. */
  stop(reason = 'stop requested'): Promise<void> {
    this.stopping ??= this.shutdown(reason);
    return this.stopping;
  }

  private async shutdown(reason: string): Promise<void> {
    this.log.info({ reason }, 'daemon stopping');
    await shutdown(this.server, SHUTDOWN_GRACE_MS);
    await this.metrics?.close();
    if (this.mount) {
      const { lazy } = await this.mount.unmount();
      if (lazy) this.log.warn({ mount: this.mount.dir }, 'mount was busy: lazily unmounted (detached now, gone once unused)');
    }
    await this.engine.close();
    await rm(this.layout.socket, { force: true });
    await this.lock.release();
    this.log.info('daemon stopped');
    await new Promise<void>((done) => this.log.flush(() => done()));
  }
}
