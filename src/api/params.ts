/**
 * Params and recipes between their wire form (proto `Param`, a oneof of four types) and the core
 * form (`ParamValue`, `Recipe`). The server uses it to turn requests into engine calls and engine
 * answers into responses; the client uses it the other way, so the CLI works with core types and
 * renders them through core/recipe-json.ts like every other surface.
 */
import { BadParamError } from '../core/errors.js';
import { formatFunctionId, parseFunctionId } from '../core/function-id.js';
import { inputFromText, inputText, type ParamType, type ParamValue, type PlainParam, type Recipe } from '../core/recipe.js';
import type * as pb from './gen/deriva.js';

/** One wire param as a typed value; a param with no value (or several) is a BadParamError. */
export function paramFromProto(p: pb.Param): ParamValue {
  const set: ParamValue[] = [];
  if (p.stringValue !== undefined) set.push({ type: 'string', value: p.stringValue });
  if (p.intValue !== undefined) set.push({ type: 'int', value: p.intValue });
  if (p.boolValue !== undefined) set.push({ type: 'bool', value: p.boolValue });
  if (p.bytesValue !== undefined) set.push({ type: 'bytes', value: Uint8Array.from(p.bytesValue) });
  if (set.length === 0) throw new BadParamError(p.key, 'has no value');
  if (set.length > 1) throw new BadParamError(p.key, 'has more than one value');
  return set[0]!;
}

/** Wire params as the map the engine takes; a key given twice is a BadParamError naming it. */
export function paramsFromProto(params: readonly pb.Param[]): Map<string, ParamValue> {
  const out = new Map<string, ParamValue>();
  for (const p of params) {
    if (out.has(p.key)) throw new BadParamError(p.key, 'given more than once');
    out.set(p.key, paramFromProto(p));
  }
  return out;
}

export function paramToProto(key: string, p: ParamValue): pb.Param {
  switch (p.type) {
    case 'string':
      return { key, stringValue: p.value };
    case 'int':
      return { key, intValue: p.value };
    case 'bool':
      return { key, boolValue: p.value };
    case 'bytes':
      return { key, bytesValue: Buffer.from(p.value) };
  }
}

/** A recipe for the wire: function id text, inputs as text (hex or `ref:NAME`), typed params in key order. */
export function recipeToProto(recipe: Recipe): pb.Recipe {
  return {
    function: formatFunctionId(recipe.fn),
    inputs: recipe.inputs.map(inputText),
    params: [...recipe.params].map(([k, v]) => paramToProto(k, v)),
  };
}

/** A recipe from the wire, back in core form (the server sends full addresses). */
export function recipeFromProto(r: pb.Recipe): Recipe {
  return { fn: parseFunctionId(r.function), inputs: r.inputs.map(inputFromText), params: paramsFromProto(r.params) };
}

/** A plain default value tagged with its declared type. */
export function tagParam(type: ParamType, value: PlainParam): ParamValue {
  return { type, value } as ParamValue;
}
