/**
 * Pool worker entry (piscina): runs one compute task off the daemon's main thread. Keeps one
 * open store per directory for the worker's lifetime.
 */
import type { KeyObject } from 'node:crypto';
import { Piscina, workerData } from 'piscina';
import { CAddr } from '../core/caddr.js';
import { NotFoundError } from '../core/errors.js';
import { Hasher } from '../native/index.js';
import { NodeKey } from '../proof/node-key.js';
import { Store } from '../store/store.js';
import { builtins } from './builtins/index.js';
import { FunctionRegistry } from './registry.js';
import { runFunction } from './run-function.js';
import { runStream } from './stream-task.js';
import type { AssembleTask, ChunkTask, ComputeResult, ComputeTask, StreamTask } from './task.js';

const registry = new FunctionRegistry(builtins);
const stores = new Map<string, Store>();
/** Signs the proofs of the outputs this worker records (see pool.ts). */
const nodeKey = (workerData as { nodeKey?: KeyObject } | undefined)?.nodeKey;
const signer = nodeKey && new NodeKey(nodeKey);

/** The worker's store for `dir`, its snapshot moved to what the main thread just committed. */
function storeAt(dir: string): Store {
  let store = stores.get(dir);
  if (!store) {
    store = Store.open(dir, { signer });
    stores.set(dir, store);
  }
  store.refresh();
  return store;
}

/**
 * Computes a recipe's whole output from its stored inputs and stores it, recording the output
 * and the recipe's action entry in one transaction (so there is never an output no action
 * names, which eviction or GC could take for garbage).
 */
export default async function compute(task: ComputeTask): Promise<ComputeResult> {
  const store = storeAt(task.storeDir);
  const inputs = task.inputs.map((hex) => {
    const manifest = store.getManifest(CAddr.fromHex(hex));
    if (!manifest) throw new NotFoundError(`input value ${hex} is not stored`);
    return manifest;
  });
  const started = performance.now();
  const recipe = CAddr.fromHex(task.recipe);
  const written = await runFunction(store, registry.get(task.fn), task.params, inputs, (v) =>
    store.putOutput(recipe, v.addr, v.manifest, performance.now() - started),
  );
  return { content: written.addr.hex, size: written.manifest.size };
}

/**
 * Records a recipe's partial chunks, all computed, as one value and action (hashing them all
 * for its content address).
 */
export async function assemble(task: AssembleTask): Promise<ComputeResult> {
  const store = storeAt(task.storeDir);
  const hasher = new Hasher();
  const chunks = task.chunks.map((hex) => Buffer.from(hex, 'hex'));
  for (const chunk of chunks) hasher.update(store.getChunk(chunk));
  const addr = CAddr.fromBytes(hasher.finalize());
  await store.promotePartials(CAddr.fromHex(task.recipe), addr, { size: task.size, chunks });
  return { content: addr.hex, size: task.size };
}

/**
 * Computes one output chunk of a chunkwise function and returns its bytes, moved rather than
 * copied. The caller serves readers from them at once, and hashes and stores them meanwhile.
 */
export function mapChunk(task: ChunkTask): unknown {
  const fn = registry.get(task.fn);
  if (fn.kind !== 'chunkwise') throw new Error(`${fn.name}@${fn.version} is not chunkwise`);
  const out = fn.map(task.input, task.offset, task.params);
  // Move only a buffer the result owns whole; a view into something larger is copied out.
  const owned = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out : out.slice();
  return Piscina.move(owned);
}

/** Runs a streaming function fed over a port by the main thread (see stream-task.ts). */
export function stream(task: StreamTask): Promise<void> {
  const fn = registry.get(task.fn);
  if (fn.kind !== 'streaming') throw new Error(`${fn.name}@${fn.version} is not streaming`);
  return runStream(fn, task);
}
