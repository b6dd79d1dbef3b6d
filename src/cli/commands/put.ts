/** `deriva put FILE|-`: stores a file or standard input as a leaf and prints its address. */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import cliProgress from 'cli-progress';
import type { CommandModule } from 'yargs';
import { withClient, type GlobalArgs } from '../context.js';
import { printJson, printLine } from '../output.js';

interface PutArgs extends GlobalArgs {
  file: string;
  pin: boolean;
}

/** Files at least this large get a progress bar (when stderr is a terminal). */
const PROGRESS_MIN_BYTES = 16 * 1024 * 1024;

export const putCommand: CommandModule<GlobalArgs, PutArgs> = {
  command: 'put <file>',
  describe: 'Store a file (or - for standard input) as a leaf; prints its address (= b3sum of the bytes)',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'file to store, or - for standard input' })
      .option('pin', { type: 'boolean', default: true, describe: "pin the leaf so 'deriva gc' keeps it (--no-pin: keep it only while something pinned uses it)" })
      .example('$0 put photo.jpg', 'store a file')
      .example('tar c dir | $0 put -', 'store a stream'),
  handler: async (args) => {
    const { source, size } = await openSource(args.file);
    const bar = size !== undefined && size >= PROGRESS_MIN_BYTES && process.stderr.isTTY ? progressBar(size) : undefined;
    try {
      const put = await withClient(args, (client) =>
        client.putLeaf(source as AsyncIterable<Uint8Array>, bar ? (sent) => bar.update(sent) : undefined, { pin: args.pin }),
      );
      bar?.update(size ?? 0);
      bar?.stop();
      if (args.json) printJson(put);
      else printLine(put.addr);
    } finally {
      bar?.stop();
      source.destroy();
    }
  },
};

async function openSource(file: string): Promise<{ source: Readable; size?: number }> {
  // yargs hands a lone '-' positional over as ''.
  if (file === '-' || (file === '' && process.argv.includes('-'))) return { source: process.stdin };
  const info = await stat(file).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  if (!info.isFile()) throw new Error(`cannot read ${file}: not a regular file`);
  return { source: createReadStream(file, { highWaterMark: 1024 * 1024 }), size: info.size };
}

function progressBar(total: number): cliProgress.SingleBar {
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'put [{bar}] {percentage}% {value}/{total} bytes | eta {eta}s', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return bar;
}
