/** `deriva status`: the daemon's and the store's counters. */
import type { CommandModule } from 'yargs';
import { withClient, type GlobalArgs } from '../context.js';
import type { StatusResponse } from '../../api/gen/deriva.js';
import { humanBytes, printJson, printLine } from '../output.js';

export const statusCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'status',
  describe: 'Show the daemon (version, home, mount, uptime) and store counters',
  handler: async (args) => {
    const s = await withClient(args, (client) => client.status());
    if (args.json) return printJson(s);
    const rows: Array<[string, string]> = [
      ['version', s.version],
      ['home', s.home],
      ['mount', s.mount || '(none)'],
      ['uptime', `${(Number(s.uptimeMs) / 1000).toFixed(0)} s`],
      ['chunk size', humanBytes(s.chunkSize)],
      ['leaves', String(s.leaves)],
      ['recipes', String(s.recipes)],
      ['values', String(s.values)],
      ['chunks', String(s.chunks)],
      ['refs', String(s.refs)],
      ['cached', `${s.cachedOutputs} output(s), ${humanBytes(s.cachedBytes)} on disk${s.cacheBudget === undefined ? ' (no budget)' : ` of a ${humanBytes(s.cacheBudget)} budget`}, ${s.cachePolicy}; ${s.evictions} evicted since start`],
      ['pins', String(s.pins)],
      ['node key', `${s.nodeKey} (signs derivation proofs)`],
      ['computed', `${s.computations} whole output(s) and ${s.chunksComputed} chunk(s) (${humanBytes(s.bytesComputed)}) since start, ${s.queued} queued, ${s.streaming} streaming now; inputs in ${s.execMode}`],
      ['integrity', `${s.integrityEvents} corrupt object(s) found since start, ${s.quarantined} in quarantine`],
      ['scrub', scrubText(s)],
    ];
    for (const [k, v] of rows) printLine(`${k.padEnd(11)}${v}`);
  },
};

/** The pass under way (how far), else the last one (what it found), else 'none since start'. */
function scrubText(s: StatusResponse): string {
  const cur = s.scrubCurrent;
  if (cur) return `running: ${cur.objects}/${s.scrubCurrentTotal} object(s), ${humanBytes(cur.bytes)}, ${cur.corrupt} corrupt so far`;
  const last = s.scrubLast;
  if (!last) return 'none since start';
  const when = new Date(Number(s.scrubLastFinishedMs)).toISOString();
  return `last pass ${when}: ${last.objects} object(s), ${last.ok} ok, ${last.corrupt} corrupt`;
}
