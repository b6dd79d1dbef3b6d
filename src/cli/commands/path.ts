/** `deriva path ADDR`: where an address lives under the daemon's mount. */
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { withClient, type GlobalArgs } from '../context.js';
import { printJson, printLine } from '../output.js';

interface PathArgs extends GlobalArgs {
  addr: string;
}

export const pathCommand: CommandModule<GlobalArgs, PathArgs> = {
  command: 'path <addr>',
  describe: "Print an address's file path under the daemon's FUSE mount",
  builder: (y) =>
    y
      .positional('addr', { type: 'string', demandOption: true, describe: 'address or unique prefix' })
      .example('cat $($0 path 1a2b3c4d)', 'read a value through the mount'),
  handler: async (args) => {
    const path = await withClient(args, async (client) => {
      const [status, stat] = await Promise.all([client.status(), client.stat(args.addr)]);
      if (!status.mount) throw new Error('the daemon has no mount (start it with `deriva daemon --mount DIR`)');
      return join(status.mount, stat.addr.slice(0, 2), stat.addr);
    });
    if (args.json) printJson({ path });
    else printLine(path);
  },
};
