/**
 * Loads the deterministic float math compiled to wasm32 (`make wasm`: native/wasm/float_wasm.rs
 * over the same Rust sources as the addon, built by Debian's rustc) into Node's WebAssembly, with
 * the same batch API shape as src/native/float.ts, so tests can compare the two bit for bit.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FLOAT_WASM = fileURLToPath(new URL('../../native/target/wasm32/deriva_float.wasm', import.meta.url));

/** The slice of the WebAssembly API used here (tsconfig's lib has no DOM types, where it lives). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

interface Exports {
  memory: { buffer: ArrayBuffer };
  prepare(n: number, m: number): void;
  xs_ptr(): number;
  ys_ptr(): number;
  out_ptr(): number;
  op_count(): number;
  apply(op: number): number;
  stats(): void;
}

export interface FloatWasm {
  readonly opCount: number;
  /** Same contract as the addon's floatApply: op code, xs, ys (empty, one, or xs.length). */
  map(op: number, xs: Float64Array, ys: Float64Array): Float64Array;
  stats(xs: Float64Array): Float64Array;
}

export function loadFloatWasm(): FloatWasm {
  if (!existsSync(FLOAT_WASM)) throw new Error(`${FLOAT_WASM} is missing: run \`make wasm\``);
  const module = new WebAssembly.Module(readFileSync(FLOAT_WASM));
  const wasm = new WebAssembly.Instance(module, {}).exports as Exports;
  // Views are made after prepare(): growing memory detaches the old ArrayBuffer.
  const view = (ptr: number, n: number) => new Float64Array(wasm.memory.buffer, ptr, n);
  const load = (xs: Float64Array, ys: Float64Array) => {
    wasm.prepare(xs.length, ys.length);
    view(wasm.xs_ptr(), xs.length).set(xs);
    view(wasm.ys_ptr(), ys.length).set(ys);
  };
  return {
    opCount: wasm.op_count(),
    map(op, xs, ys) {
      load(xs, ys);
      if (wasm.apply(op) !== 0) throw new RangeError(`wasm apply(${op}) rejected its arguments`);
      return view(wasm.out_ptr(), xs.length).slice();
    },
    stats(xs) {
      load(xs, new Float64Array(0));
      wasm.stats();
      return view(wasm.out_ptr(), 7).slice();
    },
  };
}
