/** Materializations as log lines: whole outputs and promotions at info, chunks at debug. */
import t from 'tap';
import { materializationLog } from '../../src/metrics/log-observer.js';

t.test('each materialization is logged with addr, fn, duration and size', async (t) => {
  const lines: Array<{ level: string; obj: object; msg: string }> = [];
  const log = materializationLog({
    info: (obj, msg) => lines.push({ level: 'info', obj, msg }),
    debug: (obj, msg) => lines.push({ level: 'debug', obj, msg }),
  });
  const addr = 'ab'.repeat(32);
  log.onMaterialized({ addr, fn: 'sort-lines@1', kind: 'whole', seconds: 0.0123456, bytes: 42 });
  log.onMaterialized({ addr, fn: 'upper@1', kind: 'chunk', chunk: 7, seconds: 0.002, bytes: 4096 });
  log.onMaterialized({ addr, fn: 'upper@1', kind: 'promotion', seconds: 0.5, bytes: 1 << 20 });
  t.match(lines, [
    { level: 'info', msg: 'materialized', obj: { addr, fn: 'sort-lines@1', kind: 'whole', ms: 12.346, bytes: 42 } },
    { level: 'debug', msg: 'materialized chunk', obj: { addr, fn: 'upper@1', chunk: 7, ms: 2, bytes: 4096 } },
    { level: 'info', msg: /promoted/, obj: { addr, fn: 'upper@1', kind: 'promotion', ms: 500, bytes: 1 << 20 } },
  ]);
});
