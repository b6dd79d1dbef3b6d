/**
 * Materializations as structured log lines: every whole computation and promotion at info,
 * every chunk computed for a range read at debug (a large read makes many), each with the
 * recipe address, the function, the duration and the size.
 */
import type { Materialization, Observer } from './observer.js';

/** The part of a pino logger this needs. */
export interface MaterializationLog {
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

const MESSAGES = { whole: 'materialized', chunk: 'materialized chunk', promotion: 'materialized: computed chunks promoted to one value' } as const;

export function materializationLog(log: MaterializationLog): Pick<Observer, 'onMaterialized'> {
  return {
    onMaterialized(m: Materialization) {
      const fields = { addr: m.addr, fn: m.fn, kind: m.kind, chunk: m.chunk, ms: round(m.seconds * 1000), bytes: m.bytes };
      if (m.kind === 'chunk') log.debug(fields, MESSAGES.chunk);
      else log.info(fields, MESSAGES[m.kind]);
    },
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
