/**
 * Test helpers for the builtins: run any ComputeFunction on whole inputs the way the executor
 * would (structural: apply the layout; chunkwise: map random chunks at their absolute offsets;
 * streaming: push random pieces, then finish; whole: compute), and run the independent tools
 * (coreutils, python3) the results are compared against.
 */
import { spawn } from 'node:child_process';
import fc from 'fast-check';
import type { ComputeFunction, Params, Segment } from '../../../src/compute/function.js';
import type { PlainParam } from '../../../src/core/recipe.js';

export type RawParams = Record<string, PlainParam>;

/** Validates and fills params as the registry would: unknown, missing, mistyped or failing check throws. */
export function resolveParams(fn: ComputeFunction, raw: RawParams = {}): Params {
  for (const key of Object.keys(raw)) {
    if (!(key in fn.params)) throw new Error(`${fn.name}: unknown param '${key}'`);
  }
  const params = new Map<string, PlainParam>();
  for (const [key, spec] of Object.entries(fn.params)) {
    const value = raw[key] ?? spec.default;
    if (value === undefined) throw new Error(`${fn.name}: param '${key}' is required`);
    const type = typeof value === 'bigint' ? 'int' : typeof value === 'string' ? 'string'
      : typeof value === 'boolean' ? 'bool' : 'bytes';
    if (type !== spec.type) throw new Error(`${fn.name}: param '${key}' must be ${spec.type}`);
    const problem = spec.check?.(value);
    if (problem !== undefined) throw new Error(`${fn.name}: param '${key}': ${problem}`);
    params.set(key, value);
  }
  return params;
}

/** A small seeded PRNG (mulberry32) returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How input is cut into pieces: all at once, one byte at a time, or random sizes from a seed. */
export type Split = 'whole' | 'bytes' | { readonly seed: number };

/** `data` cut into pieces per `split`; random pieces are mostly small, sometimes empty or large. */
export function splitBytes(data: Uint8Array, split: Split): Uint8Array[] {
  if (split === 'whole') return [data];
  if (split === 'bytes') return Array.from(data, (_, i) => data.subarray(i, i + 1));
  const next = prng(split.seed);
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < data.length; ) {
    const r = next();
    const size = r < 0.05 ? 0 : r < 0.6 ? 1 + Math.floor(next() * 8) : Math.floor(next() * (data.length / 2 + 2));
    pieces.push(data.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

function applyLayout(segments: readonly Segment[], inputs: readonly Uint8Array[]): Uint8Array {
  return Buffer.concat(segments.map((s) => {
    if ('bytes' in s) return s.bytes;
    const input = inputs[s.input];
    if (input === undefined || s.offset < 0 || s.length < 0 || s.offset + s.length > input.length) {
      throw new Error(`segment out of range: ${JSON.stringify(s)}`);
    }
    return input.subarray(s.offset, s.offset + s.length);
  }));
}

/**
 * Runs `fn` on whole `inputs`. Streaming pieces are pushed from fresh buffers that are
 * scribbled over after each push, so a transformer that keeps, or returns, views of its input
 * gives wrong output.
 * When a transformer reports `done`, pushing stops (as the executor may) unless `ignoreDone`.
 */
export function run(fn: ComputeFunction, inputs: readonly Uint8Array[], raw: RawParams = {},
  split: Split = 'whole', ignoreDone = false): Buffer {
  const params = resolveParams(fn, raw);
  const inCount = inputs.length;
  if (inCount < fn.inputs.min || (fn.inputs.max !== undefined && inCount > fn.inputs.max)) {
    throw new Error(`${fn.name}: bad input count ${inCount}`);
  }
  switch (fn.kind) {
    case 'structural':
      return Buffer.from(applyLayout(fn.layout(inputs.map((i) => i.length), params), inputs));
    case 'chunkwise': {
      let offset = 0;
      return Buffer.concat(splitBytes(inputs[0]!, split).map((piece) => {
        // Not zeroed: a function must write every output byte, whatever the buffer held.
        const out = new Uint8Array(piece.length).fill(0xa5);
        fn.map(piece, offset, params, out);
        offset += piece.length;
        return out;
      }));
    }
    case 'streaming': {
      const tr = fn.start(params);
      const out: Uint8Array[] = [];
      for (const piece of splitBytes(inputs[0]!, split)) {
        if (tr.done === true && !ignoreDone) break;
        const fresh = Uint8Array.from(piece);
        out.push(...tr.push(fresh));
        fresh.fill(0xa5);
      }
      out.push(...tr.finish());
      const result = Buffer.concat(out);
      const bound = fn.maxSize(inputs[0]!.length, params);
      if (result.length > bound) throw new Error(`${fn.name}: ${result.length} output bytes exceed maxSize ${bound}`);
      return result;
    }
    case 'whole':
      return Buffer.from(fn.compute(inputs, params));
  }
}

/**
 * Runs `fn` whole, one byte at a time (for inputs up to `byteLimit`) and in random pieces from
 * `seed`; throws unless all agree; returns the output.
 */
export function runSplits(fn: ComputeFunction, input: Uint8Array, raw: RawParams, seed: number,
  byteLimit = 1 << 16): Buffer {
  const whole = run(fn, [input], raw, 'whole');
  const splits: Split[] = [{ seed }, { seed: seed ^ 0x5bd1e995 }];
  if (input.length <= byteLimit) splits.push('bytes');
  for (const split of splits) {
    const got = run(fn, [input], raw, split);
    if (!got.equals(whole)) {
      throw new Error(`${fn.name}: output differs when split ${JSON.stringify(split)}:\n`
        + `whole ${whole.toString('hex')}\nsplit ${got.toString('hex')}`);
    }
  }
  return whole;
}

/** Throws (so fast-check shrinks and reports the input) unless `actual` equals `expected`. */
export function expectSame(actual: Uint8Array, expected: Uint8Array, what: string): void {
  if (!Buffer.from(actual).equals(Buffer.from(expected))) {
    throw new Error(`${what}: output differs\nexpected ${show(expected)}\nactual   ${show(actual)}`);
  }
}

function show(bytes: Uint8Array): string {
  const b = Buffer.from(bytes);
  return b.length > 200 ? `${b.length} bytes, starting ${JSON.stringify(b.subarray(0, 200).toString('latin1'))}`
    : JSON.stringify(b.toString('latin1'));
}

/** Runs `cmd` with `LC_ALL=C`, feeding `input` on stdin; resolves with stdout. */
export function tool(cmd: string, args: readonly string[], input: Uint8Array,
  okCodes: readonly number[] = [0]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, LC_ALL: 'C' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (okCodes.includes(code ?? -1)) resolve(Buffer.concat(out));
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString()}`));
    });
    child.stdin.on('error', () => undefined); // a tool may exit before reading all input
    child.stdin.end(input);
  });
}

/** The python3 interpreter itself: version-manager shims on PATH can cost 100+ ms per spawn. */
let pythonPath: Promise<string> | undefined;

/** Runs a python3 snippet that reads stdin bytes as `data` and writes bytes to stdout. */
export async function python(code: string, input: Uint8Array, args: readonly string[] = []): Promise<Buffer> {
  pythonPath ??= tool('python3', ['-c', 'import sys; print(sys.executable)'], new Uint8Array(0))
    .then((out) => out.toString().trim());
  const prelude = 'import sys, gzip, zlib\ndata = sys.stdin.buffer.read()\nargv = sys.argv[1:]\n';
  return tool(await pythonPath, ['-c', prelude + code, ...args], input);
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Tokens the default byte generator mixes: line ends, whitespace, case, NUL, bytes >= 0x80. */
export const TOKENS: readonly string[] = [
  'a', 'b', 'ab', 'abc', 'A', 'Z', 'z', 'Hello', ',', '\n', '\n', '\n\n', '\r\n', ' ', '\t', '\v',
  '\f', '\r', '\0', 'é', '€',
];

/**
 * Random byte strings built from `tokens` (strings, UTF-8) and arbitrary bytes, so inputs hit
 * the interesting cases (empty, only newlines, CRLF, no final newline, high bytes) often.
 */
export function bytesArb(tokens: readonly string[] = TOKENS, maxPieces = 80): fc.Arbitrary<Uint8Array> {
  const piece = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...tokens.map(enc)) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 4 }) },
  );
  return fc.array(piece, { maxLength: maxPieces }).map((ps) => new Uint8Array(Buffer.concat(ps)));
}

/** A seed for random splits. */
export const seedArb = fc.integer({ min: 0, max: 0x7fffffff });

/** Shared fast-check settings: enough runs to find edge cases, each spawning a process. */
export const RUNS = { numRuns: 60 } as const;

export { enc };
