/**
 * Pool worker entry (piscina): runs one compute task off the daemon's main thread. Keeps one
 * open store per directory for the worker's lifetime.
 */
import { CAddr } from '../core/caddr.js';
import { NotFoundError } from '../core/errors.js';
import { Store } from '../store/store.js';
import { builtins } from './builtins/index.js';
import { FunctionRegistry } from './registry.js';
import { runFunction } from './run-function.js';
import type { ComputeResult, ComputeTask } from './task.js';

const registry = new FunctionRegistry(builtins);
const stores = new Map<string, Store>();

export default async function compute(task: ComputeTask): Promise<ComputeResult> {
  let store = stores.get(task.storeDir);
  if (!store) {
    store = Store.open(task.storeDir);
    stores.set(task.storeDir, store);
  }
  const inputs = task.inputs.map((hex) => {
    const manifest = store.getManifest(CAddr.fromHex(hex));
    if (!manifest) throw new NotFoundError(`input value ${hex} is not stored`);
    return manifest;
  });
  const written = await runFunction(store, registry.get(task.fn), task.params, inputs);
  return { content: written.addr.hex, size: written.manifest.size };
}
