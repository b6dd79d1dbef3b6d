/** `deriva daemon`: runs the daemon in the foreground until SIGTERM or SIGINT. */
import type { CommandModule } from 'yargs';
import { isHostPort } from '../../api/targets.js';
import { EXEC_MODES, type ExecMode } from '../../compute/exec-mode.js';
import { DEFAULT_FLOAT_POLICY, FLOAT_POLICIES, type FloatPolicy } from '../../compute/float-policy.js';
import { resolveHome } from '../../daemon/home.js';
import { INVALIDATION_POLICIES, type InvalidationPolicy } from '../../engine/invalidation.js';
import { POLICY_NAMES, type PolicyName } from '../../engine/cache-policy.js';
import type { GlobalArgs } from '../context.js';
import { POLICY_HELP } from './invalidate.js';
import { parseBytes, parseDuration } from '../units.js';

interface DaemonArgs extends GlobalArgs {
  mount?: string;
  listen: string[];
  'tls-cert'?: string;
  'tls-key'?: string;
  'tls-client-ca'?: string;
  threads?: number;
  metrics?: string;
  invalidation: InvalidationPolicy;
  'float-policy': FloatPolicy;
  'exec-mode': ExecMode;
  'cache-size'?: number;
  'cache-policy': PolicyName;
  'verify-reads': string;
  verify: boolean;
  'scrub-interval'?: number;
  'scrub-rate'?: number;
}

export const daemonCommand: CommandModule<GlobalArgs, DaemonArgs> = {
  command: 'daemon',
  describe: 'Run the Deriva daemon: gRPC on a unix socket in the home, optional TCP and FUSE mount',
  builder: (y) =>
    y
      .option('mount', { type: 'string', describe: 'mount the store read-only here with FUSE (created if missing)' })
      .option('listen', {
        type: 'string',
        array: true,
        default: [],
        describe:
          'also serve gRPC on HOST:PORT (repeatable). A loopback address (127.0.0.0/8, ::1, localhost) is plaintext unless ' +
          'the --tls-* files are given, and open to every user of this machine; any other address is served only with mutual TLS',
      })
      .option('tls-cert', { type: 'string', describe: "PEM file: the daemon's certificate for --listen, naming the address clients dial (subjectAltName)" })
      .option('tls-key', { type: 'string', describe: 'PEM file: the private key of --tls-cert' })
      .option('tls-client-ca', {
        type: 'string',
        describe: 'PEM file: the CA whose certificates clients must present; a client without one it signed (and valid now) is refused',
      })
      .option('threads', { type: 'number', describe: 'compute worker threads (default: one per core)' })
      .option('metrics', {
        type: 'string',
        describe: 'serve Prometheus metrics at http://HOST:PORT/metrics (PORT 0 picks a free port, printed at start)',
      })
      .option('invalidation', {
        choices: INVALIDATION_POLICIES,
        default: 'immediate' as InvalidationPolicy,
        describe: `what 'deriva invalidate' does to cached dependents unless it says --policy. ${POLICY_HELP} ` +
          'Rebinding a ref always forgets its dependents at once, in the same transaction.',
      })
      .option('float-policy', {
        choices: FLOAT_POLICIES,
        default: DEFAULT_FLOAT_POLICY,
        describe:
          'functions that use floating point (fmap, stats): strict runs them on bit-reproducible software math; disabled refuses to register or compute them',
      })
      .option('exec-mode', {
        choices: EXEC_MODES,
        default: 'parallel' as ExecMode,
        describe:
          "how a recipe's inputs are computed: parallel (at once) or sequential (one after the other in recipe order, for debugging); the outputs are the same bytes either way",
      })
      .option('cache-size', {
        type: 'string',
        describe: 'disk budget for computed outputs, e.g. 10GiB (leaves never count and are never evicted); default: unbounded',
        coerce: (text: string) => parseBytes('--cache-size', text),
      })
      .option('cache-policy', {
        choices: POLICY_NAMES,
        default: 'gdsf' as PolicyName,
        describe: 'what goes first when over budget: gdsf (cheap to recompute, large, rarely read) or lru (least recently read)',
      })
      .option('verify-reads', {
        type: 'string',
        choices: ['on', 'off'],
        default: 'on',
        describe: 'check every chunk read from the store against its address; a corrupt leaf chunk reads as EIO / DATA_LOSS, a corrupt computed output is recomputed',
      })
      .option('verify', {
        type: 'boolean',
        default: false,
        describe: 'verification mode for every read: compute each recipe twice and compare; a mismatch marks its function non-deterministic (see fn list) and fails the read',
      })
      .option('scrub-interval', {
        type: 'string',
        describe: 'scrub the whole store in the background this often (30s, 10m, 6h, 1d); off by default',
        coerce: (text: string) => parseDuration('--scrub-interval', text),
      })
      .option('scrub-rate', {
        type: 'string',
        describe: 'the background scrub reads at most this many bytes per second (512K, 50M, 1G); default unlimited',
        coerce: (text: string) => parseBytes('--scrub-rate', text),
      })
      .check((argv) => {
        const bad = argv.listen.find((l) => !isHostPort(l));
        if (bad !== undefined) throw new Error(`--listen '${bad}' is not HOST:PORT`);
        if (argv['daemon-addr'] !== undefined || argv['tls-ca'] !== undefined) {
          throw new Error('--daemon-addr and --tls-ca are for client commands: the daemon takes --listen and --tls-client-ca');
        }
        if (argv.metrics !== undefined && !isHostPort(argv.metrics)) throw new Error(`--metrics '${argv.metrics}' is not HOST:PORT`);
        if (argv.threads !== undefined && (!Number.isInteger(argv.threads) || argv.threads < 1)) {
          throw new Error('--threads must be a whole number >= 1');
        }
        if (argv['scrub-rate'] !== undefined && argv['scrub-interval'] === undefined) {
          throw new Error('--scrub-rate needs --scrub-interval (it paces the background scrub)');
        }
        return true;
      })
      .example('$0 daemon --mount ~/deriva', 'serve the default home and mount it')
      .example('$0 daemon --home /srv/deriva --listen 127.0.0.1:7070', 'another home, also on TCP')
      .example(
        '$0 daemon --listen 0.0.0.0:7070 --tls-cert server.pem --tls-key server.key --tls-client-ca clients-ca.pem',
        'serve the network, with mutual TLS',
      )
      .example('$0 daemon --metrics 127.0.0.1:9464', 'with Prometheus metrics at http://127.0.0.1:9464/metrics')
      .example('$0 daemon --float-policy disabled', 'refuse every function that computes with floating point')
      .example('$0 daemon --cache-size 10GiB', 'keep at most 10 GiB of computed outputs; evicted ones recompute on read')
      .example('$0 daemon --scrub-interval 6h --scrub-rate 50M', 'check the whole store every 6 hours, at most 50 MiB/s'),
  handler: async (args) => {
    // Loaded here so that client commands do not pay for the engine's start-up imports.
    const { Daemon } = await import('../../daemon/daemon.js');
    const daemon = await Daemon.start({
      home: resolveHome(args.home),
      mount: args.mount,
      listen: args.listen,
      tls: { cert: args['tls-cert'], key: args['tls-key'], clientCa: args['tls-client-ca'] },
      metrics: args.metrics,
      engine: {
        threads: args.threads,
        invalidation: args.invalidation,
        floatPolicy: args['float-policy'],
        execMode: args['exec-mode'],
        cacheSize: args['cache-size'],
        cachePolicy: args['cache-policy'],
        verifyReads: args['verify-reads'] === 'on',
        verify: args.verify,
        scrubIntervalMs: args['scrub-interval'],
        scrubRate: args['scrub-rate'],
      },
    });
    const where = (daemon.mount ? `, mounted at ${daemon.mount.dir}` : '') + (daemon.metrics ? `, metrics at ${daemon.metrics.url}` : '');
    process.stderr.write(`deriva daemon ready: socket ${daemon.layout.socket}${where}\n`);
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        daemon.stop(`received ${signal}`).then(resolve, (err: unknown) => {
          daemon.log.error({ err }, 'shutdown failed');
          process.exitCode = 1;
          resolve();
        });
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    // Everything is closed; do not wait on stray handles (e.g. idle HTTP/2 sessions).
    process.exit(process.exitCode ?? 0);
  },
};
