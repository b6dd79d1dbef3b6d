/**
 * How the size and the bytes of a recipe's output are found, by its function's kind: one
 * reader object per kind, chosen once when the recipe is decoded.
 *
 * - chunkwise: as long as its input; a read computes only the chunks it touches
 *   (chunkwise-outputs.ts);
 * - structural: sized by its layout over its inputs' sizes; a read maps to input ranges, no
 *   computation (structural-reader.ts);
 * - streaming: bounded by its function over its input's bound; a read is served by the one run
 *   computing it, waiting only for the bytes asked for (streams.ts);
 * - whole: the output is materialized once by the executor, then read.
 */
import type { LRUCache } from 'lru-cache';
import type { CAddr } from '../core/caddr.js';
import { plainParams, type Recipe } from '../core/recipe.js';
import type { EngineObserver } from '../metrics/observer.js';
import type { Store } from '../store/store.js';
import { readIntoLoaded } from '../store/value-reader.js';
import type { ChunkwiseOutputs } from './chunkwise-outputs.js';
import type { FailureLog } from './failure-log.js';
import type { ComputeFunction, StreamingFunction } from './function.js';
import { boundInput, boundInputs } from './inputs.js';
import type { Materialized } from './outcome.js';
import type { StructuralReader } from './structural-reader.js';
import type { ValueLookup } from './value-lookup.js';

/** Size and bytes of one recipe's output (its function's kind decides how). */
export interface KindReader {
  /** The size when it follows from what is known, computing nothing. */
  knownSize(addr: CAddr, recipe: Recipe): number | undefined;
  /** An upper bound on the size (when not known), computing as little as possible. */
  sizeBound(addr: CAddr, recipe: Recipe): Promise<number>;
  /** The size (when not known), computing what it needs. */
  size(addr: CAddr, recipe: Recipe): Promise<number>;
  /** Fills `target` from `offset` on; the count, short at the end. Not for a cached output. */
  read(addr: CAddr, recipe: Recipe, offset: number, target: Uint8Array): Promise<number>;
}

/** Sizes of any value, known or computed (the range reader, recursively). */
export interface Sizes {
  knownSize(addr: CAddr): number | undefined;
  sizeBound(addr: CAddr): Promise<number>;
  size(addr: CAddr): Promise<number>;
}

/** Where whole outputs are materialized (the executor). */
export interface WholeMaterializer {
  resolve(addr: CAddr): Promise<Materialized>;
}

/** Where streaming outputs are read while they are computed (StreamRuns). */
export interface StreamReads {
  readInto(addr: CAddr, recipe: Recipe, fn: StreamingFunction, offset: number, target: Uint8Array): Promise<number>;
}

export interface KindContext {
  readonly store: Store;
  readonly sizes: Sizes;
  readonly lookup: ValueLookup;
  readonly materializer: WholeMaterializer;
  readonly streams: StreamReads;
  readonly chunkwise: ChunkwiseOutputs;
  readonly structural: StructuralReader;
  readonly failures: FailureLog;
  readonly observer: EngineObserver;
  /** Size bounds of streaming outputs not yet computed, to weigh reads of them. */
  readonly bounds: LRUCache<string, number>;
}

/** The reader for recipes of function `fn`. */
export function kindReader(fn: ComputeFunction, ctx: KindContext): KindReader {
  switch (fn.kind) {
    case 'chunkwise':
      return {
        knownSize: (_addr, recipe) => ctx.sizes.knownSize(firstInput(ctx, recipe)),
        sizeBound: (_addr, recipe) => ctx.sizes.sizeBound(firstInput(ctx, recipe)),
        size: (_addr, recipe) => ctx.sizes.size(firstInput(ctx, recipe)),
        read: (addr, recipe, offset, target) =>
          readClamped(ctx, addr, offset, target, (total, start, end) => ctx.chunkwise.read(addr, recipe, total, start, end, target)),
      };
    case 'structural':
      return {
        knownSize: (addr, recipe) => {
          const sizes = boundInputs(ctx.store, recipe).map((i) => ctx.sizes.knownSize(i));
          return sizes.every((s) => s !== undefined) ? ctx.structural.knownSize(addr, recipe, fn, sizes as number[]) : undefined;
        },
        sizeBound: (addr) => ctx.sizes.size(addr),
        size: (addr, recipe) => ctx.structural.size(addr, recipe, fn),
        read: (addr, recipe, offset, target) =>
          readClamped(ctx, addr, offset, target, (_total, start, end) => ctx.structural.read(addr, recipe, fn, start, end, target)),
      };
    case 'streaming':
      return {
        knownSize: () => undefined,
        sizeBound: async (addr, recipe) => {
          const bound = fn.maxSize(await ctx.sizes.sizeBound(firstInput(ctx, recipe)), plainParams(recipe));
          ctx.bounds.set(addr.hex, bound);
          return bound;
        },
        size: async (addr) => (await ctx.materializer.resolve(addr)).size,
        read: (addr, recipe, offset, target) => {
          ctx.observer.onCacheLookup('output', false); // served by the run computing it
          ctx.failures.admitFor(addr, recipe.fn);
          return ctx.streams.readInto(addr, recipe, fn, Math.max(0, offset), target);
        },
      };
    case 'whole':
      return {
        knownSize: () => undefined,
        sizeBound: (addr) => ctx.sizes.size(addr),
        size: async (addr) => (await ctx.materializer.resolve(addr)).size,
        read: async (addr, _recipe, offset, target) =>
          readIntoLoaded(ctx.store, ctx.lookup.manifest((await ctx.materializer.resolve(addr)).content), offset, target),
      };
  }
}

/** Input `0` of `recipe` as the address to read now (a ref at its current binding). */
function firstInput(ctx: KindContext, recipe: Recipe): CAddr {
  return boundInput(ctx.store, recipe.inputs[0]!);
}

/** Reads [offset, offset + target.length) clamped to the output's size, by `read`. */
async function readClamped(
  ctx: KindContext, addr: CAddr, offset: number, target: Uint8Array,
  read: (total: number, start: number, end: number) => Promise<void>,
): Promise<number> {
  const total = await ctx.sizes.size(addr);
  const start = Math.max(0, Math.min(offset, total));
  const end = Math.min(total, start + target.length);
  if (end === start) return 0;
  await read(total, start, end);
  return end - start;
}
