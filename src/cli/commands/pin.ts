/** `deriva pin ADDR` and `deriva unpin ADDR`: make a leaf or recipe a GC root, or stop it being one. */
import type { CommandModule } from 'yargs';
import { withClient, type GlobalArgs } from '../context.js';
import { printJson, printLine } from '../output.js';

interface PinArgs extends GlobalArgs {
  addr: string;
}

function pinCommandFor(pinned: boolean): CommandModule<GlobalArgs, PinArgs> {
  const verb = pinned ? 'pin' : 'unpin';
  return {
    command: `${verb} <addr>`,
    describe: pinned
      ? "Pin a leaf or recipe: 'deriva gc' keeps it and everything it is made from"
      : "Unpin a leaf or recipe: the next 'deriva gc' deletes it unless something pinned still uses it",
    builder: (y) =>
      y
        .positional('addr', { type: 'string', demandOption: true, describe: 'address or unique prefix' })
        .example(`$0 ${verb} 1a2b3c4d`, pinned ? 'keep this value through garbage collection' : 'let garbage collection take it'),
    handler: async (args) => {
      const r = await withClient(args, (client) => (pinned ? client.pin(args.addr) : client.unpin(args.addr)));
      if (args.json) printJson(r);
      else printLine(r.changed ? `${verb}ned ${r.addr}` : `${r.addr} was ${pinned ? 'already' : 'not'} pinned`);
    },
  };
}

export const pinCommand = pinCommandFor(true);
export const unpinCommand = pinCommandFor(false);
