/** `deriva fn list`: the functions recipes may call, with their param schemas. */
import type { CommandModule } from 'yargs';
import { withClient, type GlobalArgs } from '../context.js';
import { printJson, printLine } from '../output.js';

export const fnCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'fn <command>',
  describe: 'Inspect compute functions',
  builder: (y) => y.command(fnListCommand).demandCommand(1, 'say which: deriva fn list'),
  handler: () => {},
};

const fnListCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'list',
  describe: 'List every function with its kind, inputs and params ([uses float]: refused under --float-policy disabled)',
  handler: async (args) => {
    const fns = await withClient(args, (client) => client.listFunctions());
    if (args.json) return printJson(fns);
    for (const f of fns) {
      const inputs = f.maxInputs === undefined ? `${f.minInputs}+` : f.minInputs === f.maxInputs ? `${f.minInputs}` : `${f.minInputs}-${f.maxInputs}`;
      const float = f.usesFloat ? ' [uses float]' : '';
      printLine(`${`${f.id} `.padEnd(16)}${f.kind.padEnd(11)}inputs ${inputs.padEnd(4)} ${f.doc}${float}`);
      if (f.nondeterministic) printLine(`    NON-DETERMINISTIC: recipe ${f.nondeterministicRecipe} gave two different outputs under --verify`);
      for (const p of f.params) {
        const dflt = p.required ? 'required' : `default ${JSON.stringify(p.default ?? '')}`;
        printLine(`    ${p.name.padEnd(12)}${p.type.padEnd(7)}${dflt.padEnd(18)} ${p.doc}`);
      }
    }
  },
};
