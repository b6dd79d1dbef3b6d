/**
 * The compute worker pool (piscina). All CPU work of materialization runs here, never on the
 * daemon's main thread, which must stay free to answer FUSE and gRPC.
 */
import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { CorruptChunkError } from '../core/errors.js';
import type { AssembleTask, ChunkTask, ComputeResult, ComputeTask, CorruptResult, StreamTask } from './task.js';

/**
 * Streaming runs share their threads: a run spends most of its life waiting for a reader to
 * want more, so it must not hold a thread of its own (a paused run would starve the chunk
 * computations its own input may need). Its CPU work happens a message at a time.
 */
const STREAMS_PER_THREAD = 64;

export interface PoolOptions {
  /** Worker threads; defaults to the number of cores. */
  readonly threads?: number;
  /**
   * The node's private key: workers record outputs, and sign their proofs inside the same
   * transaction (a KeyObject crosses to worker threads without being exported).
   */
  readonly nodeKey?: KeyObject;
  /**
   * Called when a task that commits to the store (run, assemble) has returned, before its
   * caller resumes: the store refreshes its read snapshot there, so the caller sees what the
   * worker committed.
   */
  readonly onCommitted?: () => void;
}

export class ComputePool {
  private readonly piscina: Piscina<ComputeTask | ChunkTask | AssembleTask, ComputeResult | CorruptResult | Uint8Array>;
  private readonly streams: Piscina<StreamTask, void>;
  private readonly onCommitted: () => void;

  constructor(options: PoolOptions = {}) {
    const threads = options.threads ?? availableParallelism();
    this.onCommitted = options.onCommitted ?? (() => {});
    // Under the test runner the sources run as .ts through a loader that workers inherit.
    const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
    const filename = new URL(`./worker.${ext}`, import.meta.url).href;
    const workerData = { nodeKey: options.nodeKey };
    this.piscina = new Piscina({ filename, minThreads: 1, maxThreads: threads, idleTimeout: 30_000, workerData });
    this.streams = new Piscina({
      filename,
      name: 'stream',
      minThreads: 0,
      maxThreads: threads,
      concurrentTasksPerWorker: STREAMS_PER_THREAD,
      idleTimeout: 30_000,
    });
  }

  /**
   * Starts a streaming run driven over `task.port` (moved to the worker); settles when the
   * run ends, rejected if its function failed.
   */
  stream(task: StreamTask): Promise<void> {
    return this.streams.run(task, { transferList: [task.port] });
  }

  /** Computes and stores a recipe's whole output; a {@link CorruptChunkError} if an input chunk is corrupt. */
  async run(task: ComputeTask): Promise<ComputeResult> {
    return this.committed(unlessCorrupt((await this.piscina.run(task)) as ComputeResult | CorruptResult));
  }

  /** Records a chunkwise output, all of whose chunks are stored, as one value. */
  async assemble(task: AssembleTask): Promise<ComputeResult> {
    return this.committed(unlessCorrupt((await this.piscina.run(task, { name: 'assemble' })) as ComputeResult | CorruptResult));
  }

  /**
   * Computes one chunk of a chunkwise output (not stored); input bytes and output are
   * transferred. Null when the input, given as a stored chunk's address, is missing or corrupt.
   */
  async mapChunk(task: ChunkTask): Promise<Uint8Array | null> {
    const transferList = [...transferable(task.input), ...(task.out ? [task.out] : [])];
    return (await this.piscina.run(task, { name: 'mapChunk', transferList })) as Uint8Array | null;
  }

  /** Tasks waiting for a free worker. */
  get queued(): number {
    return this.piscina.queueSize;
  }

  private committed(result: ComputeResult): ComputeResult {
    this.onCommitted();
    return result;
  }

  async close(): Promise<void> {
    await Promise.all([this.piscina.close(), this.streams.close()]);
  }
}

function unlessCorrupt(result: ComputeResult | CorruptResult): ComputeResult {
  if ('corrupt' in result) throw new CorruptChunkError(result.corrupt, result.message);
  return result;
}

/** A buffer the view owns whole, to move (never, say, Node's shared small-Buffer pool). */
function transferable(input: Uint8Array | string): ArrayBuffer[] {
  if (typeof input === 'string') return [];
  const { buffer, byteOffset, byteLength } = input;
  return buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength ? [buffer] : [];
}
