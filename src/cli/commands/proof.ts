/**
 * `deriva proof ADDR` and `deriva proof verify FILE`: the signed derivation proof of a cached
 * output as a JSON chain down to leaves or anchors, and its verification, offline, without
 * recomputing anything (docs/proofs.md).
 */
import { readFile } from 'node:fs/promises';
import type { CommandModule } from 'yargs';
import { verifyChain, type Verification } from '../../proof/verify.js';
import { usageError, withClient, type GlobalArgs } from '../context.js';
import { printJson, printLine } from '../output.js';

interface ProofArgs extends GlobalArgs {
  addr?: string;
}

interface VerifyArgs extends GlobalArgs {
  file: string;
  trust: readonly string[];
}

async function readChain(file: string): Promise<unknown> {
  const text = file === '-' ? await readStdin() : await readFile(file, 'utf8').catch((err: Error) => {
    throw new Error(`cannot read ${file}: ${err.message}`);
  });
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${file} is not JSON: ${(err as Error).message}`);
  }
}

async function readStdin(): Promise<string> {
  const pieces: Buffer[] = [];
  for await (const piece of process.stdin) pieces.push(piece as Buffer);
  return Buffer.concat(pieces).toString('utf8');
}

function printVerification(v: Verification): void {
  for (const f of v.failures) printLine(`FAILED ${f.path}${f.recipe ? ` (recipe ${f.recipe})` : ''}: ${f.reason}`);
  if (!v.ok) return;
  printLine(`ok: ${v.proofs} proof(s), ${v.leaves.length} leaf input(s), ${v.anchors.length} anchor(s)`);
  for (const key of v.signers) printLine(`signed by ${key}`);
  for (const a of v.anchors) printLine(`anchor  ${a.path}  ${a.hash}`);
}

const verifyCommand: CommandModule<GlobalArgs, VerifyArgs> = {
  command: 'verify <file>',
  describe: 'Check every hash link and signature of a proof chain, without recomputing anything',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: "a chain `deriva proof ADDR` printed ('-' for stdin)" })
      .option('trust', {
        type: 'string',
        default: [] as string[],
        describe: 'a node public key (64 hex digits, `deriva status`) to trust; repeat for more; given any, every proof must be signed by one of them',
        coerce: (keys: string | string[]) => {
          const list = [keys].flat(); // verifyChain compares them in lower case
          const bad = list.find((k) => !/^[0-9a-fA-F]{64}$/.test(k));
          if (bad !== undefined) throw new Error(`--trust '${bad}' is not a node public key (64 hex digits, as deriva status shows it)`);
          return list;
        },
      })
      .example('$0 proof 4c51d0aa > p.json && $0 proof verify p.json', 'check a proof this node signed')
      .example('$0 proof verify p.json --trust $(deriva status --json | jq -r .nodeKey)', 'and require that it was this node'),
  handler: async (args) => {
    const v = verifyChain(await readChain(args.file), { trust: args.trust });
    if (args.json) printJson(v);
    else printVerification(v);
    if (!v.ok) {
      const first = v.failures[0]!;
      throw new Error(`proof verification failed: ${v.failures.length} problem(s), first at ${first.path}: ${first.reason}`);
    }
  },
};

export const proofCommand: CommandModule<GlobalArgs, ProofArgs> = {
  command: 'proof [addr]',
  describe: 'Print the signed derivation proof of a cached output as JSON, with its inputs\' proofs (or: proof verify FILE)',
  builder: (y) =>
    y
      .command(verifyCommand)
      .positional('addr', { type: 'string', describe: 'address or unique prefix of a materialized recipe (or a leaf)' })
      .example('$0 proof 4c51d0aa > p.json', 'save the chain')
      .example('$0 proof verify p.json', 'check it (see deriva proof verify --help)')
      .epilogue(
        'Each output a node materializes gets a proof, signed with the node key: the recipe (its address and\n' +
          'DCF bytes), how each input was read (a leaf address, or a recipe with its output and proof hash),\n' +
          'the output content hash and size, the node public key and the time. The chain nests the proof of\n' +
          'every input down to leaves; where a proof is no longer held (evicted or recomputed since), an\n' +
          '{"anchor": HASH} stands for it. The proof goes when the output is evicted or invalidated, and a\n' +
          'recomputation signs a new one. The output is JSON with or without --json. docs/proofs.md has the format.',
      ),
  handler: async (args) => {
    const addr = args.addr;
    if (addr === undefined) {
      // A usage error (exit 2), raised here: a check in the builder would apply to `verify` too.
      usageError('say which address: deriva proof ADDR (or deriva proof verify FILE)', 'deriva proof --help');
    }
    printJson(await withClient(args, (client) => client.proof(addr)));
  },
};
