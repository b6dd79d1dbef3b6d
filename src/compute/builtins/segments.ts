/** Segment helpers shared by the structural builtins. */
import type { Segment } from '../function.js';

/** A range of input `input`, or nothing when the range is empty (layouts carry no empty pieces). */
export function inputRange(input: number, offset: number, length: number): Segment[] {
  return length > 0 ? [{ input, offset, length }] : [];
}
