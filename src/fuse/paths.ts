/**
 * The mount's namespace, parsed: `/`, `/<hex2>` and `/<hex2>/<hex64>`. Parsing is strict (only
 * lowercase hex, the shard must be the address's first two digits) so that every value has
 * exactly one path; anything else is not a path of this filesystem. Pure: no engine calls.
 */
import { CAddr } from '../core/caddr.js';

export type FusePath =
  | { readonly kind: 'root' }
  | { readonly kind: 'shard'; readonly shard: string }
  | { readonly kind: 'value'; readonly shard: string; readonly addr: CAddr };

const SHARD = /^\/([0-9a-f]{2})$/;
const VALUE = /^\/([0-9a-f]{2})\/([0-9a-f]{64})$/;

/** The parsed path, or undefined when `path` cannot name anything in the mount. */
export function parsePath(path: string): FusePath | undefined {
  if (path === '/') return { kind: 'root' };
  const shard = SHARD.exec(path);
  if (shard) return { kind: 'shard', shard: shard[1]! };
  const value = VALUE.exec(path);
  if (value && value[2]!.startsWith(value[1]!)) {
    return { kind: 'value', shard: value[1]!, addr: CAddr.fromHex(value[2]!) };
  }
  return undefined;
}

