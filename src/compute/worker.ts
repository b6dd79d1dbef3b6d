/**
 * Pool worker entry (piscina): runs one compute task off the daemon's main thread. Keeps one
 * open store per directory for the worker's lifetime.
 */
import type { KeyObject } from 'node:crypto';
import { Piscina, workerData } from 'piscina';
import { CAddr } from '../core/caddr.js';
import { CorruptChunkError, NotFoundError, StoreError } from '../core/errors.js';
import { Hasher } from '../native/index.js';
import { NodeKey } from '../proof/node-key.js';
import { Store } from '../store/store.js';
import { allFunctions } from './builtins/index.js';
import { FunctionRegistry } from './registry.js';
import { runFunction } from './run-function.js';
import { runStream } from './stream-task.js';
import type { AssembleTask, ChunkTask, ComputeResult, ComputeTask, CorruptResult, StoreRef, StreamTask } from './task.js';

const registry = new FunctionRegistry(allFunctions());
const stores = new Map<string, Store>();
/** Signs the proofs of the outputs this worker records (see pool.ts). */
const nodeKey = (workerData as { nodeKey?: KeyObject } | undefined)?.nodeKey;
const signer = nodeKey && new NodeKey(nodeKey);

/** The worker's store for `ref`, its snapshot moved to what the main thread just committed. */
function storeAt(ref: StoreRef): Store {
  let store = stores.get(ref.storeDir);
  if (!store) {
    store = Store.open(ref.storeDir, { signer });
    stores.set(ref.storeDir, store);
  }
  store.verifyReads = ref.verifyReads;
  store.refresh();
  return store;
}

/** Runs a task, answering a corrupt chunk with data the main thread turns back into the error. */
async function reportingCorruption(run: () => Promise<ComputeResult>): Promise<ComputeResult | CorruptResult> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof CorruptChunkError) return { corrupt: err.chunk, message: err.message };
    throw err;
  }
}

/**
 * Computes a recipe's whole output from its stored inputs and stores it, recording the output
 * and the recipe's action entry in one transaction (so there is never an output no action
 * names, which eviction or GC could take for garbage). A verification rerun (no `recipe`)
 * records the value only.
 */
export default function compute(task: ComputeTask): Promise<ComputeResult | CorruptResult> {
  return reportingCorruption(() => computeWhole(task));
}

async function computeWhole(task: ComputeTask): Promise<ComputeResult> {
  const store = storeAt(task);
  const inputs = task.inputs.map((hex) => {
    const manifest = store.getManifest(CAddr.fromHex(hex));
    if (!manifest) throw new NotFoundError(`input value ${hex} is not stored`);
    return manifest;
  });
  const started = performance.now();
  const recipe = task.recipe === undefined ? undefined : CAddr.fromHex(task.recipe);
  const written = await runFunction(store, registry.get(task.fn), task.params, inputs, (v) =>
    recipe
      ? store.putOutput(recipe, v.addr, v.manifest, performance.now() - started, task.mark).then(() => undefined)
      : store.putValue(v.addr, v.manifest, 'cache', 'held'),
  );
  return { content: written.addr.hex, size: written.manifest.size };
}

/**
 * Records a recipe's partial chunks, all computed, as one value and action (hashing them all
 * for its content address).
 */
export function assemble(task: AssembleTask): Promise<ComputeResult | CorruptResult> {
  return reportingCorruption(() => assembleChunks(task));
}

async function assembleChunks(task: AssembleTask): Promise<ComputeResult> {
  const store = storeAt(task);
  const hasher = new Hasher();
  const chunks = task.chunks.map((hex) => Buffer.from(hex, 'hex'));
  for (const chunk of chunks) store.useChunk(chunk, (bytes) => hasher.update(bytes));
  const addr = CAddr.fromBytes(hasher.finalize());
  await store.promotePartials(CAddr.fromHex(task.recipe), addr, { size: task.size, chunks }, task.mark);
  return { content: addr.hex, size: task.size };
}

/**
 * Computes one output chunk of a chunkwise function into `task.out` (or new memory) and moves
 * it back. The caller serves readers from it at once, and hashes and stores it meanwhile. An
 * input named by address is read in place from the store; null if that chunk is missing or
 * corrupt (the caller's own read of the input then repairs or reports it).
 */
export function mapChunk(task: ChunkTask): unknown {
  const fn = registry.get(task.fn);
  if (fn.kind !== 'chunkwise') throw new Error(`${fn.name}@${fn.version} is not chunkwise`);
  const map = (input: Uint8Array) => {
    const out = task.out && task.out.byteLength >= input.length ? new Uint8Array(task.out, 0, input.length) : new Uint8Array(input.length);
    fn.map(input, task.offset, task.params, out);
    return Piscina.move(out);
  };
  if (typeof task.input !== 'string') return map(task.input);
  try {
    return storeAt(task).useChunk(Buffer.from(task.input, 'hex'), map);
  } catch (err) {
    if (err instanceof CorruptChunkError || err instanceof StoreError) return null;
    throw err;
  }
}

/** Runs a streaming function fed over a port by the main thread (see stream-task.ts). */
export function stream(task: StreamTask): Promise<void> {
  const fn = registry.get(task.fn);
  if (fn.kind !== 'streaming') throw new Error(`${fn.name}@${fn.version} is not streaming`);
  return runStream(fn, task);
}
