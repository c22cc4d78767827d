// Pure helpers turning (line, column) error positions into text offsets and editor diagnostics.

import type { DraftError } from '../bindings/DraftError';

/**
 * One problem of the document: the drafts validator's `DraftError`
 * (1-based line; 1-based column counted in characters, i.e. Unicode code points as Rust counts; path may be empty).
 */
export type JsonError = DraftError;

/** Start offset of each line (after '\n'; a '\r\n' line keeps its '\r' at its end). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * Offset (UTF-16, as the editor counts) of a 1-based (line, column) where the column counts characters (code points);
 * clamped into the text: past the last line is the end, past a line's end is that line's end, column 0 is read as 1.
 */
export function offsetOf(text: string, line: number, column: number, starts = lineStarts(text)): number {
  if (line < 1) return 0;
  if (line > starts.length) return text.length;
  const start = starts[line - 1]!;
  let end = line < starts.length ? starts[line]! - 1 : text.length;
  if (end > start && text[end - 1] === '\r') end--;
  let at = start;
  for (let n = 1; n < column && at < end; n++) {
    const code = text.charCodeAt(at);
    at += code >= 0xd800 && code <= 0xdbff && at + 1 < end ? 2 : 1;
  }
  return at;
}

/** End of the token starting at `from` (a word or a string), so a diagnostic underlines something visible. */
export function tokenEnd(text: string, from: number): number {
  if (text[from] === '"') {
    let i = from + 1;
    while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
    return Math.min(text.length, i + 1);
  }
  const m = /^[^\s,:{}[\]"]+/.exec(text.slice(from, from + 200));
  return from + (m ? m[0].length : Math.min(1, text.length - from, text[from] === '\n' ? 0 : 1));
}

export interface Span {
  from: number;
  to: number;
  message: string;
}

export function errorSpans(text: string, errors: readonly JsonError[]): Span[] {
  const starts = lineStarts(text);
  return errors.map((e) => {
    const from = offsetOf(text, e.line, e.column, starts);
    return { from, to: tokenEnd(text, from), message: e.path ? `${e.message} (at ${e.path})` : e.message };
  });
}
