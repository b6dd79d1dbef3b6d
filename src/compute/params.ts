/**
 * Param validation against a function's schema, run before a recipe gets its address: unknown
 * params are rejected, missing ones take their default or fail, values are type-checked (a
 * string given for a non-string param, as the CLI sends them, is coerced), and each spec's own
 * check runs. The result is the canonical param set, so equal meanings get equal addresses.
 */
import { I64_MAX, I64_MIN } from '../core/dcf-format.js';
import { BadParamError } from '../core/errors.js';
import type { ParamType, ParamValue, PlainParam } from '../core/recipe.js';
import type { ComputeFunction, ParamSpec } from './function.js';

const INT = /^-?(0|[1-9][0-9]*)$/;
const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

/** Validates `given` against `fn`'s schema; returns the complete canonical param map. */
export function normalizeParams(fn: ComputeFunction, given: ReadonlyMap<string, ParamValue>): Map<string, ParamValue> {
  const out = new Map<string, ParamValue>();
  for (const key of given.keys()) {
    if (!Object.hasOwn(fn.params, key)) {
      const known = Object.keys(fn.params);
      throw new BadParamError(key, `unknown for ${fn.name}@${fn.version} (accepts: ${known.join(', ') || 'none'})`);
    }
  }
  for (const [key, spec] of Object.entries(fn.params)) {
    const value = given.get(key);
    const normalized = value === undefined ? defaultOf(key, spec) : coerce(key, spec.type, value);
    const problem = spec.check?.(normalized.value);
    if (problem !== undefined) throw new BadParamError(key, problem);
    out.set(key, normalized);
  }
  const problem = fn.checkParams?.(new Map([...out].map(([key, p]) => [key, p.value])));
  if (problem) throw new BadParamError(problem.param, problem.message);
  return out;
}

function defaultOf(key: string, spec: ParamSpec): ParamValue {
  if (spec.default === undefined) throw new BadParamError(key, `required (${spec.type}: ${spec.doc})`);
  return tag(spec.type, spec.default);
}

function coerce(key: string, type: ParamType, value: ParamValue): ParamValue {
  if (value.type === type) return value;
  if (value.type !== 'string') throw new BadParamError(key, `expected ${type}, got ${value.type}`);
  return parseParam(key, type, value.value);
}

/** Parses a command-line string into a typed param of `type`. */
export function parseParam(key: string, type: ParamType, text: string): ParamValue {
  switch (type) {
    case 'string':
      return { type, value: text };
    case 'int': {
      const n = INT.test(text) ? BigInt(text) : undefined;
      if (n === undefined || n < I64_MIN || n > I64_MAX) {
        throw new BadParamError(key, `expected a 64-bit integer, got '${text}'`);
      }
      return { type, value: n };
    }
    case 'bool': {
      const t = text.toLowerCase();
      if (!TRUE.has(t) && !FALSE.has(t)) throw new BadParamError(key, `expected true or false, got '${text}'`);
      return { type, value: TRUE.has(t) };
    }
    case 'bytes':
      if (!/^([0-9a-fA-F]{2})*$/.test(text)) throw new BadParamError(key, `expected hex bytes, got '${text}'`);
      return { type, value: Buffer.from(text, 'hex') };
  }
}

function tag(type: ParamType, value: PlainParam): ParamValue {
  return { type, value } as ParamValue;
}
