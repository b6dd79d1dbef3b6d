/**
 * Path -> node against the engine: what exists at a path, checked the same way by every op.
 * A shard directory exists only while it holds an address (so `ls /` and lookups agree), a
 * value file only for a known leaf or recipe, `/refs` always, and `/refs/NAME` while the ref is
 * bound. Nothing here computes a value.
 */
import { NotFoundError } from '../core/errors.js';
import type { AddressInfo, Engine, RefBinding } from '../engine/engine.js';
import { FsError } from './errno.js';
import { parsePath } from './paths.js';

export type FuseNode =
  | { readonly kind: 'root' }
  | { readonly kind: 'shard'; readonly shard: string }
  | { readonly kind: 'value'; readonly info: AddressInfo }
  | { readonly kind: 'refs' }
  | { readonly kind: 'ref'; readonly binding: RefBinding };

/** The node at `path`; throws NotFoundError when nothing is there. */
export function lookup(engine: Engine, path: string): FuseNode {
  const parsed = parsePath(path);
  if (!parsed) throw new NotFoundError(`no such path in the mount: ${path}`);
  switch (parsed.kind) {
    case 'root':
      return parsed;
    case 'shard':
      if (!engine.shards().includes(parsed.shard)) throw new NotFoundError(`no address in shard ${parsed.shard}`);
      return parsed;
    case 'value':
      return { kind: 'value', info: engine.info(parsed.addr) };
    case 'refs':
      return parsed;
    case 'ref':
      return { kind: 'ref', binding: engine.getRef(parsed.name) };
  }
}

/** The value node at `path`; a directory is EISDIR, a missing path ENOENT. */
export function lookupValue(engine: Engine, path: string): AddressInfo {
  const node = lookup(engine, path);
  if (node.kind === 'ref') throw new FsError('EINVAL', `${path} is a symlink`); // followed by the kernel first
  if (node.kind !== 'value') throw new FsError('EISDIR', `${path} is a directory`);
  return node.info;
}
