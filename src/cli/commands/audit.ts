/** `deriva audit`: the append-only log of every output this node materialized, with its proof. */
import type { CommandModule } from 'yargs';
import type { AuditEntry } from '../../api/gen/deriva.js';
import { withClient, type GlobalArgs } from '../context.js';
import { humanBytes, printJson, printLine } from '../output.js';
import { parseSince } from '../since.js';

interface AuditArgs extends GlobalArgs {
  addr?: string;
  since?: number;
}

const jsonEntry = (e: AuditEntry) => ({ ...e, time: new Date(Number(e.timeMs)).toISOString() });

function printEntry(e: AuditEntry): void {
  printLine(`#${e.seq}  ${new Date(Number(e.timeMs)).toISOString()}`);
  printLine(`  recipe  ${e.recipe}`);
  e.inputs.forEach((input, i) => printLine(`  ${i === 0 ? 'inputs' : '      '}  ${input}`));
  printLine(`  output  ${e.output} (${humanBytes(e.size)})`);
  printLine(`  node    ${e.node}`);
  printLine(`  proof   ${e.proof}`);
}

export const auditCommand: CommandModule<GlobalArgs, AuditArgs> = {
  command: 'audit',
  describe: 'Show the audit log: every output this node materialized (recipe, inputs, output, node, time, proof hash)',
  builder: (y) =>
    y
      .option('addr', { type: 'string', describe: 'only entries naming this address as recipe, input or output (a unique prefix of a leaf or recipe, or a full output hash)' })
      .option('since', {
        type: 'string',
        describe: 'only entries from this time on: a time (2026-11-21T05:00:00Z) or how long ago (30s, 15m, 2h, 7d)',
        coerce: (text: string) => parseSince(text),
      })
      .example('$0 audit --addr 4c51d0aa', 'every time this recipe was computed, and what was computed from this leaf')
      .example('$0 audit --since 1h --json', 'the last hour, for scripts')
      .epilogue(
        'Entries are kept in order and never rewritten or deleted: evicting, invalidating or collecting an\n' +
          'output drops its proof (deriva proof) but not its audit entry. The proof hash of an entry names the\n' +
          'proof that was signed then; a proof verified earlier can be matched against it.',
      ),
  handler: async (args) => {
    await withClient(args, async (client) => {
      const entries = client.audit({ addr: args.addr, sinceMs: args.since });
      if (!args.json) {
        for await (const e of entries) printEntry(e);
        return;
      }
      const all: ReturnType<typeof jsonEntry>[] = [];
      for await (const e of entries) all.push(jsonEntry(e));
      printJson(all);
    });
  },
};
