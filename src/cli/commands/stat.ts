/** `deriva stat ADDR`: kind, state, size and recipe of an address. */
import type { CommandModule } from 'yargs';
import type * as pb from '../../api/gen/deriva.js';
import { withClient, type GlobalArgs } from '../context.js';
import { humanBytes, printJson, printLine } from '../output.js';
import { paramText } from '../recipe-text.js';

interface StatArgs extends GlobalArgs {
  addr: string;
  compute: boolean;
  verify: boolean;
}

export const statCommand: CommandModule<GlobalArgs, StatArgs> = {
  command: 'stat <addr>',
  describe: 'Show what is known about an address: kind, state, size, recipe, last failure',
  builder: (y) =>
    y
      .positional('addr', { type: 'string', demandOption: true, describe: 'address or unique prefix (>= 8 hex digits)' })
      .option('compute', { type: 'boolean', default: false, describe: 'compute the value if its size is not known yet' })
      .option('verify', {
        type: 'boolean',
        default: false,
        describe: 'compute in verification mode (implies --compute): every recipe below ADDR twice, compared; a mismatch marks the function non-deterministic and fails',
      })
      .example('$0 stat 1a2b3c4d --compute --verify', 'materialize, checking that the functions are deterministic'),
  handler: async (args) => {
    const s = await withClient(args, (client) => client.stat(args.addr, { compute: args.compute, verify: args.verify }));
    if (args.json) return printJson(s);
    const rows: Array<[string, string]> = [
      ['addr', s.addr],
      ['kind', s.kind],
      ['state', stateText(s)],
      ['size', s.size === undefined ? 'unknown until computed' : `${s.size} (${humanBytes(s.size)})`],
    ];
    if (s.content !== undefined && s.content !== s.addr) rows.push(['content', s.content]);
    if (s.recipe) {
      rows.push(['function', s.recipe.function]);
      s.recipe.inputs.forEach((input, i) => rows.push([i === 0 ? 'inputs' : '', input]));
      s.recipe.params.forEach((p, i) => rows.push([i === 0 ? 'params' : '', paramText(p)]));
    }
    if (s.error !== undefined) rows.push(['error', s.error]);
    for (const [k, v] of rows) printLine(`${k.padEnd(9)}${v}`);
  },
};

/** "partial 3/1024 chunks", "computing 5.0 MiB so far", or the bare state. */
function stateText(s: pb.StatResponse): string {
  if (s.chunksTotal !== undefined) return `${s.state} ${s.chunksComputed}/${s.chunksTotal} chunks`;
  if (s.bytesProduced !== undefined) return `${s.state} ${humanBytes(s.bytesProduced)} so far`;
  return s.state;
}
