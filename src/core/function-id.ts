/**
 * FunctionId: `name@version`, the versioned name a recipe calls. A behaviour change to a
 * function is a new version; old recipes keep naming the old one.
 */
import { UnknownFunctionError } from './errors.js';

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const MAX_VERSION = 0xffff_ffff;

export interface FunctionId {
  readonly name: string;
  readonly version: number;
}

/** True when `name` is a valid function name: lowercase ASCII words joined by single dashes. */
export function isFunctionName(name: string): boolean {
  return name.length <= 64 && NAME.test(name);
}

/** True when `version` is an integer in 1..2^32-1. */
export function isFunctionVersion(version: number): boolean {
  return Number.isInteger(version) && version >= 1 && version <= MAX_VERSION;
}

/** Parses `name@version` (e.g. `upper@1`). */
export function parseFunctionId(text: string): FunctionId {
  const at = text.lastIndexOf('@');
  const name = at < 0 ? text : text.slice(0, at);
  const versionText = at < 0 ? '' : text.slice(at + 1);
  const version = /^[1-9][0-9]*$/.test(versionText) ? Number(versionText) : NaN;
  if (!isFunctionName(name) || !isFunctionVersion(version)) {
    throw new UnknownFunctionError(`'${text}' is not a function id of the form name@version (e.g. upper@1)`);
  }
  return { name, version };
}

export function formatFunctionId(id: FunctionId): string {
  return `${id.name}@${id.version}`;
}

