/**
 * The DerivationProof record: what one node signs when it materializes a recipe's output. The
 * record is stored as its canonical JSON (canonical-json.ts) beside the cached output; its hash
 * names it, so a later proof can name it as an input, and an anchor can stand for it.
 * docs/proofs.md defines every field, the signed bytes and the hash.
 */
import { deriveKey } from '../native/index.js';
import { canonicalBytes, type CanonicalValue } from './canonical-json.js';

/** Version of the record format; part of the signed bytes. */
export const PROOF_VERSION = 1;

/** Prefix of the signed message: a signature over a proof can never pass for one over anything else. */
export const SIGNED_PREFIX = 'deriva proof v1\n';

/** BLAKE3 derive-key context of proof hashes (never a leaf or recipe address). */
export const PROOF_HASH_CONTEXT = 'deriva 2026-11-21 proof hash v1';

/**
 * One input as the signer read it. A leaf is its address. A recipe's output is named by the
 * recipe and, when it was stored with a proof at signing time, by that output's content hash
 * and proof hash; an input read while it was computed elsewhere (a structural view read by
 * address arithmetic, a chunkwise output not yet stored whole) is named by its recipe only.
 * `ref` names the ref the recipe read, at the binding given.
 */
export type ProofInput =
  | { readonly leaf: string; readonly ref?: string }
  | { readonly recipe: string; readonly output?: string; readonly proof?: string; readonly ref?: string };

/** The signed fields. */
export interface UnsignedProof {
  readonly v: number;
  /** The recipe address, and its DCF bytes (hex): a verifier rehashes them into the address. */
  readonly recipe: string;
  readonly dcf: string;
  readonly inputs: readonly ProofInput[];
  /** Content hash (plain BLAKE3) of the output, and its size in bytes. */
  readonly output: string;
  readonly size: number;
  /** The signer's Ed25519 public key (32 bytes, hex). */
  readonly node: string;
  /** When the output was recorded, ms since the epoch. */
  readonly time: number;
}

export interface ProofRecord extends UnsignedProof {
  /** Ed25519 signature (64 bytes, hex) over {@link signedMessage}. */
  readonly sig: string;
}

/** The bytes a node signs: the prefix, then the canonical JSON of every field but `sig`. */
export function signedMessage(proof: UnsignedProof): Buffer {
  const { v, recipe, dcf, inputs, output, size, node, time } = proof;
  return Buffer.concat([Buffer.from(SIGNED_PREFIX), canonicalBytes({ v, recipe, dcf, inputs, output, size, node, time })]);
}

/** The proof's hash (hex): BLAKE3 derive-key over the canonical JSON of the whole record. */
export function proofHash(proof: ProofRecord): string {
  return hashOfEncoded(encodeProof(proof));
}

/** The hash of a record already in its stored form ({@link encodeProof}). */
export function hashOfEncoded(encoded: Uint8Array): string {
  return deriveKey(PROOF_HASH_CONTEXT, encoded).toString('hex');
}

/** The stored form: canonical JSON of the whole record. */
export function encodeProof(proof: ProofRecord): Buffer {
  return canonicalBytes(proof as unknown as CanonicalValue);
}

export function decodeProof(encoded: Uint8Array): ProofRecord {
  return JSON.parse(Buffer.from(encoded).toString('utf8')) as ProofRecord;
}

/** The address an input entry names (a leaf's, or a recipe's). */
export function inputAddress(input: ProofInput): string {
  return 'leaf' in input ? input.leaf : input.recipe;
}
