/** Text helpers shared by the call-site rewriters: line numbers, line ends, non-overlapping edits. */

export interface Edit {
  start: number;
  end: number;
  text: string;
}

export function eolOf(text: string): string {
  return text.includes("\r\n") ? "\r\n" : "\n";
}

/** Replace every `\n` of an inserted snippet by the file's line end. */
export function withEol(snippet: string, eol: string): string {
  return eol === "\n" ? snippet : snippet.replace(/\r?\n/g, eol);
}

export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") this.starts.push(i + 1);
  }
  /** 1-based line of an offset. */
  line(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  lineStart(offset: number): number {
    return this.starts[this.line(offset) - 1]!;
  }
  /** Offset just after the line end (`\n`) of the line holding `offset`, or the text length. */
  lineEndAfterEol(offset: number): number {
    const l = this.line(offset);
    return l < this.starts.length ? this.starts[l]! : this.text.length;
  }
  /** Offset of the line end (before `\r\n`/`\n`) of the line holding `offset`. */
  lineEnd(offset: number): number {
    let e = this.text.indexOf("\n", offset);
    if (e < 0) e = this.text.length;
    if (e > 0 && this.text[e - 1] === "\r") e--;
    return e;
  }
  column(offset: number): number {
    return offset - this.lineStart(offset);
  }
}

/** Apply edits; they must not overlap (a zero-width edit may sit at the boundary of another). */
export function applyEdits(text: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || (a.end - a.start) - (b.end - b.start));
  let out = "";
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos) throw new Error(`overlapping call-site edits at ${e.start}`);
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + text.slice(pos);
}

/** Offset of the last non-blank character before `end` (exclusive), not before `start`. */
export function lastContent(text: string, start: number, end: number): number {
  let i = end - 1;
  while (i > start && /\s/.test(text[i]!)) i--;
  return i;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
