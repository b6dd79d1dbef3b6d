/**
 * Reports every FUSE op to a {@link FuseObserver}: its latency from call to reply and whether
 * it replied with an errno, and for `read` the bytes handed to the kernel. It wraps the
 * callback fuse-native passes last, so it sees exactly what the kernel is told, after the
 * op guard has turned any failure into an errno.
 */
import type { FuseObserver } from '../metrics/observer.js';
import type { FuseCallback, FuseHandler } from './op-guard.js';

export function timedOps(ops: Record<string, FuseHandler>, observer: FuseObserver): Record<string, FuseHandler> {
  const timed: Record<string, FuseHandler> = {};
  for (const [op, handler] of Object.entries(ops)) timed[op] = timedOp(op, handler, observer);
  return timed;
}

function timedOp(op: string, handler: FuseHandler, observer: FuseObserver): FuseHandler {
  const run = handler as (...args: unknown[]) => void;
  return ((...args: unknown[]) => {
    const started = performance.now();
    const cb = args[args.length - 1] as FuseCallback;
    args[args.length - 1] = ((code: number, ...values: unknown[]) => {
      observer.onFuseOp(op, (performance.now() - started) / 1000, code >= 0);
      // read's reply code is the number of bytes placed in the kernel's buffer.
      if (op === 'read' && code > 0) observer.onBytesServed('fuse', code);
      cb(code, ...values);
    }) satisfies FuseCallback;
    run(...args);
  }) as FuseHandler;
}
