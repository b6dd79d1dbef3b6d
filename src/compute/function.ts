/**
 * What a compute function is. A function declares its versioned name, its param schema, how
 * many inputs it takes, and its kind, which tells the executor how output bytes relate to input
 * bytes (see ARCHITECTURE.md, "Compute"):
 *
 * - chunkwise: output byte i depends only on input byte i (same size); any range computes alone.
 * - structural: output is a layout of input ranges and literal bytes; no compute at all.
 * - streaming: a stateful transformer fed input bytes in order, emitting output as it goes.
 * - whole: needs every input in full at once.
 *
 * Bodies are synchronous and pure: they run inside pool workers, never on the main thread, and
 * must give the same bytes for the same inputs and params on any machine.
 */
import type { ParamType, PlainParam } from '../core/recipe.js';

/** Params as a function body receives them: validated, coerced, defaults filled in. */
export type Params = ReadonlyMap<string, PlainParam>;

/** One declared parameter. */
export interface ParamSpec {
  readonly type: ParamType;
  /** Shown by `deriva fn list`. */
  readonly doc: string;
  /** Used when the recipe omits the param; a param with no default is required. */
  readonly default?: PlainParam;
  /** Extra validation beyond the type: returns a message naming what is wrong, or undefined. */
  readonly check?: (value: PlainParam) => string | undefined;
}

interface FunctionBase {
  readonly name: string;
  readonly version: number;
  /** One line for `deriva fn list`. */
  readonly doc: string;
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** Accepted input counts; `max` undefined means unbounded. */
  readonly inputs: { readonly min: number; readonly max?: number };
  /**
   * True for functions that compute with floating point. They must do all of it through the
   * addon's deterministic math (src/native/float.ts), and the daemon's float policy may refuse
   * them (float-policy.ts).
   */
  readonly usesFloat?: boolean;
  /**
   * Checks that involve several params at once, run after each param passed its own check:
   * returns the param to blame and what is wrong, or undefined.
   */
  readonly checkParams?: (params: Params) => { readonly param: string; readonly message: string } | undefined;
}

/** Output byte i is a function of input byte i and its absolute offset i; one input. */
export interface ChunkwiseFunction extends FunctionBase {
  readonly kind: 'chunkwise';
  /**
   * Maps `input`, which starts at absolute offset `offset`, to output of the same length,
   * written into `out` (the caller owns the memory, so a worker can reuse one buffer).
   */
  map(input: Uint8Array, offset: number, params: Params, out: Uint8Array): void;
}

/** A piece of a structural output: a range of one input, or literal bytes. */
export type Segment =
  | { readonly input: number; readonly offset: number; readonly length: number }
  | { readonly bytes: Uint8Array };

/** Output is a concatenation of input ranges and literals, known from input sizes alone. */
export interface StructuralFunction extends FunctionBase {
  readonly kind: 'structural';
  layout(inputSizes: readonly number[], params: Params): Segment[];
}

/** State of one streaming run. */
export interface Transformer {
  /** Feeds the next input bytes; returns the output now ready (possibly none). */
  push(input: Uint8Array): Uint8Array[];
  /** Input has ended; returns the rest of the output. */
  finish(): Uint8Array[];
  /** Set once no further input can change the output (e.g. head-lines has its n lines). */
  readonly done?: boolean;
}

/** Consumes its one input in order and yields output progressively. */
export interface StreamingFunction extends FunctionBase {
  readonly kind: 'streaming';
  start(params: Params): Transformer;
  /**
   * An upper bound on the output size for an input of `inputSize` bytes, never below the true
   * size and non-decreasing in `inputSize`. The mount reports it as a file's size until the
   * output is computed (the kernel reads no further than a file's size; a short read at the
   * real end then sets the exact size). Output beyond it fails the computation.
   */
  maxSize(inputSize: number, params: Params): number;
}

/** Needs all of its inputs at once. */
export interface WholeFunction extends FunctionBase {
  readonly kind: 'whole';
  compute(inputs: readonly Uint8Array[], params: Params): Uint8Array;
}

export type ComputeFunction = ChunkwiseFunction | StructuralFunction | StreamingFunction | WholeFunction;

export type FunctionKind = ComputeFunction['kind'];

/** Reads an int param as a JS number, for params whose check already bounds them. */
export function intParam(params: Params, key: string): number {
  const v = params.get(key);
  if (typeof v !== 'bigint') throw new TypeError(`param '${key}' is not an int`);
  return Number(v);
}

export function stringParam(params: Params, key: string): string {
  const v = params.get(key);
  if (typeof v !== 'string') throw new TypeError(`param '${key}' is not a string`);
  return v;
}

export function boolParam(params: Params, key: string): boolean {
  const v = params.get(key);
  if (typeof v !== 'boolean') throw new TypeError(`param '${key}' is not a bool`);
  return v;
}

export function bytesParam(params: Params, key: string): Uint8Array {
  const v = params.get(key);
  if (!(v instanceof Uint8Array)) throw new TypeError(`param '${key}' is not bytes`);
  return v;
}
