/** `deriva recipe FN --input ADDR|ref:NAME... --param k=v...`: registers a recipe, prints its address. */
import type { CommandModule } from 'yargs';
import { withClient, type GlobalArgs } from '../context.js';
import { printJson, printLine } from '../output.js';

interface RecipeArgs extends GlobalArgs {
  fn: string;
  input: string[];
  param: string[];
  pin: boolean;
}

export const recipeCommand: CommandModule<GlobalArgs, RecipeArgs> = {
  command: 'recipe <fn>',
  describe: 'Register a recipe (function@version over inputs with params); prints its address',
  builder: (y) =>
    y
      .positional('fn', { type: 'string', demandOption: true, describe: "function as name@version (see 'deriva fn list')" })
      .option('input', { alias: 'i', type: 'string', array: true, default: [], describe: 'input: address or unique prefix, or ref:NAME to read a ref\'s current binding (repeat, in order)' })
      .option('param', { alias: 'p', type: 'string', array: true, default: [], describe: 'parameter as key=value (repeat); coerced by the schema' })
      .option('pin', { type: 'boolean', default: true, describe: "pin the recipe so 'deriva gc' keeps it and its inputs (--no-pin to skip)" })
      .check((argv) => {
        const bad = argv.param.find((p) => !p.includes('=') || p.startsWith('='));
        if (bad !== undefined) throw new Error(`--param '${bad}' is not of the form key=value`);
        return true;
      })
      .example('$0 recipe upper@1 --input 1a2b3c4d', 'upper-case a stored value')
      .example('$0 recipe slice@1 -i 1a2b3c4d -p offset=10 -p length=100', 'bytes 10..110')
      .example('$0 recipe upper@1 --input ref:dataset', 'over whatever "dataset" is bound to; recomputed after a rebind'),
  handler: async (args) => {
    const params = args.param.map((p): [string, string] => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]);
    const addr = await withClient(args, (client) => client.putRecipe(args.fn, args.input, params, { pin: args.pin }));
    if (args.json) printJson({ addr });
    else printLine(addr);
  },
};
