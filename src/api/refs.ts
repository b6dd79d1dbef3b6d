/**
 * The ref RPCs (SetRef, GetRef, ListRefs, RefHistory): named, rebindable pointers. Names are
 * checked by the engine (INVALID_ARGUMENT naming the rule); an unknown address or ref is
 * NOT_FOUND naming it.
 */
import type { Engine, RefBinding } from '../engine/engine.js';
import { unary } from './call-errors.js';
import type * as pb from './gen/deriva.js';
import type { ServerInfo } from './server-info.js';

export function refToProto(b: RefBinding): pb.RefBinding {
  return { name: b.name, addr: b.addr.hex, timeMs: BigInt(b.time) };
}

async function setRef(engine: Engine, req: pb.SetRefRequest): Promise<pb.SetRefResponse> {
  const r = await engine.setRef(req.name, engine.resolveAddress(req.addr));
  return {
    binding: refToProto(r.binding),
    previous: r.previous && refToProto(r.previous),
    evicted: BigInt(r.evicted),
    depth: r.depth,
  };
}

type RefHandlers = Pick<pb.DerivaServer, 'setRef' | 'getRef' | 'listRefs' | 'refHistory'>;

export function refHandlers(engine: Engine, info: ServerInfo): RefHandlers {
  return {
    setRef: unary('SetRef', info, (req: pb.SetRefRequest) => setRef(engine, req)),
    getRef: unary('GetRef', info, (req: pb.GetRefRequest) => refToProto(engine.getRef(req.name))),
    listRefs: unary('ListRefs', info, () => ({ refs: engine.listRefs().map(refToProto) })),
    refHistory: unary('RefHistory', info, (req: pb.RefHistoryRequest) => ({
      bindings: engine.refHistory(req.name).map(refToProto),
    })),
  };
}
