/** `deriva invalidate ADDR`: forgets cached outputs of an address and everything built on it. */
import type { CommandModule } from 'yargs';
import { withClient, type GlobalArgs } from '../context.js';
import { printJson, printLine } from '../output.js';

interface InvalidateArgs extends GlobalArgs {
  addr: string;
}

export const invalidateCommand: CommandModule<GlobalArgs, InvalidateArgs> = {
  command: 'invalidate <addr>',
  describe: 'Forget the cached output of an address and of every recipe depending on it (recomputed on next read)',
  builder: (y) => y.positional('addr', { type: 'string', demandOption: true, describe: 'address or unique prefix' }),
  handler: async (args) => {
    const r = await withClient(args, (client) => client.invalidate(args.addr));
    if (args.json) printJson(r);
    else printLine(`evicted ${r.evicted} cached output(s), ${r.depth} level(s) deep`);
  },
};
