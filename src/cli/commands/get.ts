/** `deriva get ADDR [--offset N] [--length N] [--verify]`: writes a value's raw bytes to stdout. */
import { once } from 'node:events';
import type { CommandModule } from 'yargs';
import { withClient, type GlobalArgs } from '../context.js';

interface GetArgs extends GlobalArgs {
  addr: string;
  offset?: number;
  length?: number;
  verify: boolean;
}

export const getCommand: CommandModule<GlobalArgs, GetArgs> = {
  command: 'get <addr>',
  describe: 'Write the bytes of a value to standard output, computing it if needed',
  builder: (y) =>
    y
      .positional('addr', { type: 'string', demandOption: true, describe: 'address or unique prefix (>= 8 hex digits)' })
      .option('offset', { type: 'number', describe: 'first byte to read' })
      .option('length', { type: 'number', describe: 'bytes to read (default: to the end)' })
      .option('verify', {
        type: 'boolean',
        default: false,
        describe: 'verification mode: compute every recipe below ADDR twice and compare first; a mismatch marks the function non-deterministic and fails',
      })
      .check((argv) => {
        for (const k of ['offset', 'length'] as const) {
          const v = argv[k];
          if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) throw new Error(`--${k} must be a whole number >= 0`);
        }
        return true;
      })
      .example('$0 get 1a2b3c4d > out.bin', 'save a value')
      .example('$0 get 1a2b3c4d --offset 4096 --length 100', 'read a range')
      .example('$0 get 1a2b3c4d --verify > out.bin', 'only if two independent computations agree'),
  handler: async (args) => {
    await withClient(args, async (client) => {
      for await (const piece of client.get(args.addr, { offset: args.offset, length: args.length, verify: args.verify })) {
        if (!process.stdout.write(piece)) await once(process.stdout, 'drain');
      }
    });
  },
};
