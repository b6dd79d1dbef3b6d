/**
 * Derivation proofs and the audit log, written inside the store's write transactions.
 *
 * - `proofs` (in tables.ts): recipe address -> its output's proof (canonical JSON, see
 *   src/proof/record.ts). Written in the transaction that records the output and its action
 *   entry, removed with the action entry (value-ops.ts), so a proof exists exactly while the
 *   output it vouches for is cached: eviction, invalidation, garbage collection and ref
 *   rebinding drop it, and a recomputation signs a new one.
 * - `audit`: sequence number -> one entry per proof ever written. Append-only: only
 *   {@link ProofLog.recordTx} writes it, nothing deletes from it.
 * - `auditIndex`: address -> sequence numbers (dupsort) of entries naming it as recipe, input
 *   or output, for `deriva audit --addr`.
 */
import type { Database } from 'lmdb';
import { CAddr } from '../core/caddr.js';
import { StoreError } from '../core/errors.js';
import { isRefInput, type RecipeInput } from '../core/recipe.js';
import type { ProofSigner } from '../proof/node-key.js';
import { decodeProof, encodeProof, hashOfEncoded, inputAddress, PROOF_VERSION, signedMessage, type ProofInput, type ProofRecord } from '../proof/record.js';
import type { Consumed } from './consumed.js';
import type { BinaryDb, Tables } from './tables.js';

/** One materialization, as the audit log keeps it. */
export interface AuditEntry {
  /** Position in the log: 1 for the first entry, one more for each next. */
  readonly seq: number;
  readonly recipe: string;
  /** The addresses read (leaves, or recipes whose outputs were read), in recipe order. */
  readonly inputs: readonly string[];
  readonly output: string;
  readonly size: number;
  /** Public key of the node that signed the proof. */
  readonly node: string;
  /** ms since the epoch. */
  readonly time: number;
  /** Hash of the proof written. */
  readonly proof: string;
}

export interface AuditQuery {
  /** Only entries naming this address as recipe, input or output. */
  readonly addr?: CAddr;
  /** Only entries from this time on (ms since the epoch). */
  readonly since?: number;
  /** Only entries after this sequence number. */
  readonly after?: number;
  /** At most this many entries. */
  readonly limit?: number;
}

type StoredEntry = Omit<AuditEntry, 'seq'>;

export class ProofLog {
  private readonly log: Database<StoredEntry, number>;
  private readonly index: BinaryDb;

  /** Without a `signer` nothing is signed or logged (a store opened only to read or repair). */
  constructor(
    private readonly t: Tables,
    private readonly signer: ProofSigner | undefined,
  ) {
    this.log = t.env.openDB({ name: 'audit' });
    this.index = t.env.openDB({ name: 'auditIndex', encoding: 'binary', keyEncoding: 'binary', dupSort: true });
  }

  /**
   * Signs and stores the proof of `recipe`'s output `content`, and appends it to the audit
   * log. Runs inside the write transaction that records the output's action entry, so the
   * inputs it names are those stored in that same snapshot.
   */
  recordTx(recipe: CAddr, content: CAddr, size: number, consumed: Consumed): void {
    if (!this.signer) return;
    const { dcf } = consumed;
    if (!dcf) throw new StoreError(`cannot sign the output of recipe ${recipe.hex}: the recipe is not stored`);
    const inputs = consumed.inputs.map((input, i) => this.inputTx(recipe, input, consumed.addrs[i]));
    const node = this.signer.publicKey;
    const unsigned = { v: PROOF_VERSION, recipe: recipe.hex, dcf: dcf.toString('hex'), inputs, output: content.hex, size, node, time: Date.now() };
    const encoded = encodeProof({ ...unsigned, sig: this.signer.sign(signedMessage(unsigned)).toString('hex') });
    void this.t.proofs.put(recipe.bytes, encoded);
    const entry: StoredEntry = { recipe: recipe.hex, inputs: inputs.map(inputAddress), output: content.hex, size, node, time: unsigned.time, proof: hashOfEncoded(encoded) };
    const seq = this.lastSeq() + 1;
    void this.log.put(seq, entry);
    for (const addr of new Set([entry.recipe, entry.output, ...entry.inputs])) void this.index.put(Buffer.from(addr, 'hex'), seqKey(seq));
  }

  /** The proof of `recipe`'s cached output, if it has one. */
  get(recipe: CAddr): ProofRecord | undefined {
    const raw = this.t.proofs.getBinary(recipe.bytes);
    return raw && decodeProof(raw);
  }

  /** Audit entries matching `q`, oldest first. */
  audit(q: AuditQuery): AuditEntry[] {
    const after = q.after ?? 0;
    const since = q.since ?? 0;
    const limit = q.limit ?? Infinity;
    // Read lazily: a page stops at its limit (an address's sequence numbers are skipped up to
    // `after`, as lmdb-js cannot start a binary dupsort range at a value).
    const seqs = q.addr ? this.index.getValues(q.addr.bytes).map(seqOf).filter((seq) => seq > after) : this.log.getKeys({ start: after + 1 });
    const found: AuditEntry[] = [];
    for (const seq of seqs) {
      if (found.length >= limit) break;
      const entry = this.log.get(seq);
      if (entry && entry.time >= since) found.push({ seq, ...entry });
    }
    return found;
  }

  /** How input `input` of `recipe` was read (at `addr`), as the proof names it. */
  private inputTx(recipe: CAddr, input: RecipeInput, addr: CAddr | undefined): ProofInput {
    const ref = isRefInput(input) ? { ref: input.ref } : {};
    if (!addr) throw new StoreError(`cannot sign the output of recipe ${recipe.hex}: its input ref ${(input as { ref: string }).ref} is not bound`);
    if (this.t.leaves.doesExist(addr.bytes)) return { leaf: addr.hex, ...ref };
    const action = this.t.actions.get(addr.bytes);
    const proof = this.t.proofs.getBinary(addr.bytes);
    if (!action || !proof) return { recipe: addr.hex, ...ref };
    return { recipe: addr.hex, output: CAddr.fromBytes(action.content).hex, proof: hashOfEncoded(proof), ...ref };
  }

  private lastSeq(): number {
    for (const key of this.log.getKeys({ reverse: true, limit: 1 })) return key;
    return 0;
  }
}

/** Sequence numbers as index values: 8 bytes big-endian, so dupsort order is numeric order. */
function seqKey(seq: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(seq));
  return b;
}

function seqOf(b: Buffer): number {
  return Number(b.readBigUInt64BE());
}
