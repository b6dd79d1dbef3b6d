/**
 * DCF v1 writer: the one canonical byte form of a Recipe (spec: docs/dcf.md). Validates the
 * recipe as it goes, so nothing that decodeRecipe would reject can ever be produced.
 */
import { CADDR_BYTES } from './caddr.js';
import { BadParamError, InvalidAddressError, UnknownFunctionError } from './errors.js';
import { isFunctionName, isFunctionVersion, type FunctionId } from './function-id.js';
import { isRefInput, type ParamValue, type Recipe, type RecipeInput } from './recipe.js';
import { checkRefName } from './ref-name.js';
import {
  I64_MAX,
  I64_MIN,
  INPUT_ADDRESS,
  INPUT_NAMED_REF,
  MAGIC,
  MAX_U32,
  PARAM_BOOL,
  PARAM_BYTES,
  PARAM_INT,
  PARAM_STRING,
  TAG_FN_NAME,
  TAG_FN_VERSION,
  TAG_INPUTS,
  TAG_PARAMS,
  show,
} from './dcf-format.js';

/** Appends big-endian fields to a list of chunks; `finish` joins them once. */
class Writer {
  private readonly chunks: Uint8Array[] = [];

  u8(n: number): void {
    this.chunks.push(Uint8Array.of(n));
  }

  u32(n: number): void {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32BE(n);
    this.chunks.push(b);
  }

  i64(n: bigint): void {
    const b = Buffer.allocUnsafe(8);
    b.writeBigInt64BE(n);
    this.chunks.push(b);
  }

  raw(bytes: Uint8Array): void {
    this.chunks.push(bytes);
  }

  /** u32be length, then the bytes. Callers check the length fits in a u32. */
  lengthPrefixed(bytes: Uint8Array): void {
    this.u32(bytes.length);
    this.raw(bytes);
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/**
 * The canonical DCF v1 bytes of `recipe`. Params are written sorted by the UTF-8 bytes of their
 * keys, so a Map built in any order encodes identically. Throws UnknownFunctionError for an
 * invalid fn id, InvalidAddressError for an input that is not a 32-byte address (or a ref),
 * InvalidRefError for a ref input with an invalid name, and
 * BadParamError (naming the key) for an empty or ill-formed key or an unrepresentable value.
 */
export function encodeRecipe(recipe: Recipe): Buffer {
  checkFunctionId(recipe.fn);
  const w = new Writer();
  w.raw(MAGIC);
  w.u8(TAG_FN_NAME);
  w.lengthPrefixed(Buffer.from(recipe.fn.name, 'utf8'));
  w.u8(TAG_FN_VERSION);
  w.u32(recipe.fn.version);
  w.u8(TAG_INPUTS);
  writeInputs(w, recipe.inputs);
  w.u8(TAG_PARAMS);
  writeParams(w, recipe.params);
  return w.finish();
}

function checkFunctionId(fn: FunctionId): void {
  if (typeof fn?.name !== 'string' || !isFunctionName(fn.name)) {
    throw new UnknownFunctionError(`cannot encode recipe: ${show(fn?.name)} is not a valid function name`);
  }
  if (!isFunctionVersion(fn.version)) {
    throw new UnknownFunctionError(
      `cannot encode recipe: version ${show(fn.version)} of '${fn.name}' is not an integer in 1..2^32-1`,
    );
  }
}

function writeInputs(w: Writer, inputs: readonly RecipeInput[]): void {
  inputs.forEach((input, i) => {
    if (input !== null && typeof input === 'object' && 'ref' in input) {
      checkRefName(input.ref);
      return;
    }
    const bytes: unknown = (input as { bytes?: unknown } | undefined)?.bytes;
    if (!(bytes instanceof Uint8Array) || bytes.length !== CADDR_BYTES) {
      throw new InvalidAddressError(`cannot encode recipe: input ${i} is not a ${CADDR_BYTES}-byte address or a ref`);
    }
  });
  w.u32(inputs.length);
  for (const input of inputs) {
    if (isRefInput(input)) {
      w.u8(INPUT_NAMED_REF);
      w.lengthPrefixed(Buffer.from(input.ref, 'ascii')); // checked above: ASCII only
    } else {
      w.u8(INPUT_ADDRESS);
      w.raw(input.bytes);
    }
  }
}

function writeParams(w: Writer, params: ReadonlyMap<string, ParamValue>): void {
  const entries = [...params].map(([key, param]) => ({ key, keyBytes: keyBytes(key), param }));
  entries.sort((a, b) => Buffer.compare(a.keyBytes, b.keyBytes));
  w.u32(entries.length);
  for (const { key, keyBytes, param } of entries) {
    w.lengthPrefixed(keyBytes);
    writeValue(w, key, param);
  }
}

function keyBytes(key: string): Buffer {
  if (typeof key !== 'string') throw new BadParamError(String(key), 'key is not a string');
  if (key.length === 0) throw new BadParamError(key, 'key is empty');
  return utf8Bytes(key, key, 'key');
}

function writeValue(w: Writer, key: string, param: ParamValue): void {
  const { type, value } = param ?? {};
  if (type === 'string' && typeof value === 'string') {
    w.u8(PARAM_STRING);
    w.lengthPrefixed(utf8Bytes(value, key, 'string value'));
  } else if (type === 'int' && typeof value === 'bigint') {
    if (value < I64_MIN || value > I64_MAX) throw new BadParamError(key, `int ${value} is outside the i64 range`);
    w.u8(PARAM_INT);
    w.i64(value);
  } else if (type === 'bool' && typeof value === 'boolean') {
    w.u8(PARAM_BOOL);
    w.u8(value ? 1 : 0);
  } else if (type === 'bytes' && value instanceof Uint8Array) {
    if (value.length > MAX_U32) throw new BadParamError(key, 'bytes value is longer than 2^32-1 bytes');
    w.u8(PARAM_BYTES);
    w.lengthPrefixed(value);
  } else {
    throw new BadParamError(key, `not a valid typed value (type ${show(type)}, value of JS type ${typeof value})`);
  }
}

/** UTF-8 of a well-formed string; lone surrogates would silently become U+FFFD, so refuse. */
function utf8Bytes(s: string, key: string, what: string): Buffer {
  if (!(s as string & { isWellFormed(): boolean }).isWellFormed()) {
    throw new BadParamError(key, `${what} is not well-formed Unicode (lone surrogate)`);
  }
  const bytes = Buffer.from(s, 'utf8');
  if (bytes.length > MAX_U32) throw new BadParamError(key, `${what} is longer than 2^32-1 bytes`);
  return bytes;
}
