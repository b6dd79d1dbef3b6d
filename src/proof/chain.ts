/**
 * Proof chains: a proof with the proofs of its inputs, recursively, down to leaves or anchors.
 * This is what `deriva proof ADDR` prints and `deriva proof verify` checks (verify.ts).
 *
 * A chain node is one of
 * - `{"leaf": ADDR}`: a leaf, whose address is the BLAKE3 of its bytes; nothing to sign;
 * - `{"anchor": HASH}`: the hash of a proof the signer of the parent held when it signed, no
 *   longer held here (its output was evicted or recomputed since): trust stops there;
 * - `{"hash": HASH, "proof": RECORD, "inputs": [NODE, ...]}`: a proof, its hash, and one node per
 *   input of its record, in order;
 * - `{"same": HASH}`: a proof given in full earlier in the chain (depth first, inputs in order).
 *   A DAG shares inputs: written out in full every time, a chain of n diamonds would hold 2^n
 *   copies of the proof at its bottom.
 */
import { proofHash, type ProofInput, type ProofRecord } from './record.js';

export interface ProofNode {
  readonly hash: string;
  readonly proof: ProofRecord;
  readonly inputs: readonly ChainNode[];
}

export type ChainNode = { readonly leaf: string } | { readonly anchor: string } | { readonly same: string } | ProofNode;

/** Where a chain's proofs come from. */
export interface ProofSource {
  /** The proof of recipe `addr`'s cached output, if it has one. */
  held(addr: string): ProofRecord | undefined;
  /**
   * The proof of recipe `addr`, materializing its output to get one: for an input that was read
   * without being stored (a structural view read by address arithmetic).
   */
  prove(addr: string): Promise<ProofRecord>;
}

/** The chain below `proof`: each input's proof when held, else its anchor; each proof once. */
export async function buildChain(source: ProofSource, proof: ProofRecord): Promise<ProofNode> {
  const dag = await new DagBuilder(source).node(proof);
  return written(dag, new Set()) as ProofNode;
}

/** A chain node whose shared inputs are shared objects (built once each). */
type DagNode = { readonly leaf: string } | { readonly anchor: string } | { readonly hash: string; readonly proof: ProofRecord; readonly inputs: readonly DagNode[] };

class DagBuilder {
  /** Proof nodes by proof hash, and read-through proofs by recipe: each built or proved once. */
  private readonly nodes = new Map<string, Promise<DagNode>>();
  private readonly proved = new Map<string, Promise<ProofRecord>>();

  constructor(private readonly source: ProofSource) {}

  node(proof: ProofRecord, hash = proofHash(proof)): Promise<DagNode> {
    let node = this.nodes.get(hash);
    if (!node) {
      node = Promise.all(proof.inputs.map((input) => this.input(input))).then((inputs) => ({ hash, proof, inputs }));
      this.nodes.set(hash, node);
    }
    return node;
  }

  private async input(input: ProofInput): Promise<DagNode> {
    if ('leaf' in input) return { leaf: input.leaf };
    const held = this.source.held(input.recipe);
    if (input.proof === undefined) return this.node(held ?? (await this.prove(input.recipe)));
    return held && proofHash(held) === input.proof ? this.node(held, input.proof) : { anchor: input.proof };
  }

  private prove(recipe: string): Promise<ProofRecord> {
    let proof = this.proved.get(recipe);
    if (!proof) {
      proof = this.source.prove(recipe);
      this.proved.set(recipe, proof);
    }
    return proof;
  }
}

/** `node` written out depth first: a proof seen before (in `seen`) as `{"same": HASH}`. */
function written(node: DagNode, seen: Set<string>): ChainNode {
  if (!('proof' in node)) return node;
  if (seen.has(node.hash)) return { same: node.hash };
  seen.add(node.hash);
  return { hash: node.hash, proof: node.proof, inputs: node.inputs.map((input) => written(input, seen)) };
}
