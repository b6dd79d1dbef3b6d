/**
 * The unary RPCs: each turns a request into one engine call (or a few) and the answer into a
 * response. Addresses arrive as text (full hex or a unique prefix) and are resolved by the
 * engine, which throws the typed errors that status.ts maps.
 */
import type { CAddr } from '../core/caddr.js';
import { BadParamError } from '../core/errors.js';
import { parseFunctionId } from '../core/function-id.js';
import { isRefInput, type RecipeInput } from '../core/recipe.js';
import { REF_PREFIX, checkRefName } from '../core/ref-name.js';
import type { Engine } from '../engine/engine.js';
import { INVALIDATION_POLICIES, type InvalidationPolicy } from '../engine/invalidation.js';
import { unary } from './call-errors.js';
import { dagNode, functionList, scrubReport, statResponse, statusResponse } from './describe.js';
import type * as pb from './gen/deriva.js';
import { paramsFromProto } from './params.js';
import { refToProto } from './refs.js';
import type { ServerInfo } from './server-info.js';

async function putRecipe(engine: Engine, req: pb.PutRecipeRequest): Promise<pb.PutRecipeResponse> {
  const fn = parseFunctionId(req.function);
  const inputs = req.inputs.map((text): RecipeInput =>
    text.startsWith(REF_PREFIX) ? { ref: checkRefName(text.slice(REF_PREFIX.length)) } : engine.resolveAddress(text),
  );
  const addr = await engine.putRecipe(fn, inputs, paramsFromProto(req.params), { pin: !req.noPin });
  return { addr: addr.hex };
}

async function pin(engine: Engine, req: pb.PinRequest, pinned: boolean): Promise<pb.PinResponse> {
  const addr = engine.resolveAddress(req.addr);
  const changed = pinned ? await engine.pin(addr) : await engine.unpin(addr);
  return { addr: addr.hex, changed };
}

async function gc(engine: Engine, req: pb.GcRequest): Promise<pb.GcResponse> {
  const r = await engine.gc({ dryRun: req.dryRun });
  return { leaves: BigInt(r.leaves), recipes: BigInt(r.recipes), chunks: BigInt(r.chunks), bytes: BigInt(r.bytes), dryRun: req.dryRun };
}

async function stat(engine: Engine, req: pb.StatRequest): Promise<pb.StatResponse> {
  const addr = engine.resolveAddress(req.addr);
  let info = engine.info(addr);
  if (req.verify) {
    await engine.materialize(addr, { verify: true });
    info = engine.info(addr);
  } else if (req.compute && info.size === undefined) {
    await engine.size(addr);
    info = engine.info(addr);
  }
  return statResponse(info);
}

/**
 * Breadth-first over recipe inputs from the root, each distinct address once, root first; a
 * ref input is followed to its current binding, which is listed in `refs`.
 */
function resolveDag(engine: Engine, req: pb.ResolveRequest): pb.ResolveResponse {
  const root = engine.resolveAddress(req.addr);
  const seen = new Set([root.hex]);
  const nodes: pb.DagNode[] = [];
  const refs = new Map<string, pb.RefBinding>();
  for (let queue: CAddr[] = [root], i = 0; i < queue.length; i++) {
    const info = engine.info(queue[i]!);
    nodes.push(dagNode(info));
    for (const input of info.recipe?.inputs ?? []) {
      const binding = isRefInput(input) ? engine.getRef(input.ref) : undefined;
      if (binding) refs.set(binding.name, refToProto(binding));
      const addr = binding ? binding.addr : (input as CAddr);
      if (!seen.has(addr.hex)) {
        seen.add(addr.hex);
        queue.push(addr);
      }
    }
  }
  return { root: root.hex, nodes, refs: [...refs.values()] };
}

function policyOf(text: string): InvalidationPolicy | undefined {
  if (text === '') return undefined;
  if (!(INVALIDATION_POLICIES as readonly string[]).includes(text)) {
    throw new BadParamError('policy', `'${text}' is not one of ${INVALIDATION_POLICIES.join(', ')}`);
  }
  return text as InvalidationPolicy;
}

async function invalidate(engine: Engine, req: pb.InvalidateRequest): Promise<pb.InvalidateResponse> {
  const addr = engine.resolveAddress(req.addr);
  const r = await engine.invalidate(addr, policyOf(req.policy));
  return { evicted: BigInt(r.evicted), depth: r.depth, policy: r.policy, pending: BigInt(r.pending) };
}

async function scrub(engine: Engine, req: pb.ScrubRequest): Promise<pb.ScrubResponse> {
  return { report: scrubReport(await engine.scrub({ rate: req.rate === undefined ? undefined : Number(req.rate) })) };
}

type UnaryHandlers = Pick<
  pb.DerivaServer,
  'putRecipe' | 'stat' | 'resolve' | 'invalidate' | 'status' | 'listFunctions' | 'pin' | 'unpin' | 'gc' | 'scrub'
>;

/** The unary part of the service implementation. */
export function unaryHandlers(engine: Engine, info: ServerInfo): UnaryHandlers {
  return {
    putRecipe: unary('PutRecipe', info, (req: pb.PutRecipeRequest) => putRecipe(engine, req)),
    stat: unary('Stat', info, (req: pb.StatRequest) => stat(engine, req)),
    resolve: unary('Resolve', info, (req: pb.ResolveRequest) => resolveDag(engine, req)),
    invalidate: unary('Invalidate', info, (req: pb.InvalidateRequest) => invalidate(engine, req)),
    status: unary('Status', info, () => statusResponse(engine.status(), info, Date.now())),
    listFunctions: unary('ListFunctions', info, () => functionList(engine.functions(), engine.nonDeterministic())),
    pin: unary('Pin', info, (req: pb.PinRequest) => pin(engine, req, true)),
    unpin: unary('Unpin', info, (req: pb.PinRequest) => pin(engine, req, false)),
    gc: unary('Gc', info, (req: pb.GcRequest) => gc(engine, req)),
    scrub: unary('Scrub', info, (req: pb.ScrubRequest) => scrub(engine, req)),
  };
}
