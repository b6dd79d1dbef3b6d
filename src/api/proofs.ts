/**
 * The proof RPCs: GetProof (the signed derivation proof of a cached output, as a chain down to
 * leaves or anchors, in canonical JSON) and Audit (the append-only log of materializations, a
 * page at a time).
 */
import type { Engine } from '../engine/engine.js';
import { canonicalText, type CanonicalValue } from '../proof/canonical-json.js';
import type { AuditEntry } from '../store/proof-log.js';
import { unary } from './call-errors.js';
import type * as pb from './gen/deriva.js';
import type { ServerInfo } from './server-info.js';

/** Audit entries per response unless the request asks for fewer. */
export const AUDIT_PAGE = 1000;

async function getProof(engine: Engine, req: pb.GetProofRequest): Promise<pb.GetProofResponse> {
  const chain = await engine.proof(engine.resolveAddress(req.addr));
  return { chain: canonicalText(chain as unknown as CanonicalValue) };
}

function audit(engine: Engine, req: pb.AuditRequest): pb.AuditResponse {
  const limit = req.limit > 0 ? Math.min(req.limit, AUDIT_PAGE) : AUDIT_PAGE;
  const entries = engine.audit({
    addr: req.addr === '' ? undefined : engine.resolveAddress(req.addr),
    since: Number(req.sinceMs),
    after: Number(req.afterSeq),
    limit,
  });
  return { entries: entries.map(auditToProto), more: entries.length === limit };
}

function auditToProto(e: AuditEntry): pb.AuditEntry {
  return {
    seq: BigInt(e.seq),
    recipe: e.recipe,
    inputs: [...e.inputs],
    output: e.output,
    size: BigInt(e.size),
    node: e.node,
    timeMs: BigInt(e.time),
    proof: e.proof,
  };
}

export function proofHandlers(engine: Engine, info: ServerInfo): Pick<pb.DerivaServer, 'getProof' | 'audit'> {
  return {
    getProof: unary('GetProof', info, (req: pb.GetProofRequest) => getProof(engine, req)),
    audit: unary('Audit', info, (req: pb.AuditRequest) => audit(engine, req)),
  };
}
