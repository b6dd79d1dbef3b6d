/**
 * The float policy: whether functions that compute with floating point may run on this daemon.
 * `strict` (the default) runs them on the addon's software math (native/src/float.rs), whose
 * results are bit-identical on every platform; `disabled` refuses them outright, for operators
 * who want no floating point in their store at all. A function says whether it uses floats with
 * `usesFloat` (see function.ts).
 */
import { FloatDisabledError } from '../core/errors.js';
import { formatFunctionId } from '../core/function-id.js';
import type { ComputeFunction } from './function.js';

export const FLOAT_POLICIES = ['strict', 'disabled'] as const;

export type FloatPolicy = (typeof FLOAT_POLICIES)[number];

export const DEFAULT_FLOAT_POLICY: FloatPolicy = 'strict';

/** Throws {@link FloatDisabledError} when `policy` forbids `fn`; `action` says what was refused. */
export function enforceFloatPolicy(policy: FloatPolicy, fn: ComputeFunction, action: 'register' | 'compute'): void {
  if (policy === 'disabled' && fn.usesFloat === true) {
    throw new FloatDisabledError(
      `cannot ${action} a recipe of ${formatFunctionId(fn)}: it uses floating point and this daemon runs with --float-policy disabled`,
    );
  }
}
