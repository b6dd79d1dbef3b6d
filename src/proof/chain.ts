/**
 * Proof chains: a proof with the proofs of its inputs, recursively, down to leaves or anchors.
 * This is what `deriva proof ADDR` prints and `deriva proof verify` checks (verify.ts).
 *
 * A chain node is one of
 * - `{"leaf": ADDR}`: a leaf, whose address is the BLAKE3 of its bytes; nothing to sign;
 * - `{"anchor": HASH}`: the hash of a proof the signer of the parent held when it signed, no
 *   longer held here (its output was evicted or recomputed since): trust stops there;
 * - `{"hash": HASH, "proof": RECORD, "inputs": [NODE, ...]}`: a proof, its hash, and one node per
 *   input of its record, in order.
 */
import { proofHash, type ProofInput, type ProofRecord } from './record.js';

export interface ProofNode {
  readonly hash: string;
  readonly proof: ProofRecord;
  readonly inputs: readonly ChainNode[];
}

export type ChainNode = { readonly leaf: string } | { readonly anchor: string } | ProofNode;

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

/** The chain below `proof`: each input's proof when held, else its anchor. */
export async function buildChain(source: ProofSource, proof: ProofRecord): Promise<ProofNode> {
  const inputs = await Promise.all(proof.inputs.map((input) => inputNode(source, input)));
  return { hash: proofHash(proof), proof, inputs };
}

async function inputNode(source: ProofSource, input: ProofInput): Promise<ChainNode> {
  if ('leaf' in input) return { leaf: input.leaf };
  const held = source.held(input.recipe);
  if (input.proof === undefined) return buildChain(source, held ?? (await source.prove(input.recipe)));
  return held && proofHash(held) === input.proof ? buildChain(source, held) : { anchor: input.proof };
}
