/**
 * The function registry: every function a recipe may call, by `name@version`. The daemon and
 * each pool worker build the same registry from the same modules, so a recipe means the same
 * thing wherever it runs.
 */
import { UnknownFunctionError } from '../core/errors.js';
import { formatFunctionId, type FunctionId } from '../core/function-id.js';
import type { ComputeFunction } from './function.js';

export class FunctionRegistry {
  private readonly byId = new Map<string, ComputeFunction>();

  constructor(functions: Iterable<ComputeFunction>) {
    for (const fn of functions) {
      const id = formatFunctionId(fn);
      if (this.byId.has(id)) throw new Error(`function ${id} registered twice`);
      this.byId.set(id, fn);
    }
  }

  /** The function for `id`; an unknown name or version is a typed error listing what exists. */
  get(id: FunctionId): ComputeFunction {
    const fn = this.byId.get(formatFunctionId(id));
    if (fn) return fn;
    const versions = this.list()
      .filter((f) => f.name === id.name)
      .map((f) => formatFunctionId(f));
    const hint = versions.length > 0 ? `; available: ${versions.join(', ')}` : "; see 'deriva fn list'";
    throw new UnknownFunctionError(`unknown function ${formatFunctionId(id)}${hint}`);
  }

  /** All functions, sorted by name then version. */
  list(): ComputeFunction[] {
    return [...this.byId.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
  }
}
