/**
 * The unary RPCs: each turns a request into one engine call (or a few) and the answer into a
 * response. Addresses arrive as text (full hex or a unique prefix) and are resolved by the
 * engine, which throws the typed errors that status.ts maps.
 */
import type { CAddr } from '../core/caddr.js';
import { parseFunctionId } from '../core/function-id.js';
import type { Engine } from '../engine/engine.js';
import { unary } from './call-errors.js';
import { dagNode, functionList, scrubReport, statResponse, statusResponse } from './describe.js';
import type * as pb from './gen/deriva.js';
import { paramsFromProto } from './params.js';
import type { ServerInfo } from './server-info.js';

async function putRecipe(engine: Engine, req: pb.PutRecipeRequest): Promise<pb.PutRecipeResponse> {
  const fn = parseFunctionId(req.function);
  const inputs = req.inputs.map((text) => engine.resolveAddress(text));
  const addr = await engine.putRecipe(fn, inputs, paramsFromProto(req.params));
  return { addr: addr.hex };
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

/** Breadth-first over recipe inputs from the root, each distinct address once, root first. */
function resolveDag(engine: Engine, req: pb.ResolveRequest): pb.ResolveResponse {
  const root = engine.resolveAddress(req.addr);
  const seen = new Set([root.hex]);
  const nodes: pb.DagNode[] = [];
  for (let queue: CAddr[] = [root], i = 0; i < queue.length; i++) {
    const info = engine.info(queue[i]!);
    nodes.push(dagNode(info));
    for (const input of info.recipe?.inputs ?? []) {
      if (!seen.has(input.hex)) {
        seen.add(input.hex);
        queue.push(input);
      }
    }
  }
  return { root: root.hex, nodes };
}

async function invalidate(engine: Engine, req: pb.InvalidateRequest): Promise<pb.InvalidateResponse> {
  const { evicted, depth } = await engine.invalidate(engine.resolveAddress(req.addr));
  return { evicted: BigInt(evicted), depth };
}

async function scrub(engine: Engine, req: pb.ScrubRequest): Promise<pb.ScrubResponse> {
  return { report: scrubReport(await engine.scrub({ rate: req.rate === undefined ? undefined : Number(req.rate) })) };
}

type UnaryHandlers = Pick<pb.DerivaServer, 'putRecipe' | 'stat' | 'resolve' | 'invalidate' | 'status' | 'listFunctions' | 'scrub'>;

/** The unary part of the service implementation. */
export function unaryHandlers(engine: Engine, info: ServerInfo): UnaryHandlers {
  return {
    putRecipe: unary('PutRecipe', info, (req: pb.PutRecipeRequest) => putRecipe(engine, req)),
    stat: unary('Stat', info, (req: pb.StatRequest) => stat(engine, req)),
    resolve: unary('Resolve', info, (req: pb.ResolveRequest) => resolveDag(engine, req)),
    invalidate: unary('Invalidate', info, (req: pb.InvalidateRequest) => invalidate(engine, req)),
    status: unary('Status', info, () => statusResponse(engine.status(), info, Date.now())),
    listFunctions: unary('ListFunctions', info, () => functionList(engine.functions(), engine.nonDeterministic())),
    scrub: unary('Scrub', info, (req: pb.ScrubRequest) => scrub(engine, req)),
  };
}
