/**
 * DCF v1 reader: a bounds-checked cursor over the bytes (spec: docs/dcf.md). It accepts exactly
 * what the writer produces; every other input is a DecodeError naming the problem and offset.
 */
import { CADDR_BYTES, CAddr } from './caddr.js';
import { DecodeError } from './errors.js';
import { isFunctionName } from './function-id.js';
import type { ParamValue, Recipe, RecipeInput } from './recipe.js';
import { REF_NAME_RULE, isRefName } from './ref-name.js';
import {
  FIELD_NAMES,
  INPUT_ADDRESS,
  INPUT_NAMED_REF,
  MAGIC,
  MIN_INPUT_BYTES,
  MIN_PARAM_BYTES,
  PARAM_BOOL,
  PARAM_BYTES,
  PARAM_INT,
  PARAM_STRING,
  TAG_FN_NAME,
  TAG_FN_VERSION,
  TAG_INPUTS,
  TAG_PARAMS,
  hex8,
  show,
} from './dcf-format.js';

/** fatal: reject ill-formed UTF-8; ignoreBOM: keep a leading U+FEFF so it re-encodes. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A bounds-checked cursor. Every read checks what remains before touching or allocating. */
class Reader {
  pos = 0;

  constructor(private readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  fail(what: string, at: number = this.pos): never {
    throw new DecodeError(`invalid DCF: ${what} at byte offset ${at}`);
  }

  take(n: number, what: string): Buffer {
    if (n > this.remaining) this.fail(`truncated ${what}: needs ${n} bytes, ${this.remaining} remain`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  u8(what: string): number {
    return this.take(1, what)[0]!;
  }

  u32(what: string): number {
    return this.take(4, what).readUInt32BE(0);
  }

  i64(what: string): bigint {
    return this.take(8, what).readBigInt64BE(0);
  }

  /** u32be length + bytes; the length is checked against the input before anything else. */
  lengthPrefixed(what: string): Buffer {
    const at = this.pos;
    const n = this.u32(`${what} length`);
    if (n > this.remaining) {
      this.fail(`${what} length ${n} runs past the end of input (${this.remaining} bytes remain)`, at);
    }
    return this.take(n, what);
  }

  utf8(what: string): string {
    const bytes = this.lengthPrefixed(what);
    return this.decodeUtf8(bytes, this.pos - bytes.length, what);
  }

  /** Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF); `at` is its offset. */
  decodeUtf8(bytes: Uint8Array, at: number, what: string): string {
    try {
      return UTF8.decode(bytes);
    } catch (err) {
      throw new DecodeError(`invalid DCF: ${what} is not valid UTF-8 at byte offset ${at}`, { cause: err });
    }
  }
}

/**
 * Parses canonical DCF v1 bytes. Rejects, with a DecodeError naming the problem and its byte
 * offset, anything encodeRecipe would not have produced: so `encodeRecipe(decodeRecipe(b))`
 * equals `b` whenever this returns. Decoded params are in canonical (UTF-8 key) order; bytes
 * values and addresses are copies, independent of `bytes`.
 */
export function decodeRecipe(bytes: Uint8Array): Recipe {
  if (!(bytes instanceof Uint8Array)) throw new DecodeError('invalid DCF: input is not a byte array');
  const r = new Reader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  readMagic(r);
  expectTag(r, TAG_FN_NAME);
  const name = readFnName(r);
  expectTag(r, TAG_FN_VERSION);
  const version = readFnVersion(r);
  expectTag(r, TAG_INPUTS);
  const inputs = readInputs(r);
  expectTag(r, TAG_PARAMS);
  const params = readParams(r);
  if (r.remaining > 0) r.fail(`${r.remaining} trailing byte(s) after the params field`);
  return { fn: { name, version }, inputs, params };
}

function readMagic(r: Reader): void {
  const head = r.take(Math.min(MAGIC.length, r.remaining), 'magic');
  if (head.equals(MAGIC)) return;
  if (MAGIC.subarray(0, head.length).equals(head)) {
    r.fail(`truncated magic: needs ${MAGIC.length} bytes, got ${head.length}`, 0);
  }
  if (head.length === MAGIC.length && head.subarray(0, 3).equals(MAGIC.subarray(0, 3))) {
    r.fail(`unsupported DCF version ${head[3]} (this reader knows version 1)`, 3);
  }
  r.fail(`bad magic ${head.toString('hex')}, expected ${MAGIC.toString('hex')} ("DCF\\x01")`, 0);
}

function expectTag(r: Reader, expected: number): void {
  const at = r.pos;
  const want = `${FIELD_NAMES[expected]} (tag ${hex8(expected)})`;
  if (r.remaining === 0) r.fail(`missing field ${want}: input ends`, at);
  const tag = r.u8('tag');
  if (tag === expected) return;
  if (tag < TAG_FN_NAME || tag > TAG_PARAMS) r.fail(`unknown field tag ${hex8(tag)}, expected ${want}`, at);
  const got = `${FIELD_NAMES[tag]} (tag ${hex8(tag)})`;
  if (tag === expected - 1) r.fail(`duplicate field ${got}`, at);
  if (tag < expected) r.fail(`field ${got} out of order, expected ${want}`, at);
  r.fail(`missing field ${want}, found ${got}`, at);
}

function readFnName(r: Reader): string {
  const at = r.pos;
  const name = r.utf8('fn name');
  if (!isFunctionName(name)) r.fail(`fn name ${show(name)} is not a valid function name`, at);
  return name;
}

function readFnVersion(r: Reader): number {
  const at = r.pos;
  const version = r.u32('fn version');
  if (version === 0) r.fail('fn version 0 is not allowed (versions start at 1)', at);
  return version;
}

function readInputs(r: Reader): RecipeInput[] {
  const at = r.pos;
  const count = r.u32('inputs count');
  if (count * MIN_INPUT_BYTES > r.remaining) {
    r.fail(`inputs count ${count} needs at least ${count * MIN_INPUT_BYTES} bytes, ${r.remaining} remain`, at);
  }
  const inputs: RecipeInput[] = [];
  for (let i = 0; i < count; i++) {
    const kindAt = r.pos;
    const kind = r.u8(`kind of input ${i}`);
    if (kind === INPUT_ADDRESS) inputs.push(CAddr.fromBytes(r.take(CADDR_BYTES, `address of input ${i}`)));
    else if (kind === INPUT_NAMED_REF) inputs.push({ ref: readRefName(r, i) });
    else r.fail(`unknown input kind ${hex8(kind)}`, kindAt);
  }
  return inputs;
}

/** A ref name: ASCII by the rule, so a valid name is also well-formed UTF-8. */
function readRefName(r: Reader, i: number): string {
  const at = r.pos;
  const name = r.lengthPrefixed(`ref name of input ${i}`).toString('latin1');
  if (!isRefName(name)) r.fail(`ref name ${show(name)} of input ${i} is not valid (a ref name is ${REF_NAME_RULE})`, at);
  return name;
}

function readParams(r: Reader): Map<string, ParamValue> {
  const at = r.pos;
  const count = r.u32('params count');
  if (count * MIN_PARAM_BYTES > r.remaining) {
    r.fail(`params count ${count} needs at least ${count * MIN_PARAM_BYTES} bytes, ${r.remaining} remain`, at);
  }
  const params = new Map<string, ParamValue>();
  let previous: Buffer | undefined;
  for (let i = 0; i < count; i++) {
    const keyAt = r.pos;
    const keyBytes = r.lengthPrefixed(`key of param ${i}`);
    if (keyBytes.length === 0) r.fail(`param ${i} has an empty key`, keyAt);
    const key = r.decodeUtf8(keyBytes, keyAt + 4, `key of param ${i}`);
    if (previous !== undefined) {
      const order = Buffer.compare(previous, keyBytes);
      if (order === 0) r.fail(`duplicate param key ${show(key)}`, keyAt);
      if (order > 0) r.fail(`param key ${show(key)} is not in increasing UTF-8 byte order`, keyAt);
    }
    previous = keyBytes;
    params.set(key, readValue(r, key));
  }
  return params;
}

function readValue(r: Reader, key: string): ParamValue {
  const at = r.pos;
  const type = r.u8(`type of param ${show(key)}`);
  const what = `value of param ${show(key)}`;
  switch (type) {
    case PARAM_STRING:
      return { type: 'string', value: r.utf8(what) };
    case PARAM_INT:
      return { type: 'int', value: r.i64(what) };
    case PARAM_BOOL: {
      const b = r.u8(what);
      if (b > 1) r.fail(`bool param ${show(key)} has byte ${hex8(b)}, must be 0x00 or 0x01`, at + 1);
      return { type: 'bool', value: b === 1 };
    }
    case PARAM_BYTES:
      return { type: 'bytes', value: new Uint8Array(r.lengthPrefixed(what)) };
    default:
      return r.fail(`unknown type ${hex8(type)} of param ${show(key)}`, at);
  }
}
