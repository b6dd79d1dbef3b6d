/**
 * Line splitting for the line-based builtins. A streaming splitter sees input in arbitrary
 * pieces; it carries a partial line across pushes so every line is seen whole, whatever the
 * push boundaries were. Lines are handed out without their '\n'.
 */
import type { Transformer } from '../function.js';
import { NEWLINE, OutputBuffer, concatBytes } from './bytes.js';

/** Splits pushed bytes into complete lines, keeping the unterminated tail for later. */
export class LineSplitter {
  /** Copies of the current partial line's pieces (copied: the caller may reuse its input). */
  private pending: Uint8Array[] = [];

  /** Calls `onLine` for each line `input` completes; the line is valid only during the call. */
  push(input: Uint8Array, onLine: (line: Uint8Array) => void): void {
    let start = 0;
    for (let nl = input.indexOf(NEWLINE); nl >= 0; nl = input.indexOf(NEWLINE, start)) {
      const piece = input.subarray(start, nl);
      if (this.pending.length > 0) {
        this.pending.push(piece);
        onLine(concatBytes(this.pending));
        this.pending = [];
      } else {
        onLine(piece);
      }
      start = nl + 1;
    }
    if (start < input.length) this.pending.push(input.slice(start));
  }

  /** The final line if the input did not end with '\n', else undefined. */
  finish(): Uint8Array | undefined {
    if (this.pending.length === 0) return undefined;
    const last = concatBytes(this.pending);
    this.pending = [];
    return last;
  }
}

/** Every line of `data` without its '\n'; a final unterminated line counts, empty input has none. */
export function splitLines(data: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let nl = data.indexOf(NEWLINE); nl >= 0; nl = data.indexOf(NEWLINE, start)) {
    lines.push(data.subarray(start, nl));
    start = nl + 1;
  }
  if (start < data.length) lines.push(data.subarray(start));
  return lines;
}

const NEWLINE_BYTES = Uint8Array.of(NEWLINE);

/**
 * A transformer that maps each line through `fn` and emits the result followed by '\n', or
 * nothing when `fn` returns undefined. The final line gets a '\n' even if the input lacked one,
 * as grep, cut and sort do.
 */
export function mapLines(fn: (line: Uint8Array) => Uint8Array | undefined): Transformer {
  const splitter = new LineSplitter();
  const out = new OutputBuffer();
  const emit = (line: Uint8Array): void => {
    const result = fn(line);
    if (result === undefined) return;
    out.add(result);
    out.add(NEWLINE_BYTES);
  };
  return {
    push(input) {
      splitter.push(input, emit);
      return out.take();
    },
    finish() {
      const last = splitter.finish();
      if (last !== undefined) emit(last);
      return out.take();
    },
  };
}
