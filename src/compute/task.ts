/**
 * The message a pool worker receives and returns. Plain structured-clone data only (Map,
 * bigint and Uint8Array clone fine), so it crosses the thread boundary without custom codecs.
 */
import type { MessagePort } from 'node:worker_threads';
import type { PlainParam } from '../core/recipe.js';

/** Where a task reads stored values. */
export interface StoreRef {
  /** Store directory; each worker opens (once) the same LMDB environment. */
  readonly storeDir: string;
  /** Check every chunk read against its address (the daemon's `--verify-reads`). */
  readonly verifyReads: boolean;
}

export interface ComputeTask extends StoreRef {
  /**
   * The recipe (hex) whose output this is: the worker records the output and its action entry
   * in one transaction. Absent for a verification rerun, which records the value only.
   */
  readonly recipe?: string;
  /** The store's invalidation mark taken before the inputs were read (Store.putOutput). */
  readonly mark?: number;
  readonly fn: { readonly name: string; readonly version: number };
  readonly params: ReadonlyMap<string, PlainParam>;
  /** Content addresses (hex) of the inputs, in recipe order. */
  readonly inputs: readonly string[];
}

/** One output chunk of a chunkwise function, computed alone for a range read. */
export interface ChunkTask extends StoreRef {
  readonly fn: { readonly name: string; readonly version: number };
  readonly params: ReadonlyMap<string, PlainParam>;
  /**
   * The input bytes under the output chunk (transferred, not copied), or when they are one
   * stored chunk its address (hex), which the worker reads and checks itself.
   */
  readonly input: Uint8Array | string;
  /** Absolute offset of `input` in the input value. */
  readonly offset: number;
  /**
   * A buffer to map into, moved in and back as the result: reusing chunk buffers spares the
   * page faults of fresh memory, which cost a third as much as computing upper@1.
   */
  readonly out?: ArrayBuffer;
}

/** A chunkwise output whose chunks are all computed, to be recorded as one value. */
export interface AssembleTask extends StoreRef {
  /** The recipe (hex) whose partial chunks these are. */
  readonly recipe: string;
  /** The store's invalidation mark taken before the promotion began (Store.promotePartials). */
  readonly mark: number;
  /** Chunk addresses (hex), in order. */
  readonly chunks: readonly string[];
  readonly size: number;
}

export interface ComputeResult {
  /** Content address (hex) of the stored output. */
  readonly content: string;
  readonly size: number;
}

/**
 * A streaming function run, fed and drained over `port` (see stream-task.ts for the protocol).
 * The task itself settles when the run ends: rejected if the function failed.
 * The run lives as long as its output is wanted; input arrives in pieces, output leaves in
 * whole chunks, each with its address.
 */
export interface StreamTask {
  readonly fn: { readonly name: string; readonly version: number };
  readonly params: ReadonlyMap<string, PlainParam>;
  readonly chunkSize: number;
  /** Output beyond this many bytes fails the run (the function's declared bound). */
  readonly maxSize: number;
  readonly port: MessagePort;
}

/** Messages the main thread sends a stream run. */
export type StreamInput =
  | { readonly type: 'input'; readonly bytes: Uint8Array }
  | { readonly type: 'end' }
  | { readonly type: 'abort' };

/** Messages a stream run sends back. */
export type StreamOutput =
  /** The next output bytes. */
  | { readonly type: 'data'; readonly bytes: Uint8Array }
  /** The bytes sent since the last chunk end make a whole chunk (the last may be short). */
  | { readonly type: 'chunk'; readonly addr: Uint8Array }
  /** One input piece is consumed; `done` when the function needs no more input. */
  | { readonly type: 'consumed'; readonly done: boolean }
  /** After 'end': every chunk is sent; the whole output's address (hex), size, compute time. */
  | { readonly type: 'final'; readonly content: string; readonly size: number; readonly cpuMs: number };

/**
 * A task's answer when it met a corrupt chunk: errors lose their class crossing the thread
 * boundary, so the worker says so in data and the pool throws the typed error again.
 */
export interface CorruptResult {
  /** The corrupt chunk's address (hex). */
  readonly corrupt: string;
  readonly message: string;
}
