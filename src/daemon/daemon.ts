/**
 * The daemon: wires the engine to the gRPC API (unix socket in the home, optional TCP) and to
 * an optional FUSE mount, and owns the lifecycle. On SIGTERM/SIGINT it stops taking requests,
 * lets in-flight ones finish, unmounts (lazily if the mount is busy, and says so), closes the
 * store and exits 0.
 */
import { mkdir, rm } from 'node:fs/promises';
import type { Server } from '@grpc/grpc-js';
import { createApiServer, listen, shutdown } from '../api/server.js';
import { unixTarget } from '../api/targets.js';
import type { FloatPolicy } from '../compute/float-policy.js';
import { Engine } from '../engine/engine.js';
import { mountEngine, type Mount } from '../fuse/mount.js';
import { homeLayout, type HomeLayout } from './home.js';
import { lockHome, type HomeLock } from './lock.js';
import { createLogger, type Logger } from './logger.js';
import { VERSION } from './version.js';

export interface DaemonOptions {
  readonly home: string;
  /** Extra TCP listen addresses, HOST:PORT. */
  readonly listen?: readonly string[];
  /** Where to mount the store with FUSE; no mount when absent. */
  readonly mount?: string;
  /** Compute worker threads (default: one per core). */
  readonly threads?: number;
  /** Whether float functions may be registered and computed (default `strict`). */
  readonly floatPolicy?: FloatPolicy;
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
  ) {}

  /** Starts everything; throws (having undone what it started) if any part fails. */
  static async start(options: DaemonOptions): Promise<Daemon> {
    const layout = homeLayout(options.home);
    await mkdir(layout.home, { recursive: true });
    const lock = await lockHome(layout.pidFile, layout.home);
    const log = createLogger(layout.log);
    const undo: Array<() => Promise<unknown>> = [() => lock.release()];
    try {
      const engine = Engine.open({ storeDir: layout.store, threads: options.threads, floatPolicy: options.floatPolicy });
      undo.unshift(() => engine.close());
      const server = createApiServer(engine, {
        version: VERSION,
        home: layout.home,
        mount: options.mount,
        startedAt: Date.now(),
        logger: log,
      });
      await rm(layout.socket, { force: true }); // we hold the lock: any socket file is stale
      await listen(server, [unixTarget(layout.socket), ...(options.listen ?? [])]);
      undo.unshift(() => shutdown(server, 0));
      const mount = options.mount ? await mountEngine(engine, options.mount, { logger: log }) : undefined;
      const ready = { home: layout.home, socket: layout.socket, listen: options.listen, mount: options.mount };
      log.info({ ...ready, floatPolicy: engine.floatPolicy }, 'daemon ready');
      return new Daemon(layout, log, lock, engine, server, mount);
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
