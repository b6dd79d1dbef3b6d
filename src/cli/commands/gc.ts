/** `deriva gc [--dry-run]`: deletes whatever no pin reaches, and says what went. */
import type { CommandModule } from 'yargs';
import { withClient, type GlobalArgs } from '../context.js';
import { humanBytes, printJson, printLine } from '../output.js';

interface GcArgs extends GlobalArgs {
  'dry-run': boolean;
}

export const gcCommand: CommandModule<GlobalArgs, GcArgs> = {
  command: 'gc',
  describe:
    'Collect garbage: keep what pins reach (recipes, their inputs down to leaves, their cached outputs) and delete the rest',
  builder: (y) =>
    y
      .option('dry-run', { type: 'boolean', default: false, describe: 'only report what would be deleted' })
      .example('$0 gc --dry-run', 'see what a collection would delete')
      .example('$0 unpin 1a2b3c4d && $0 gc', 'drop a value and whatever only it used'),
  handler: async (args) => {
    const r = await withClient(args, (client) => client.gc({ dryRun: args['dry-run'] }));
    if (args.json) return printJson(r);
    const what = `${r.leaves} leaf(s), ${r.recipes} recipe(s), ${r.chunks} chunk(s), ${humanBytes(r.bytes)}`;
    printLine(r.dryRun ? `would delete ${what}` : `deleted ${what}`);
  },
};
