/**
 * DCF v1, the canonical byte form of a Recipe (normative spec: docs/dcf.md). A recipe's
 * address is derived from these bytes, so the encoding must be a bijection: encodeRecipe has
 * exactly one output per recipe, and decodeRecipe accepts exactly the bytes encodeRecipe can
 * produce. Every other byte string is a DecodeError saying what is wrong and at which offset.
 * The writer and reader live in dcf-writer.ts and dcf-reader.ts; import them from here.
 */
export { encodeRecipe } from './dcf-writer.js';
export { decodeRecipe } from './dcf-reader.js';
