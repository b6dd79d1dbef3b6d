/**
 * The mount's namespace, parsed: `/`, `/<hex2>`, `/<hex2>/<hex64>`, and `/refs` holding a
 * symlink `/refs/NAME` per ref. Parsing is strict (only lowercase hex, the shard must be the
 * address's first two digits) so that every value has exactly one path; anything else is not a
 * path of this filesystem. Pure: no engine calls.
 */
import { CAddr } from '../core/caddr.js';
import { isRefName } from '../core/ref-name.js';

/** The directory of ref symlinks; not two hex digits, so it never collides with a shard. */
export const REFS_DIR = 'refs';

export type FusePath =
  | { readonly kind: 'root' }
  | { readonly kind: 'shard'; readonly shard: string }
  | { readonly kind: 'value'; readonly shard: string; readonly addr: CAddr }
  | { readonly kind: 'refs' }
  | { readonly kind: 'ref'; readonly name: string };

const SHARD = /^\/([0-9a-f]{2})$/;
const VALUE = /^\/([0-9a-f]{2})\/([0-9a-f]{64})$/;

/** The parsed path, or undefined when `path` cannot name anything in the mount. */
export function parsePath(path: string): FusePath | undefined {
  if (path === '/') return { kind: 'root' };
  if (path === `/${REFS_DIR}`) return { kind: 'refs' };
  if (path.startsWith(`/${REFS_DIR}/`)) {
    const name = path.slice(REFS_DIR.length + 2);
    return isRefName(name) ? { kind: 'ref', name } : undefined;
  }
  const shard = SHARD.exec(path);
  if (shard) return { kind: 'shard', shard: shard[1]! };
  const value = VALUE.exec(path);
  if (value && value[2]!.startsWith(value[1]!)) {
    return { kind: 'value', shard: value[1]!, addr: CAddr.fromHex(value[2]!) };
  }
  return undefined;
}

