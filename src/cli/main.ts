/**
 * The `deriva` command line. One module per command under commands/; this file only assembles
 * them and maps failures to exit codes: usage errors exit 2, everything else prints one line
 * on stderr and exits 1.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { VERSION } from '../daemon/version.js';
import { auditCommand } from './commands/audit.js';
import { daemonCommand } from './commands/daemon.js';
import { fnCommand } from './commands/fn.js';
import { gcCommand } from './commands/gc.js';
import { getCommand } from './commands/get.js';
import { invalidateCommand } from './commands/invalidate.js';
import { pathCommand } from './commands/path.js';
import { pinCommand, unpinCommand } from './commands/pin.js';
import { proofCommand } from './commands/proof.js';
import { putCommand } from './commands/put.js';
import { recipeCommand } from './commands/recipe.js';
import { refCommand } from './commands/ref.js';
import { resolveCommand } from './commands/resolve.js';
import { scrubCommand } from './commands/scrub.js';
import { statCommand } from './commands/stat.js';
import { statusCommand } from './commands/status.js';
import { globalOptions, reportFailure, usageError } from './context.js';

// `deriva get ... | head` closes the pipe early: that is success, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  reportFailure(err);
});

const cli = globalOptions(yargs(hideBin(process.argv)))
  .scriptName('deriva')
  .usage('$0 <command> [options]\n\nDeriva: a store where values are addressed by content or by recipe, computed on read.')
  .command(daemonCommand)
  .command(putCommand)
  .command(recipeCommand)
  .command(getCommand)
  .command(statCommand)
  .command(resolveCommand)
  .command(invalidateCommand)
  .command(refCommand)
  .command(pinCommand)
  .command(unpinCommand)
  .command(gcCommand)
  .command(statusCommand)
  .command(pathCommand)
  .command(fnCommand)
  .command(scrubCommand)
  .command(proofCommand)
  .command(auditCommand)
  .demandCommand(1, 'say which command (see --help)')
  .strict()
  .version(VERSION)
  .help()
  .alias('h', 'help')
  .wrap(Math.min(110, process.stdout.columns || 100))
  .epilogue('Addresses may be given as a unique prefix of at least 8 hex digits.\nThe daemon is found through --home / DERIVA_HOME (default ~/.deriva),\nor over TCP through --daemon-addr / DERIVA_ADDR (with --tls-* / DERIVA_TLS_*).')
  .fail((message, err) => {
    if (err && !message) reportFailure(err); // a command failed
    usageError(message ?? err?.message ?? 'bad usage');
  });

await cli.parseAsync().catch(reportFailure);
