/**
 * The one module that loads Deriva's Rust addon (native/deriva.<platform>.node) and the typed
 * API over it: BLAKE3 in its three modes (plain, keyed, derive-key), extendable output,
 * multithreaded hashing of large inputs, hashing off the JS thread, and an incremental hasher;
 * plus two system calls: a memory one for the store (releaseMappedPages) and a file size as the
 * kernel holds it, for the mount (kernelFileSize). Nothing else in the repo touches the
 * .node file; the deterministic float math it also holds gets its typed API in float.ts, over
 * {@link floatAddon}.
 *
 * Buffer ownership, for every function here: input bytes are read in place, never copied, and
 * never retained after the call returns (`hashAsync`: after its promise settles). Every returned
 * `Buffer` is freshly allocated and owned by the caller; the addon keeps no reference to it.
 *
 * Arguments are checked here first (clear TypeError/RangeError with a Node-style `code`) and again
 * in Rust, so a bad call throws and never crashes the process.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Length of a default BLAKE3 digest, and of a content address. */
export const HASH_BYTES = 32;

/** Length of the key for {@link keyedHash} and {@link Hasher.keyed}. */
export const KEY_BYTES = 32;

/** Largest `outLen` accepted (1 MiB): more extendable output than that is a caller bug. */
export const MAX_OUT_LEN = 1024 * 1024;

/** Inputs (or `update` calls) at least this long are hashed on several threads by default. */
export const PARALLEL_THRESHOLD = 128 * 1024;

interface NativeHasher {
  update(data: Uint8Array, parallel?: boolean): NativeHasher;
  finalize(outLen?: number): Buffer;
}

/** The addon's raw exports (native/src/bindings.rs); positional, unlike the public API. */
interface Addon {
  hash(data: Uint8Array, outLen?: number, parallel?: boolean): Buffer;
  keyedHash(key: Uint8Array, data: Uint8Array, outLen?: number): Buffer;
  deriveKey(context: string, material: Uint8Array, outLen?: number): Buffer;
  hashAsync(data: Uint8Array, parallel?: boolean): Promise<Buffer>;
  releaseMappedPages(path: string): number;
  fileSize(path: Uint8Array, fresh: boolean): Promise<number>;
  Hasher: new (keyOrContext?: Uint8Array | string) => NativeHasher;
  MAX_OUT_LEN: number;
  PARALLEL_THRESHOLD: number;
  /** "name:arity,..." in op-code order (native/src/float.rs). */
  FLOAT_OPS: string;
  /** Little-endian doubles in, a new Buffer of little-endian doubles out. */
  floatApply(op: number, xs: Uint8Array, ys: Uint8Array): Buffer;
  floatStats(xs: Uint8Array): Buffer;
}

/** `deriva.linux-x64-gnu.node` and friends: the file name `napi build --platform` writes. */
function addonFileName(): string {
  const { platform, arch } = process;
  const abi = platform === 'linux' ? '-gnu' : platform === 'win32' ? '-msvc' : '';
  return `deriva.${platform}-${arch}${abi}.node`;
}

function loadAddon(): Addon {
  // src/native and dist/native both sit two levels below the repo root, next to native/.
  const path = fileURLToPath(new URL(`../../native/${addonFileName()}`, import.meta.url));
  if (!existsSync(path)) {
    throw new Error(`Deriva's native addon is not built (${path} is missing): run \`make setup\``);
  }
  const addon = createRequire(import.meta.url)(path) as Addon;
  if (addon.MAX_OUT_LEN !== MAX_OUT_LEN || addon.PARALLEL_THRESHOLD !== PARALLEL_THRESHOLD || typeof addon.FLOAT_OPS !== 'string') {
    throw new Error(`Deriva's native addon at ${path} is stale: run \`make setup\``);
  }
  return addon;
}

const addon = loadAddon();

/** The addon's raw float exports, for float.ts only (which gives them types and checks). */
export const floatAddon: Pick<Addon, 'FLOAT_OPS' | 'floatApply' | 'floatStats'> = addon;

/** Options shared by every function that produces a digest. */
export interface OutputOptions {
  /** Bytes of (extendable) output, 0 to {@link MAX_OUT_LEN}; default {@link HASH_BYTES}. */
  outLen?: number;
}

/** Options for plain hashing. */
export interface HashOptions extends OutputOptions {
  /**
   * Spread the work over rayon's thread pool. Default: true when `data.length` is at least
   * {@link PARALLEL_THRESHOLD}, where it pays off; false forces a single thread.
   */
  parallel?: boolean;
}

function argError(message: string, code: string, Kind: typeof TypeError | typeof RangeError): Error {
  return Object.assign(new Kind(message), { code });
}

function checkBytes(fn: string, param: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw argError(`${fn}: ${param} must be a Uint8Array or Buffer`, 'ERR_INVALID_ARG_TYPE', TypeError);
  }
}

function checkKey(fn: string, key: unknown): asserts key is Uint8Array {
  checkBytes(fn, 'key', key);
  if (key.length !== KEY_BYTES) {
    throw argError(`${fn}: key must be exactly ${KEY_BYTES} bytes, got ${key.length}`, 'ERR_INVALID_KEY_LENGTH', RangeError);
  }
}

function checkContext(fn: string, context: unknown): asserts context is string {
  if (typeof context !== 'string') {
    throw argError(`${fn}: context must be a string`, 'ERR_INVALID_ARG_TYPE', TypeError);
  }
}

function outLenOf(fn: string, outLen: unknown): number {
  if (outLen === undefined) return HASH_BYTES;
  if (typeof outLen !== 'number') {
    throw argError(`${fn}: outLen must be a number`, 'ERR_INVALID_ARG_TYPE', TypeError);
  }
  if (!Number.isInteger(outLen) || outLen < 0 || outLen > MAX_OUT_LEN) {
    throw argError(`${fn}: outLen must be an integer from 0 to ${MAX_OUT_LEN}, got ${outLen}`, 'ERR_OUT_OF_RANGE', RangeError);
  }
  return outLen;
}

function parallelOf(fn: string, parallel: unknown): boolean | undefined {
  if (parallel === undefined) return undefined;
  if (typeof parallel === 'boolean') return parallel;
  throw argError(`${fn}: parallel must be a boolean`, 'ERR_INVALID_ARG_TYPE', TypeError);
}

/**
 * Plain BLAKE3 of `data` (what `b3sum` prints, and the address of a leaf). Uses rayon
 * multithreading automatically when `data.length >= 128 KiB` unless `parallel` is false.
 * `outLen` defaults to 32; more gives BLAKE3's extendable output (the 32-byte digest is its prefix).
 *
 * `data` (a Buffer or any Uint8Array, including a view into a larger ArrayBuffer) is read in place
 * for the duration of the call. Returns a new Buffer the caller owns.
 */
export function hash(data: Uint8Array, options?: HashOptions): Buffer {
  checkBytes('hash', 'data', data);
  return addon.hash(data, outLenOf('hash', options?.outLen), parallelOf('hash', options?.parallel));
}

/**
 * BLAKE3 keyed hash (a MAC / PRF) of `data` under a 32-byte `key`. Large inputs are hashed on
 * several threads. Both arguments are read in place during the call and not retained; returns a
 * new Buffer the caller owns.
 */
export function keyedHash(key: Uint8Array, data: Uint8Array, options?: OutputOptions): Buffer {
  checkKey('keyedHash', key);
  checkBytes('keyedHash', 'data', data);
  return addon.keyedHash(key, data, outLenOf('keyedHash', options?.outLen));
}

/**
 * BLAKE3 derive-key mode: a key (or domain-separated hash) of `material` for the application
 * `context`. The context should be a hardcoded, globally unique string; Deriva uses this mode to
 * address recipes so that no leaf can collide with one. `material` is read in place during the
 * call; returns a new Buffer the caller owns.
 */
export function deriveKey(context: string, material: Uint8Array, options?: OutputOptions): Buffer {
  checkContext('deriveKey', context);
  checkBytes('deriveKey', 'material', material);
  return addon.deriveKey(context, material, outLenOf('deriveKey', options?.outLen));
}

/**
 * Plain 32-byte BLAKE3 of `data`, computed on the libuv thread pool so the JS thread stays free
 * (large inputs also use rayon, as {@link hash} does; `parallel` overrides that). `data` is read
 * in place, not copied, and kept alive until the promise settles: the caller must not mutate,
 * transfer or detach it before then. Resolves to a new Buffer the caller owns; bad arguments
 * reject with a TypeError.
 */
export function hashAsync(data: Uint8Array, options?: Pick<HashOptions, 'parallel'>): Promise<Buffer> {
  try {
    checkBytes('hashAsync', 'data', data);
    return addon.hashAsync(data, parallelOf('hashAsync', options?.parallel));
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Incremental BLAKE3 (wraps Rust's `blake3::Hasher`): feed bytes with {@link Hasher.update} in as
 * many pieces as convenient, read the digest with {@link Hasher.finalize}. The result equals the
 * one-shot function of the same mode over the concatenated input, however it was split.
 *
 * `update` reads its argument in place during the call and keeps no reference to it, so the
 * caller may reuse the buffer right after. The hasher's state lives in native memory, freed when
 * the object is garbage-collected.
 */
export class Hasher {
  #native: NativeHasher;

  /** A plain hasher (same output as {@link hash}). */
  constructor() {
    this.#native = new addon.Hasher();
  }

  /** A keyed hasher (same output as {@link keyedHash}); `key` is copied, so it may be reused. */
  static keyed(key: Uint8Array): Hasher {
    checkKey('Hasher.keyed', key);
    return Hasher.#around(new addon.Hasher(key));
  }

  /** A derive-key hasher for application `context` (same output as {@link deriveKey}). */
  static deriveKey(context: string): Hasher {
    checkContext('Hasher.deriveKey', context);
    return Hasher.#around(new addon.Hasher(context));
  }

  static #around(native: NativeHasher): Hasher {
    const hasher = new Hasher();
    hasher.#native = native;
    return hasher;
  }

  /**
   * Appends `data` (read in place, not retained). Updates of 128 KiB or more use rayon threads
   * unless `parallel` is false (as for {@link hash}).
   */
  update(data: Uint8Array, options?: Pick<HashOptions, 'parallel'>): this {
    checkBytes('Hasher.update', 'data', data);
    this.#native.update(data, parallelOf('Hasher.update', options?.parallel));
    return this;
  }

  /**
   * The digest of everything fed so far: `outLen` bytes (default 32; more is extendable output).
   * Non-destructive, like blake3's `finalize`: more `update`s and `finalize`s may follow.
   * Returns a new Buffer the caller owns.
   */
  finalize(outLen?: number): Buffer {
    return this.#native.finalize(outLenOf('Hasher.finalize', outLen));
  }
}

/**
 * Drops this process's resident pages of every shared memory mapping of the file at `path`
 * (an absolute path, as /proc/self/maps shows it). The pages stay in the kernel's page cache and
 * are mapped in again on the next access, so nothing is lost; the process's resident set stops
 * counting file pages it only read once. Returns the bytes of mappings advised (0 when the
 * file is not mapped).
 */
export function releaseMappedPages(path: string): number {
  if (typeof path !== 'string') throw argError('releaseMappedPages: path must be a string', 'ERR_INVALID_ARG_TYPE', TypeError);
  return addon.releaseMappedPages(path);
}

/**
 * The size of the file at `path` as the kernel holds it (`statx` on the libuv pool). With
 * `fresh`, the kernel first asks the filesystem (AT_STATX_FORCE_SYNC): on a FUSE mount a GETATTR
 * whose answer it applies, unless a reply newer than that GETATTR reached it first, so its
 * page-cache reads are bounded by it from then on; the call also waits for reads in flight past a
 * smaller size to end. Without, the kernel's cached size, no request sent (AT_STATX_DONT_SYNC).
 * Rejects with the OS error (ENOENT, ENOTCONN...).
 */
export function kernelFileSize(path: string, options: { fresh: boolean }): Promise<number> {
  if (typeof path !== 'string') return Promise.reject(argError('kernelFileSize: path must be a string', 'ERR_INVALID_ARG_TYPE', TypeError));
  return addon.fileSize(Buffer.from(path), options.fresh === true);
}
