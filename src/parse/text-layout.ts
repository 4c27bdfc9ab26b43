/**
 * The byte-level facts of a Dockerfile that a rewrite must keep: BOM, line endings,
 * final newline. Everything else in the pipeline works with JS string offsets into
 * the original text, so these facts are only read here and when inserting new lines.
 */
export interface TextLayout {
  bom: boolean;
  /** The line ending new lines are written with: the file's first one, "\n" when it has none. */
  eol: "\n" | "\r\n";
  finalNewline: boolean;
  /** Offset of the first character of each line ("\n" ends a line, as in BuildKit). */
  lineStarts: number[];
}

export function readLayout(text: string): TextLayout {
  const lineStarts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lineStarts.push(i + 1);
  const firstNl = text.indexOf("\n");
  return {
    bom: text.charCodeAt(0) === 0xfeff,
    eol: firstNl > 0 && text[firstNl - 1] === "\r" ? "\r\n" : "\n",
    finalNewline: text.endsWith("\n"),
    lineStarts,
  };
}

/** 0-based line of an offset. */
export function lineOf(layout: TextLayout, offset: number): number {
  return lineAt(layout.lineStarts, offset);
}

/** The index of the line holding offset, given each line's start offset (ascending): a binary search. */
export function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Offset just after the line break that ends `line` (or the text's end). */
export function lineEndWithBreak(layout: TextLayout, text: string, line: number): number {
  return line + 1 < layout.lineStarts.length ? layout.lineStarts[line + 1] : text.length;
}
