/**
 * Times a gRPC call for the {@link ApiObserver}: start when the handler is entered, report once
 * with the status code the call ended with (by name, as Prometheus labels read best).
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ApiObserver } from '../metrics/observer.js';

/** Starts timing `method`; the returned function reports it (only the first time it is called). */
export function startCall(observer: ApiObserver | undefined, method: string): (code: GrpcStatus) => void {
  if (!observer) return () => {};
  const started = performance.now();
  let reported = false;
  return (code) => {
    if (reported) return;
    reported = true;
    observer.onRpc(method, (performance.now() - started) / 1000, GrpcStatus[code] ?? String(code));
  };
}
