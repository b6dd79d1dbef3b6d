/**
 * `deriva ref set|get|list|history`: refs, named pointers that can be rebound. A recipe takes a
 * ref as an input with `--input ref:NAME`; rebinding the ref forgets the cached outputs of every
 * recipe reading it, so their next read recomputes with the new binding.
 */
import type { CommandModule } from 'yargs';
import type { RefBinding } from '../../api/gen/deriva.js';
import { REF_NAME_RULE } from '../../core/ref-name.js';
import { withClient, type GlobalArgs } from '../context.js';
import { printJson, printLine } from '../output.js';

interface NameArgs extends GlobalArgs {
  name: string;
}

interface SetArgs extends NameArgs {
  addr: string;
}

/** A binding for people: name, address, and when (UTC, ISO 8601). */
function bindingLine(b: RefBinding, withName = true): string {
  const when = new Date(Number(b.timeMs)).toISOString();
  return withName ? `${b.name}  ${b.addr}  ${when}` : `${b.addr}  ${when}`;
}

const jsonBinding = (b: RefBinding) => ({ name: b.name, addr: b.addr, time: new Date(Number(b.timeMs)).toISOString(), timeMs: b.timeMs });

const nameArg = { type: 'string', demandOption: true, describe: `ref name: ${REF_NAME_RULE}` } as const;

const setCommand: CommandModule<GlobalArgs, SetArgs> = {
  command: 'set <name> <addr>',
  describe: 'Bind a ref to an address (creating or rebinding it); forgets cached outputs of every recipe reading it',
  builder: (y) =>
    y
      .positional('name', nameArg)
      .positional('addr', { type: 'string', demandOption: true, describe: 'address or unique prefix of a stored leaf or recipe' })
      .example('$0 ref set dataset 1a2b3c4d', 'point "dataset" at a value; recipes over ref:dataset now read it'),
  handler: async (args) => {
    const r = await withClient(args, (client) => client.setRef(args.name, args.addr));
    if (args.json) {
      return printJson({ ...jsonBinding(r.binding!), previous: r.previous && jsonBinding(r.previous), evicted: r.evicted, depth: r.depth });
    }
    const was = r.previous ? `, was ${r.previous.addr}` : '';
    printLine(`${r.binding!.name} -> ${r.binding!.addr}${was}; evicted ${r.evicted} cached output(s), ${r.depth} level(s) deep`);
  },
};

const getCommand: CommandModule<GlobalArgs, NameArgs> = {
  command: 'get <name>',
  describe: 'Print the address a ref is bound to',
  builder: (y) => y.positional('name', nameArg),
  handler: async (args) => {
    const b = await withClient(args, (client) => client.getRef(args.name));
    if (args.json) printJson(jsonBinding(b));
    else printLine(b.addr);
  },
};

const listCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'list',
  describe: 'List every ref: name, address, when it was bound',
  handler: async (args) => {
    const refs = await withClient(args, (client) => client.listRefs());
    if (args.json) printJson(refs.map(jsonBinding));
    else for (const b of refs) printLine(bindingLine(b));
  },
};

const historyCommand: CommandModule<GlobalArgs, NameArgs> = {
  command: 'history <name>',
  describe: 'Every binding a ref has had, oldest first: address and time',
  builder: (y) => y.positional('name', nameArg),
  handler: async (args) => {
    const bindings = await withClient(args, (client) => client.refHistory(args.name));
    if (args.json) printJson(bindings.map(jsonBinding));
    else for (const b of bindings) printLine(bindingLine(b, false));
  },
};

export const refCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'ref <command>',
  describe: 'Named pointers to addresses, which recipes can take as inputs (--input ref:NAME)',
  builder: (y) =>
    y
      .command(setCommand)
      .command(getCommand)
      .command(listCommand)
      .command(historyCommand)
      .demandCommand(1, 'say which: deriva ref set|get|list|history')
      .epilogue(
        'A recipe over ref:NAME has an address fixed by the name; reading it uses the current binding.\n' +
          'Rebinding forgets, in the same transaction, the cached output of every recipe reading the ref\n' +
          '(transitively), so the next read recomputes. <mnt>/refs/NAME is a symlink to the bound value.',
      ),
  handler: () => {},
};
