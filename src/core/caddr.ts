/**
 * CAddr: the 32-byte address of every value and recipe, written as 64 lowercase hex digits.
 * Parsing is strict (exact length, lowercase or uppercase hex accepted, always printed
 * lowercase); prefix resolution is a pure helper over whatever candidate set a store offers.
 */
import { AmbiguousPrefixError, InvalidAddressError, NotFoundError } from './errors.js';

/** Size of an address in bytes. */
export const CADDR_BYTES = 32;

/** Shortest hex prefix accepted in place of a full address. */
export const MIN_PREFIX_HEX = 8;

const HEX64 = /^[0-9a-fA-F]{64}$/;
const HEX_PREFIX = /^[0-9a-fA-F]+$/;

/** An immutable 32-byte address. Compare with {@link CAddr.equals}, print with `hex`. */
export class CAddr {
  private constructor(
    readonly bytes: Buffer,
    readonly hex: string,
  ) {}

  /** Wraps 32 bytes (copied, so later mutation of `bytes` cannot change the address). */
  static fromBytes(bytes: Uint8Array): CAddr {
    if (bytes.length !== CADDR_BYTES) {
      throw new InvalidAddressError(`address must be ${CADDR_BYTES} bytes, got ${bytes.length}`);
    }
    const copy = Buffer.from(bytes);
    return new CAddr(copy, copy.toString('hex'));
  }

  /** Parses exactly 64 hex digits. */
  static fromHex(hex: string): CAddr {
    if (!HEX64.test(hex)) {
      throw new InvalidAddressError(`not a 64-hex-digit address: '${truncate(hex)}'`);
    }
    const lower = hex.toLowerCase();
    return new CAddr(Buffer.from(lower, 'hex'), lower);
  }

  equals(other: CAddr): boolean {
    return this.hex === other.hex;
  }

  /** The two-hex-digit directory this address lives in under the mount. */
  get shard(): string {
    return this.hex.slice(0, 2);
  }

  toString(): string {
    return this.hex;
  }

  toJSON(): string {
    return this.hex;
  }
}

/** True when `s` could be an address prefix worth looking up (>= 8 hex digits, <= 64). */
export function isAddressPrefix(s: string): boolean {
  return s.length >= MIN_PREFIX_HEX && s.length <= 64 && HEX_PREFIX.test(s);
}

/**
 * Resolves a full address or a unique prefix against `candidates`, the known addresses that
 * start with the prefix (a store supplies them with a range scan). Throws a typed error naming
 * the input when it is malformed, unknown or ambiguous.
 */
export function resolvePrefix(input: string, candidates: Iterable<CAddr>): CAddr {
  if (HEX64.test(input)) return CAddr.fromHex(input);
  if (!isAddressPrefix(input)) {
    throw new InvalidAddressError(
      `'${truncate(input)}' is neither a 64-hex-digit address nor a prefix of at least ${MIN_PREFIX_HEX} hex digits`,
    );
  }
  const prefix = input.toLowerCase();
  const matches: CAddr[] = [];
  for (const c of candidates) {
    if (c.hex.startsWith(prefix)) matches.push(c);
    if (matches.length > 1) break;
  }
  if (matches.length === 0) throw new NotFoundError(`no address starts with '${prefix}'`);
  if (matches.length > 1) {
    throw new AmbiguousPrefixError(`prefix '${prefix}' matches more than one address; give more digits`);
  }
  return matches[0]!;
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
