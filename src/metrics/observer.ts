/**
 * What the engine, the mount and the API report as they work, as plain typed callbacks. The
 * layers call these without knowing who listens: the daemon wires them to Prometheus and to its
 * log; tests record them; a layer given nothing reports to {@link noopObserver}. Nothing here
 * imports a metrics library, so the engine and the CLI do not load one.
 */

/** Which piece of work produced bytes: a whole output, one chunk of one, or a promotion. */
export type MaterializationKind = 'whole' | 'chunk' | 'promotion';

/** One finished materialization. */
export interface Materialization {
  /** Recipe address (hex). */
  readonly addr: string;
  /** Function as `name@version`. */
  readonly fn: string;
  readonly kind: MaterializationKind;
  /** Output chunk index, for `kind: 'chunk'`. */
  readonly chunk?: number;
  /** Wall-clock seconds, including time queued for a worker. */
  readonly seconds: number;
  /** Output bytes: produced (whole, chunk), or the size of the value recorded (promotion). */
  readonly bytes: number;
}

/**
 * Whether a read found what it needed stored: a recipe's whole output (`output`) or, for a
 * chunkwise output read by range, the one output chunk (`chunk`).
 */
export type CacheLevel = 'output' | 'chunk';

export interface EngineObserver {
  /** A read of a recipe's output (or of one output chunk): stored already (hit) or computed (miss). */
  onCacheLookup(level: CacheLevel, hit: boolean): void;
  onMaterialized(event: Materialization): void;
  /** An invalidation forgot `outputs` cached outputs. */
  onInvalidation(outputs: number): void;
  /** The cache collector evicted one output of `bytes` bytes. */
  onEviction(bytes: number): void;
  /** An integrity check found or did something: `kind` names what (e.g. a corrupt chunk). */
  onIntegrityEvent(kind: string): void;
}

/** Where bytes left the daemon to a reader. */
export type ServedVia = 'fuse' | 'grpc';

export interface FuseObserver {
  /** One FUSE op answered after `seconds`; `ok` unless it replied with an errno. */
  onFuseOp(op: string, seconds: number, ok: boolean): void;
  onBytesServed(via: ServedVia, bytes: number): void;
}

export interface ApiObserver {
  /** One gRPC call ended after `seconds` with status `code` (e.g. `OK`, `NOT_FOUND`). */
  onRpc(method: string, seconds: number, code: string): void;
  onBytesServed(via: ServedVia, bytes: number): void;
}

export type Observer = EngineObserver & FuseObserver & ApiObserver;

const METHODS = [
  'onCacheLookup',
  'onMaterialized',
  'onInvalidation',
  'onEviction',
  'onIntegrityEvent',
  'onFuseOp',
  'onBytesServed',
  'onRpc',
] as const satisfies readonly (keyof Observer)[];

/** Listens to nothing. */
export const noopObserver: Observer = fanOut();

/** One observer that passes every event to each of `observers` that listens for it. */
export function fanOut(...observers: readonly Partial<Observer>[]): Observer {
  const out: Record<string, (...args: never[]) => void> = {};
  for (const method of METHODS) {
    const listeners = observers.map((o) => o[method]?.bind(o)).filter((f) => f !== undefined) as Array<(...args: unknown[]) => void>;
    out[method] = (...args: unknown[]) => {
      for (const listen of listeners) listen(...args);
    };
  }
  return out as unknown as Observer;
}
