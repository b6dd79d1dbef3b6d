/**
 * Shared helpers for the DCF tests: a byte builder for writing encodings by hand from the spec,
 * the golden-fixture description format, a normal form for comparing recipes, and fast-check
 * arbitraries for recipes.
 */
import fc from 'fast-check';
import { CAddr } from '../../src/core/caddr.js';
import { inputFromText, inputText, type ParamValue, type Recipe, type RecipeInput } from '../../src/core/recipe.js';

export type Part = number | readonly number[] | Uint8Array | string;

/**
 * Concatenates parts: a number is one byte, arrays and Uint8Arrays are raw bytes, and a string
 * is hex (spaces allowed) so encodings can be written byte by byte as in docs/dcf.md.
 */
export function bytes(...parts: Part[]): Buffer {
  return Buffer.concat(
    parts.map((p) => {
      if (typeof p === 'number') return Buffer.of(p);
      if (typeof p === 'string') return Buffer.from(p.replace(/\s+/g, ''), 'hex');
      return Buffer.from(p);
    }),
  );
}

export function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

export function i64(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(n);
  return b;
}

/** u32be length + UTF-8 (or raw bytes), as DCF writes strings, keys and bytes values. */
export function lp(s: string | Uint8Array): Buffer {
  const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s);
  return Buffer.concat([u32(b.length), b]);
}

export const MAGIC = '44 43 46 01';

/**
 * A recipe in the fixture's JSON form: ints as decimal strings, bytes and addresses as hex,
 * ref inputs as `ref:NAME`.
 */
export interface RecipeJson {
  fn: { name: string; version: number };
  inputs: string[];
  params: { key: string; type: ParamValue['type']; value: string | boolean }[];
}

export interface GoldenVector {
  name: string;
  recipe: RecipeJson;
  dcf: string;
  address: string;
  dcfLeafAddress: string;
}

/** Builds the Recipe a fixture describes, inserting params in the order the fixture lists them. */
export function recipeFromJson(j: RecipeJson): Recipe {
  const params = new Map<string, ParamValue>();
  for (const p of j.params) params.set(p.key, paramFromJson(p));
  return { fn: { ...j.fn }, inputs: j.inputs.map(inputFromText), params };
}

function paramFromJson(p: RecipeJson['params'][number]): ParamValue {
  switch (p.type) {
    case 'string':
      return { type: 'string', value: p.value as string };
    case 'int':
      return { type: 'int', value: BigInt(p.value as string) };
    case 'bool':
      return { type: 'bool', value: p.value as boolean };
    case 'bytes':
      return { type: 'bytes', value: new Uint8Array(Buffer.from(p.value as string, 'hex')) };
  }
}

/**
 * A plain, order-preserving form of a recipe for deep comparison: params stay in Map order
 * (so callers can assert that order), bytes become hex and bigints decimal strings.
 */
export function normalize(r: Recipe): unknown {
  return {
    fn: { name: r.fn.name, version: r.fn.version },
    inputs: r.inputs.map(inputText),
    params: [...r.params].map(([k, p]) => [k, p.type, plain(p)]),
  };
}

/** Same as normalize but with params sorted by UTF-8 key bytes: equal for equal recipes. */
export function canonical(r: Recipe): unknown {
  const n = normalize(r) as { params: [string, string, string][] };
  n.params.sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
  return n;
}

function plain(p: ParamValue): string {
  if (p.type === 'bytes') return `hex:${Buffer.from(p.value).toString('hex')}`;
  return `${typeof p.value}:${String(p.value)}`;
}

// ---------------------------------------------------------------------------------------------
// fast-check arbitraries

const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

export const fnNameArb = fc
  .array(fc.stringMatching(/^[a-z0-9]{1,12}$/), { minLength: 1, maxLength: 5 })
  .map((words) => `x${words.join('-')}`.slice(0, 64).replace(/-+$/, ''));

export const addrArb = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => CAddr.fromBytes(b));

/** Valid ref names, biased to short ones and to the 128-byte limit. */
export const refNameArb = fc
  .oneof(fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/), fc.stringMatching(/^[A-Za-z0-9._-]{120,128}$/))
  .filter((n) => n.length <= 128 && n !== '.' && n !== '..');

export const inputArb: fc.Arbitrary<RecipeInput> = fc.oneof(addrArb, refNameArb.map((ref) => ({ ref })));

/** Keys and strings over all of Unicode (well-formed), biased to short and to the BMP edges. */
const textArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('a', 'B', '\u00e9', '\uff5e', '\ue000', '\u{1F600}', '\u{10000}', '\0'), maxLength: 6 }),
);

export const paramValueArb: fc.Arbitrary<ParamValue> = fc.oneof(
  textArb.map((value) => ({ type: 'string' as const, value })),
  fc.oneof(fc.bigInt({ min: I64_MIN, max: I64_MAX }), fc.constantFrom(I64_MIN, I64_MAX, 0n, -1n)).map(
    (value) => ({ type: 'int' as const, value }),
  ),
  fc.boolean().map((value) => ({ type: 'bool' as const, value })),
  fc.uint8Array({ maxLength: 40 }).map((value) => ({ type: 'bytes' as const, value })),
);

export const paramEntriesArb = fc.uniqueArray(fc.tuple(textArb.filter((k) => k.length > 0), paramValueArb), {
  maxLength: 8,
  selector: ([k]) => k,
});

export const recipeArb: fc.Arbitrary<Recipe> = fc.record({
  fn: fc.record({ name: fnNameArb, version: fc.oneof(fc.integer({ min: 1, max: 0xffff_ffff }), fc.constant(0xffff_ffff)) }),
  inputs: fc.array(inputArb, { maxLength: 6 }),
  params: paramEntriesArb.map((entries) => new Map(entries)),
});
