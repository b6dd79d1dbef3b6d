/**
 * Reads of structural outputs: no computation. A structural function lays its output out as
 * segments (literal bytes, or ranges of its inputs) from its inputs' sizes; a read maps to
 * input ranges by address arithmetic over that layout, recursively through chains. Layouts of
 * recipes over refs change on a rebinding: one computed while an invalidation ran is used
 * but not remembered (see invalidation-gate.ts).
 */
import { LRUCache } from 'lru-cache';
import type { CAddr } from '../core/caddr.js';
import { plainParams, type Recipe } from '../core/recipe.js';
import type { Store } from '../store/store.js';
import type { Segment, StructuralFunction } from './function.js';
import { boundInputs } from './inputs.js';
import type { InvalidationGate } from './invalidation-gate.js';

/** A structural layout with each segment's start offset, for binary search. */
interface Layout {
  readonly segments: Segment[];
  readonly starts: number[];
  readonly size: number;
}

/** What a structural read needs of whoever reads the inputs (the range reader). */
export interface InputReader {
  size(addr: CAddr): Promise<number>;
  readInto(addr: CAddr, offset: number, target: Uint8Array): Promise<number>;
}

export class StructuralReader {
  private readonly layouts = new LRUCache<string, Layout>({ max: 1_000 });

  constructor(
    private readonly store: Store,
    private readonly gate: InvalidationGate,
    private readonly inputs: InputReader,
  ) {}

  /** The output size over input sizes already known. */
  knownSize(addr: CAddr, recipe: Recipe, fn: StructuralFunction, sizes: number[]): number {
    return this.layout(addr, recipe, fn, sizes).size;
  }

  /** The output size, learning the inputs' sizes (computing what they need). */
  async size(addr: CAddr, recipe: Recipe, fn: StructuralFunction): Promise<number> {
    return (await this.currentLayout(addr, recipe, fn)).layout.size;
  }

  /** Fills `target` with output bytes [start, end), reading the inputs under them. */
  async read(addr: CAddr, recipe: Recipe, fn: StructuralFunction, start: number, end: number, target: Uint8Array): Promise<void> {
    const { inputs, layout: { segments, starts } } = await this.currentLayout(addr, recipe, fn);
    const reads: Promise<unknown>[] = [];
    for (let s = firstSegment(starts, start); s < segments.length && starts[s]! < end; s++) {
      const seg = segments[s]!;
      const from = Math.max(start, starts[s]!);
      const to = Math.min(end, starts[s]! + segLength(seg));
      const into = target.subarray(from - start, to - start);
      if ('bytes' in seg) into.set(seg.bytes.subarray(from - starts[s]!, to - starts[s]!));
      else reads.push(this.inputs.readInto(inputs[seg.input]!, seg.offset + (from - starts[s]!), into));
    }
    await Promise.all(reads);
  }

  /** Forgets the layout of `hex` (its inputs changed, or it was deleted). */
  forget(hex: string): void {
    this.layouts.delete(hex);
  }

  /** The inputs at their bindings now, and the layout over their sizes. */
  private async currentLayout(addr: CAddr, recipe: Recipe, fn: StructuralFunction): Promise<{ inputs: CAddr[]; layout: Layout }> {
    const ticket = this.gate.ticket();
    const inputs = boundInputs(this.store, recipe);
    const sizes = await Promise.all(inputs.map((i) => this.inputs.size(i)));
    return { inputs, layout: this.layout(addr, recipe, fn, sizes, this.gate.mayCache(ticket)) };
  }

  /** The layout over input `sizes`; remembered unless `keep` is false (sizes may be stale). */
  private layout(addr: CAddr, recipe: Recipe, fn: StructuralFunction, sizes: number[], keep = true): Layout {
    let layout = keep ? this.layouts.get(addr.hex) : undefined;
    if (!layout) {
      const segments = fn.layout(sizes, plainParams(recipe)).filter((s) => segLength(s) > 0);
      const starts: number[] = [];
      let size = 0;
      for (const seg of segments) {
        starts.push(size);
        size += segLength(seg);
      }
      layout = { segments, starts, size };
      if (keep) this.layouts.set(addr.hex, layout);
    }
    return layout;
  }
}

function segLength(seg: Segment): number {
  return 'bytes' in seg ? seg.bytes.length : seg.length;
}

/** Index of the segment containing `offset` (starts ascending, first is 0). */
function firstSegment(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
