/**
 * The one typed error family of Deriva. Every failure a caller can act on is a subclass of
 * {@link DerivaError} with a stable `code`; the api layer maps codes to gRPC status, the fuse
 * layer to errno, the CLI prints the message. `name` is derived from the class, never typed twice.
 */

/** Stable, machine-readable error codes. Never renumber or rename: clients match on them. */
export type ErrorCode =
  | 'INVALID_ADDRESS'
  | 'AMBIGUOUS_PREFIX'
  | 'NOT_FOUND'
  | 'DECODE'
  | 'UNKNOWN_FUNCTION'
  | 'BAD_PARAM'
  | 'INPUT_COUNT'
  | 'FUNCTION_FAILED'
  | 'STORE'
  | 'INTEGRITY'
  | 'INVALID_REF'
  | 'FLOAT_DISABLED'
  | 'NON_DETERMINISTIC'
  | 'ABORTED'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'CONFIG';

/** Base class: a message for humans, a code for programs, and the underlying cause kept. */
export abstract class DerivaError extends Error {
  abstract readonly code: ErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** A string or byte array that is not a well-formed content address. */
export class InvalidAddressError extends DerivaError {
  readonly code = 'INVALID_ADDRESS';
}

/** A hex prefix that matches more than one known address. */
export class AmbiguousPrefixError extends DerivaError {
  readonly code = 'AMBIGUOUS_PREFIX';
}

/** An address (or prefix) the store does not know. */
export class NotFoundError extends DerivaError {
  readonly code = 'NOT_FOUND';

  /** The one wording for "nothing has this address", prefixed with what was being done. */
  static address(addr: { readonly hex: string }, doing?: string): NotFoundError {
    const what = `no leaf or recipe has address ${addr.hex}`;
    return new NotFoundError(doing === undefined ? what : `${doing}: ${what}`);
  }
}

/** Bytes that are not the canonical DCF encoding of a recipe. */
export class DecodeError extends DerivaError {
  readonly code = 'DECODE';
}

/** A recipe names a function (or version) the registry does not have. */
export class UnknownFunctionError extends DerivaError {
  readonly code = 'UNKNOWN_FUNCTION';
}

/** A recipe parameter is missing, unknown, of the wrong type, or out of range. */
export class BadParamError extends DerivaError {
  readonly code = 'BAD_PARAM';

  constructor(
    readonly param: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`param '${param}': ${message}`, options);
  }
}

/** A recipe has fewer or more inputs than its function accepts. */
export class InputCountError extends DerivaError {
  readonly code = 'INPUT_COUNT';
}

/** A function threw while materializing a recipe; the message names recipe and function. */
export class FunctionFailedError extends DerivaError {
  readonly code = 'FUNCTION_FAILED';
}

/** The store could not be opened, read or written. */
export class StoreError extends DerivaError {
  readonly code = 'STORE';
}

/** Stored bytes do not match their address. */
export class IntegrityError extends DerivaError {
  readonly code = 'INTEGRITY';
}

/** A ref name that breaks the naming rule (see core/ref-name.ts). */
export class InvalidRefError extends DerivaError {
  readonly code = 'INVALID_REF';
}

/** A function that uses floating point, under the float policy `disabled`. */
export class FloatDisabledError extends DerivaError {
  readonly code = 'FLOAT_DISABLED';
}

/**
 * Work given up before it finished: a computation nobody reads any more, or one stopped because
 * the engine is closing. Not a fault of the daemon; asking again starts it afresh.
 */
export class AbortedError extends DerivaError {
  readonly code = 'ABORTED';
}

/** Something the request needs cannot be reached now (a peer, the control plane); retry later. */
export class UnavailableError extends DerivaError {
  readonly code = 'UNAVAILABLE';
}

/** The request's deadline passed before it could be answered. */
export class DeadlineExceededError extends DerivaError {
  readonly code = 'DEADLINE_EXCEEDED';
}

/**
 * A configuration that cannot be used as given: a daemon told to serve the network without
 * mutual TLS, a TLS file that cannot be read, a home that cannot be made private. Raised
 * before anything is served; the message says what to change.
 */
export class ConfigError extends DerivaError {
  readonly code = 'CONFIG';
}

/**
 * A stored chunk whose bytes do not hash to its address (or that was quarantined for that
 * reason). Readers that can rebuild the chunk (a computed output) catch it and recompute.
 */
export class CorruptChunkError extends IntegrityError {
  constructor(
    /** The chunk's address, hex. */
    readonly chunk: string,
    message = `chunk ${chunk} is corrupt (its bytes do not hash to its address)`,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A stored recipe whose DCF bytes do not hash to its address. Nothing can rebuild it (it is
 * what a user wrote): reads of it fail, and it is quarantined.
 */
export class CorruptRecipeError extends IntegrityError {
  constructor(
    /** The recipe's address, hex. */
    readonly recipe: string,
    options?: { cause?: unknown },
  ) {
    super(`recipe ${recipe} is corrupt (its bytes do not hash to its address)`, options);
  }
}

/** Verification mode computed a recipe twice and got different bytes: its function is not pure. */
export class NonDeterministicError extends DerivaError {
  readonly code = 'NON_DETERMINISTIC';
}
