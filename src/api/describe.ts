/**
 * Engine answers as response messages: address info (Stat, Resolve nodes), the function
 * registry (ListFunctions) and counters (Status); and a value's state as people read it (the
 * mount's state attribute). Pure mapping, no engine calls.
 */
import { formatFunctionId } from '../core/function-id.js';
import { paramToText } from '../core/recipe-json.js';
import type { ComputeFunction, ParamSpec } from '../compute/function.js';
import type { AddressInfo, Engine } from '../engine/engine.js';
import type { ScrubReport } from '../engine/scrub.js';
import type { NonDeterminism } from '../store/function-marks.js';
import type * as pb from './gen/deriva.js';
import { recipeToProto, tagParam } from './params.js';
import type { ServerInfo } from './server-info.js';

const big = (n: number | undefined): bigint | undefined => (n === undefined ? undefined : BigInt(n));

/**
 * `state` as people read it: "partial 3/1024 chunks" for a partial output, "computing 5242880
 * bytes so far" for a streaming output being computed.
 */
export function describeState(info: AddressInfo): string {
  if (info.partial) return `partial ${info.partial.computed}/${info.partial.total} chunks`;
  if (info.produced !== undefined) return `computing ${info.produced} bytes so far`;
  return info.state;
}

export function statResponse(info: AddressInfo): pb.StatResponse {
  return {
    addr: info.addr.hex,
    kind: info.kind,
    state: info.state,
    size: big(info.size),
    content: info.content?.hex,
    recipe: info.recipe && recipeToProto(info.recipe),
    error: info.error,
    chunksComputed: big(info.partial?.computed),
    chunksTotal: big(info.partial?.total),
    bytesProduced: big(info.produced),
    consumed: info.consumed?.map((a) => a.hex) ?? [],
  };
}

export function dagNode(info: AddressInfo): pb.DagNode {
  return {
    addr: info.addr.hex,
    kind: info.kind,
    state: info.state,
    size: big(info.size),
    recipe: info.recipe && recipeToProto(info.recipe),
  };
}

function paramSpec(name: string, spec: ParamSpec): pb.ParamSpec {
  const required = spec.default === undefined;
  return {
    name,
    type: spec.type,
    doc: spec.doc,
    required,
    default: required ? undefined : paramToText(tagParam(spec.type, spec.default!)),
  };
}

export function functionInfo(fn: ComputeFunction, mark?: NonDeterminism): pb.FunctionInfo {
  return {
    id: formatFunctionId(fn),
    name: fn.name,
    version: fn.version,
    kind: fn.kind,
    doc: fn.doc,
    minInputs: fn.inputs.min,
    maxInputs: fn.inputs.max,
    params: Object.entries(fn.params).map(([name, spec]) => paramSpec(name, spec)),
    usesFloat: fn.usesFloat === true,
    nondeterministic: mark !== undefined,
    nondeterministicRecipe: mark?.recipe,
  };
}

/** Functions sorted by name, then version, so listings are stable; with their non-determinism marks. */
export function functionList(fns: readonly ComputeFunction[], marks: ReadonlyMap<string, NonDeterminism>): pb.ListFunctionsResponse {
  const sorted = [...fns].sort((a, b) => (a.name === b.name ? a.version - b.version : a.name < b.name ? -1 : 1));
  return { functions: sorted.map((fn) => functionInfo(fn, marks.get(formatFunctionId(fn)))) };
}

export function scrubReport(r: ScrubReport): pb.ScrubReport {
  return {
    objects: BigInt(r.objects),
    ok: BigInt(r.ok),
    corrupt: BigInt(r.corrupt),
    bytes: BigInt(r.bytes),
    durationMs: BigInt(Math.round(r.durationMs)),
    quarantined: r.quarantined.map((q) => ({ ...q })),
  };
}

export function statusResponse(s: ReturnType<Engine['status']>, info: ServerInfo, now: number): pb.StatusResponse {
  return {
    version: info.version,
    uptimeMs: BigInt(Math.max(0, Math.round(now - info.startedAt))),
    home: info.home,
    mount: info.mount ?? '',
    chunkSize: s.chunkSize,
    leaves: BigInt(s.leaves),
    recipes: BigInt(s.recipes),
    values: BigInt(s.values),
    chunks: BigInt(s.chunks),
    cachedOutputs: BigInt(s.actions),
    computations: BigInt(s.computations),
    queued: BigInt(s.queued),
    chunksComputed: BigInt(s.chunksComputed),
    bytesComputed: BigInt(s.bytesComputed),
    streaming: BigInt(s.streaming),
    refs: BigInt(s.refs),
    cachedBytes: BigInt(s.cachedBytes),
    cacheBudget: big(s.cacheBudget),
    cachePolicy: s.cachePolicy,
    execMode: s.execMode,
    evictions: BigInt(s.evictions),
    pins: BigInt(s.pins),
    integrityEvents: BigInt(s.integrityEvents),
    quarantined: BigInt(s.quarantined),
    scrubCurrent: s.scrub.current && scrubReport(s.scrub.current),
    scrubCurrentTotal: BigInt(s.scrub.current?.total ?? 0),
    scrubLast: s.scrub.last && scrubReport(s.scrub.last),
    scrubLastFinishedMs: BigInt(s.scrub.last?.finishedAt ?? 0),
    nodeKey: info.nodeKey ?? '',
  };
}
