/**
 * Extended attributes that describe a value without reading it: `user.deriva.kind` (leaf or
 * recipe), `user.deriva.state` (materialized, "partial N/M chunks", not-materialized, failed)
 * and, for recipes, `user.deriva.recipe` (the one JSON rendering, {@link recipeToJson}).
 * Reading them never computes anything. Directories have none.
 */
import { recipeToJson } from '../core/recipe-json.js';
import { describeState } from '../api/describe.js';
import type { AddressInfo } from '../engine/engine.js';
import { FsError } from './errno.js';
import { lookup } from './lookup.js';
import { valueOp, type FuseHandler } from './op-guard.js';
import type { OpContext } from './read-ops.js';

export const XATTR_KIND = 'user.deriva.kind';
export const XATTR_STATE = 'user.deriva.state';
export const XATTR_RECIPE = 'user.deriva.recipe';

/** Names of the attributes `info` has. */
export function xattrNames(info: AddressInfo): string[] {
  return info.kind === 'recipe' ? [XATTR_KIND, XATTR_STATE, XATTR_RECIPE] : [XATTR_KIND, XATTR_STATE];
}

/** The value of attribute `name` of `info`, or undefined when it has no such attribute. */
export function xattrValue(info: AddressInfo, name: string): string | undefined {
  switch (name) {
    case XATTR_KIND:
      return info.kind;
    case XATTR_STATE:
      return describeState(info);
    case XATTR_RECIPE:
      return info.recipe && JSON.stringify(recipeToJson(info.recipe));
    default:
      return undefined;
  }
}

/**
 * getxattr and listxattr. fuse-native's side of the size-probe protocol (a call with a zero
 * size asks only for the length) lives in fuse-binding.ts; these return whole values.
 */
export function xattrOps(ctx: OpContext): Record<string, FuseHandler> {
  const { engine, log } = ctx;
  return {
    getxattr: valueOp(log, 'getxattr', (path: string, name: string) => {
      const node = lookup(engine, path);
      const value = node.kind === 'value' ? xattrValue(node.info, name) : undefined;
      if (value === undefined) throw new FsError('ENODATA', `${path} has no attribute ${name}`);
      return Buffer.from(value, 'utf8');
    }),

    listxattr: valueOp(log, 'listxattr', (path: string) => {
      const node = lookup(engine, path);
      return node.kind === 'value' ? xattrNames(node.info) : [];
    }),
  };
}
