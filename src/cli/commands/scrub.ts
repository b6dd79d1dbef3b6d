/** `deriva scrub`: checks every stored chunk and recipe now, quarantining what is corrupt. */
import type { CommandModule } from 'yargs';
import { withClient, type GlobalArgs } from '../context.js';
import { humanBytes, printJson, printLine } from '../output.js';
import { parseBytes } from '../units.js';

interface ScrubArgs extends GlobalArgs {
  rate?: number;
}

export const scrubCommand: CommandModule<GlobalArgs, ScrubArgs> = {
  command: 'scrub',
  describe: 'Check every stored chunk and recipe against its address now; quarantine what is corrupt',
  builder: (y) =>
    y
      .option('rate', {
        type: 'string',
        describe: 'read at most this many bytes per second (512K, 50M, 1G); default unlimited',
        coerce: (text: string) => parseBytes('--rate', text),
      })
      .example('$0 scrub', 'one full pass, with a summary')
      .example('$0 scrub --rate 50M --json', 'a gentler pass; the report as {objects, ok, corrupt, bytes, durationMs, quarantined}')
      .epilogue(
        'Corrupt chunks and recipes are moved to the quarantine (their bytes kept for inspection) and never served: ' +
          'a computed output that used one is recomputed on its next read, a leaf that used one reads as EIO / DATA_LOSS. ' +
          "The exit status is 0 whether or not corruption was found; 'corrupt' in the report says. " +
          "The daemon can also scrub in the background (deriva daemon --scrub-interval); 'deriva status' shows its progress.",
      ),
  handler: async (args) => {
    const r = await withClient(args, (client) => client.scrub({ rate: args.rate }));
    if (args.json) return printJson(r);
    const seconds = (Number(r.durationMs) / 1000).toFixed(1);
    printLine(`checked ${r.objects} object(s), ${humanBytes(r.bytes)} in ${seconds} s: ${r.ok} ok, ${r.corrupt} corrupt`);
    for (const q of r.quarantined) printLine(`quarantined ${q.kind.padEnd(7)}${q.addr}`);
  },
};
