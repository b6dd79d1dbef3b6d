/**
 * Line reading for the float builtins: splits pushed bytes into numbered text lines, strips one
 * '\r' before each '\n' (CRLF input reads like LF input), and names the line of any bad field.
 * The grammar of a number is in decimal.ts; anything outside it, including non-ASCII bytes and
 * spaces, is an error naming the line, never a guess.
 */
import { LineSplitter } from './lines.js';
import { notANumber, parseNumber } from './decimal.js';

const CR = 0x0d;

/** Feeds pushed bytes through a line splitter and hands out each line as text with its number. */
export class NumberedLines {
  private readonly splitter = new LineSplitter();
  private count = 0;

  /** Calls `onLine(text, lineNumber)` for each line `input` completes. */
  push(input: Uint8Array, onLine: (text: string, line: number) => void): void {
    this.splitter.push(input, (bytes) => onLine(lineText(bytes), ++this.count));
  }

  /** The final line if the input did not end with '\n'. */
  finish(onLine: (text: string, line: number) => void): void {
    const last = this.splitter.finish();
    if (last !== undefined) onLine(lineText(last), ++this.count);
  }
}

/** The line without a trailing '\r', as Latin-1 text (only ASCII can be valid anyway). */
function lineText(bytes: Uint8Array): string {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
  return Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('latin1');
}

/** The number in `text` (line `line`); an error naming the line when it is not one. */
export function numberAt(text: string, line: number): number {
  const x = parseNumber(text);
  if (x === undefined) throw notANumber(line, Buffer.from(text, 'latin1').toString('utf8'));
  return x;
}
