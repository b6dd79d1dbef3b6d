/**
 * Verifies a proof chain (chain.ts) without recomputing anything: every hash link (a proof's
 * hash, the proof hash and output its parent signed, the recipe address its DCF hashes to, the
 * inputs the recipe names) and every signature, optionally requiring each signer to be trusted.
 * Every failure is reported with its path in the chain (`root.inputs[1].inputs[0]`) and why.
 * Anchors are accepted as ends of the chain and listed, as the proofs they stand for are not
 * in it: whoever relies on the result decides whether to trust them.
 */
import { recipeAddressOfDcf } from '../core/address.js';
import { decodeRecipe } from '../core/dcf.js';
import { isRefInput } from '../core/recipe.js';
import { verifySignature } from './node-key.js';
import { isHex64, isObject, parseRecord } from './parse.js';
import { inputAddress, proofHash, signedMessage, type ProofInput, type ProofRecord } from './record.js';

export interface VerifyFailure {
  /** Where in the chain: `root`, `root.inputs[0]`, ... */
  readonly path: string;
  /** The recipe of the proof at `path`, when it could be read. */
  readonly recipe?: string;
  readonly reason: string;
}

export interface Verification {
  readonly ok: boolean;
  /** Proofs checked. */
  readonly proofs: number;
  /** Distinct leaves the chain ends at, and its anchors. */
  readonly leaves: readonly string[];
  readonly anchors: ReadonlyArray<{ readonly path: string; readonly hash: string }>;
  /** Distinct node keys that signed the proofs. */
  readonly signers: readonly string[];
  readonly failures: readonly VerifyFailure[];
}

export interface VerifyOptions {
  /** When given, every proof must be signed by one of these public keys (hex). */
  readonly trust?: readonly string[];
}

export function verifyChain(chain: unknown, options: VerifyOptions = {}): Verification {
  const checker = new Checker(options.trust?.length ? new Set(options.trust.map((k) => k.toLowerCase())) : undefined);
  checker.node(chain, 'root', undefined);
  return checker.result();
}

class Checker {
  private proofs = 0;
  private readonly leaves = new Set<string>();
  private readonly anchors: Array<{ path: string; hash: string }> = [];
  private readonly signers = new Set<string>();
  private readonly failures: VerifyFailure[] = [];
  /** Proofs met so far whose hash link holds, by hash: what a `{"same": HASH}` node may name. */
  private readonly seen = new Map<string, ProofRecord>();

  constructor(private readonly trust: ReadonlySet<string> | undefined) {}

  result(): Verification {
    return {
      ok: this.failures.length === 0,
      proofs: this.proofs,
      leaves: [...this.leaves],
      anchors: this.anchors,
      signers: [...this.signers],
      failures: this.failures,
    };
  }

  /** Checks the chain node at `path`, which stands for `signed` (the parent's input entry). */
  node(node: unknown, path: string, signed: ProofInput | undefined): void {
    if (isObject(node) && 'proof' in node) return this.proofNode(node, path, signed);
    if (isObject(node) && 'leaf' in node) return this.leaf(node.leaf, path, signed);
    if (isObject(node) && 'anchor' in node) return this.anchor(node.anchor, path, signed);
    if (isObject(node) && 'same' in node) return this.same(node.same, path, signed);
    this.fail(path, signed
      ? `truncated chain: the signed input is ${describe(signed)}, but the chain holds neither its proof nor an anchor`
      : 'not a proof chain: expected an object with "proof", "leaf" or "anchor"');
  }

  private leaf(leaf: unknown, path: string, signed: ProofInput | undefined): void {
    if (!isHex64(leaf)) return this.fail(path, "malformed chain: 'leaf' must be 64 lowercase hex digits");
    if (signed && !('leaf' in signed && signed.leaf === leaf)) {
      return this.fail(path, `input link broken: the signed input is ${describe(signed)}, the chain has leaf ${leaf}`);
    }
    this.leaves.add(leaf);
  }

  private anchor(anchor: unknown, path: string, signed: ProofInput | undefined): void {
    if (!isHex64(anchor)) return this.fail(path, "malformed chain: 'anchor' must be 64 lowercase hex digits");
    if (signed && ('leaf' in signed || signed.proof === undefined)) {
      return this.fail(path, `an anchor cannot stand here: the signed input is ${describe(signed)}, which names no proof hash`);
    }
    if (signed && signed.proof !== anchor) {
      return this.fail(path, `anchor link broken: anchor ${anchor} is not the proof hash ${signed.proof} the signed input names`);
    }
    this.anchors.push({ path, hash: anchor });
  }

  /** A proof given in full earlier in the chain, standing for the parent's input again. */
  private same(same: unknown, path: string, signed: ProofInput | undefined): void {
    if (!isHex64(same)) return this.fail(path, "malformed chain: 'same' must be 64 lowercase hex digits");
    const record = this.seen.get(same);
    if (!record) return this.fail(path, `'same' names proof ${same}, which is not given in full earlier in the chain`);
    if (signed) this.parentLinks(record, same, signed, (reason) => this.fail(path, reason, record.recipe));
  }

  private proofNode(node: Record<string, unknown>, path: string, signed: ProofInput | undefined): void {
    const record = parseRecord(node.proof);
    if (typeof record === 'string') return this.fail(path, `malformed proof: ${record}`);
    this.proofs++;
    const fail = (reason: string) => this.fail(path, reason, record.recipe);
    const hash = proofHash(record);
    if (node.hash !== hash) fail(`hash link broken: the proof hashes to ${hash}, the chain says ${String(node.hash)}`);
    else this.seen.set(hash, record);
    if (signed) this.parentLinks(record, hash, signed, fail);
    this.recipeLinks(record, fail);
    this.signature(record, fail);
    if (!Array.isArray(node.inputs)) return fail("malformed chain: 'inputs' must be an array");
    if (node.inputs.length > record.inputs.length) fail(`the chain has ${node.inputs.length} inputs, the proof ${record.inputs.length}`);
    const chained = node.inputs as unknown[];
    record.inputs.forEach((input, i) => this.node(chained[i], `${path}.inputs[${i}]`, input));
  }

  /** The proof is the one its parent signed for: same recipe, and same hash and output if named. */
  private parentLinks(record: ProofRecord, hash: string, signed: ProofInput, fail: (reason: string) => void): void {
    if ('leaf' in signed) return fail(`input link broken: the signed input is leaf ${signed.leaf}, the chain has a proof of recipe ${record.recipe}`);
    if (signed.recipe !== record.recipe) fail(`input link broken: the signed input is recipe ${signed.recipe}, this proof is of recipe ${record.recipe}`);
    if (signed.proof !== undefined && signed.proof !== hash) fail(`hash link broken: the signed input names proof ${signed.proof}, this proof hashes to ${hash}`);
    if (signed.output !== undefined && signed.output !== record.output) {
      fail(`output link broken: the signed input read output ${signed.output}, this proof is of output ${record.output}`);
    }
  }

  /** The DCF hashes to the recipe address, and names the inputs the proof lists. */
  private recipeLinks(record: ProofRecord, fail: (reason: string) => void): void {
    const dcf = Buffer.from(record.dcf, 'hex');
    const addr = recipeAddressOfDcf(dcf).hex;
    if (addr !== record.recipe) return fail(`recipe link broken: the DCF hashes to ${addr}, the proof names recipe ${record.recipe}`);
    let inputs;
    try {
      inputs = decodeRecipe(dcf).inputs;
    } catch (err) {
      return fail(`recipe link broken: the DCF does not decode: ${(err as Error).message}`);
    }
    if (inputs.length !== record.inputs.length) return fail(`the recipe has ${inputs.length} inputs, the proof names ${record.inputs.length}`);
    inputs.forEach((input, i) => {
      const entry = record.inputs[i]!;
      const named = isRefInput(input) ? `ref:${input.ref}` : input.hex;
      const proofNames = entry.ref !== undefined ? `ref:${entry.ref}` : inputAddress(entry);
      if (named !== proofNames) fail(`input link broken: input ${i} of the recipe is ${named}, the proof names ${proofNames}`);
    });
  }

  private signature(record: ProofRecord, fail: (reason: string) => void): void {
    let valid: boolean;
    try {
      valid = verifySignature(record.node, signedMessage(record), record.sig);
    } catch (err) {
      return fail(`signature: ${(err as Error).message}`);
    }
    if (!valid) return fail(`signature does not verify under node key ${record.node}`);
    this.signers.add(record.node);
    if (this.trust && !this.trust.has(record.node)) fail(`untrusted signer: node key ${record.node} is not one of the --trust keys`);
  }

  private fail(path: string, reason: string, recipe?: string): void {
    this.failures.push(recipe === undefined ? { path, reason } : { path, recipe, reason });
  }
}

function describe(input: ProofInput): string {
  return 'leaf' in input ? `leaf ${input.leaf}` : `recipe ${input.recipe}`;
}
