/** Human renderings of API recipe views shared by `stat` and `resolve`. */
import type { Param, Recipe } from '../api/gen/deriva.js';

/** A param as `key=value`, in the form `deriva recipe --param` accepts. */
export function paramText(p: Param): string {
  if (p.stringValue !== undefined) return `${p.key}=${p.stringValue}`;
  if (p.intValue !== undefined) return `${p.key}=${p.intValue}`;
  if (p.boolValue !== undefined) return `${p.key}=${p.boolValue}`;
  return `${p.key}=${Buffer.from(p.bytesValue ?? []).toString('hex')}`;
}

/** `upper@1(offset=1, length=2)` */
export function callText(recipe: Recipe): string {
  return `${recipe.function}(${recipe.params.map(paramText).join(', ')})`;
}
