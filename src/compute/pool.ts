/**
 * The compute worker pool (piscina). All CPU work of materialization runs here, never on the
 * daemon's main thread, which must stay free to answer FUSE and gRPC.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { ComputeResult, ComputeTask } from './task.js';

export interface PoolOptions {
  /** Worker threads; defaults to the number of cores. */
  readonly threads?: number;
}

export class ComputePool {
  private readonly piscina: Piscina<ComputeTask, ComputeResult>;

  constructor(options: PoolOptions = {}) {
    const threads = options.threads ?? availableParallelism();
    // Under the test runner the sources run as .ts through a loader that workers inherit.
    const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
    this.piscina = new Piscina({
      filename: new URL(`./worker.${ext}`, import.meta.url).href,
      minThreads: 1,
      maxThreads: threads,
      idleTimeout: 30_000,
    });
  }

  run(task: ComputeTask): Promise<ComputeResult> {
    return this.piscina.run(task);
  }

  /** Tasks waiting for a free worker. */
  get queued(): number {
    return this.piscina.queueSize;
  }

  async close(): Promise<void> {
    await this.piscina.close();
  }
}
