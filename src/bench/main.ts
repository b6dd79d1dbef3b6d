/**
 * `make bench`: runs every benchmark and prints one table of ratios against baselines measured
 * side by side in the same run. Exits 0 even when a target is missed (the table says MISS):
 * benchmarks inform, tests gate.
 */
import { benchCache } from './cache.js';
import { benchFuse } from './fuse.js';
import { benchGrpc } from './grpc.js';
import { benchHash } from './hash.js';
import { benchIngest } from './ingest.js';
import { benchLazy } from './lazy.js';
import { benchMetrics } from './metrics.js';
import { benchOpen } from './open.js';
import { benchVerify } from './verify.js';
import { formatResults, type BenchResult } from './result.js';

const suites: Record<string, () => Promise<BenchResult[]>> = {
  hash: benchHash,
  ingest: benchIngest,
  open: benchOpen,
  fuse: benchFuse,
  grpc: benchGrpc,
  lazy: benchLazy,
  metrics: benchMetrics,
  cache: benchCache,
  verify: benchVerify,
};

const only = process.argv.slice(2);
const results: BenchResult[] = [];
for (const [name, suite] of Object.entries(suites)) {
  if (only.length > 0 && !only.includes(name)) continue;
  process.stderr.write(`bench: ${name}...\n`);
  results.push(...(await suite()));
}
console.log(formatResults(results));
