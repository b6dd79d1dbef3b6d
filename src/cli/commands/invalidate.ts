/** `deriva invalidate ADDR`: forgets cached outputs of an address and, by policy, everything built on it. */
import type { CommandModule } from 'yargs';
import { INVALIDATION_POLICIES, type InvalidationPolicy } from '../../engine/invalidation.js';
import { withClient, type GlobalArgs } from '../context.js';
import { printJson, printLine } from '../output.js';

interface InvalidateArgs extends GlobalArgs {
  addr: string;
  policy?: InvalidationPolicy;
}

/** What each policy does, for `--help` of `invalidate` and `daemon`. */
export const POLICY_HELP =
  'none: forget only the output of the address itself; outputs built on it stay cached. ' +
  'immediate: forget it and every cached transitive dependent (reverse DAG) before returning. ' +
  'deferred: forget it now; queue its dependents and forget them in batches (after 100 ms, or at once ' +
  'when 1024 are queued), returning what will be evicted.';

export const invalidateCommand: CommandModule<GlobalArgs, InvalidateArgs> = {
  command: 'invalidate <addr>',
  describe: 'Forget the cached output of an address and of recipes depending on it (recomputed on next read)',
  builder: (y) =>
    y
      .positional('addr', { type: 'string', demandOption: true, describe: 'address or unique prefix' })
      .option('policy', {
        choices: INVALIDATION_POLICIES,
        describe: `what happens to cached dependents (default: the daemon's --invalidation). ${POLICY_HELP}`,
      })
      .example('$0 invalidate 1a2b3c4d', 'forget it and everything built on it')
      .example('$0 invalidate 1a2b3c4d --policy none', 'forget only its own output'),
  handler: async (args) => {
    const r = await withClient(args, (client) => client.invalidate(args.addr, args.policy));
    if (args.json) return printJson(r);
    const queued = r.pending > 0n ? ` (${r.pending} dependent(s) queued, forgotten shortly)` : '';
    printLine(`evicted ${r.evicted} cached output(s), ${r.depth} level(s) deep, policy ${r.policy}${queued}`);
  },
};
