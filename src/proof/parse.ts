/**
 * Checks that untrusted JSON (a proof file) is a well-formed proof record, field by field,
 * before anything is hashed or verified: a verifier must say exactly what is wrong with what it
 * was given, not fail somewhere deeper.
 */
import { PROOF_VERSION, type ProofRecord } from './record.js';

const HEX64 = /^[0-9a-f]{64}$/;

/** 64 lowercase hex digits: an address or hash as proofs and chains write them. */
export function isHex64(value: unknown): value is string {
  return typeof value === 'string' && HEX64.test(value);
}
const HEX128 = /^[0-9a-f]{128}$/;
const HEX = /^(?:[0-9a-f]{2})+$/;

const RECORD_FIELDS = ['v', 'recipe', 'dcf', 'inputs', 'output', 'size', 'node', 'time', 'sig'];
const LEAF_FIELDS = ['leaf', 'ref'];
const RECIPE_FIELDS = ['recipe', 'output', 'proof', 'ref'];

/** The record, or a message naming the first field that is wrong. */
export function parseRecord(value: unknown): ProofRecord | string {
  if (!isObject(value)) return 'a proof must be a JSON object';
  const extra = unexpected(value, RECORD_FIELDS);
  if (extra) return extra;
  if (value.v !== PROOF_VERSION) return `unsupported proof version ${JSON.stringify(value.v)} (this verifier reads ${PROOF_VERSION})`;
  const wrong =
    hexField(value, 'recipe', HEX64, '64 lowercase hex digits') ??
    hexField(value, 'dcf', HEX, 'lowercase hex bytes') ??
    hexField(value, 'output', HEX64, '64 lowercase hex digits') ??
    intField(value, 'size') ??
    hexField(value, 'node', HEX64, '64 lowercase hex digits (an Ed25519 public key)') ??
    intField(value, 'time') ??
    hexField(value, 'sig', HEX128, '128 lowercase hex digits (an Ed25519 signature)');
  if (wrong) return wrong;
  if (!Array.isArray(value.inputs)) return "field 'inputs' must be an array";
  for (const [i, input] of value.inputs.entries()) {
    const bad = inputProblem(input);
    if (bad) return `inputs[${i}]: ${bad}`;
  }
  return value as unknown as ProofRecord;
}

function inputProblem(input: unknown): string | undefined {
  if (!isObject(input)) return 'an input must be a JSON object';
  if (input.ref !== undefined && typeof input.ref !== 'string') return "field 'ref' must be a string";
  if ('leaf' in input) return unexpected(input, LEAF_FIELDS) ?? hexField(input, 'leaf', HEX64, '64 lowercase hex digits');
  if (!('recipe' in input)) return "an input needs a 'leaf' or a 'recipe' field";
  const wrong = unexpected(input, RECIPE_FIELDS) ?? hexField(input, 'recipe', HEX64, '64 lowercase hex digits');
  if (wrong) return wrong;
  if (('output' in input) !== ('proof' in input)) return "'output' and 'proof' go together: both or neither";
  if (!('output' in input)) return undefined;
  return hexField(input, 'output', HEX64, '64 lowercase hex digits') ?? hexField(input, 'proof', HEX64, '64 lowercase hex digits');
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unexpected(value: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  const extra = Object.keys(value).find((k) => !allowed.includes(k));
  return extra === undefined ? undefined : `unexpected field '${extra}'`;
}

function hexField(value: Record<string, unknown>, key: string, shape: RegExp, what: string): string | undefined {
  const v = value[key];
  return typeof v === 'string' && shape.test(v) ? undefined : `field '${key}' must be ${what}`;
}

function intField(value: Record<string, unknown>, key: string): string | undefined {
  const v = value[key];
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? undefined : `field '${key}' must be a non-negative integer`;
}

