/**
 * Secret values never reach the output: every printed text goes through a redactor built from
 * where the analysis found hard-coded values in a source text (spans: start/end offsets) and
 * from the values as the builder reads them. Spans matter because a value's spelling in the file
 * (quotes, `\"`, `\ `, a line continuation, a backtick escape, CRLF) is not its parsed value,
 * and diffs print the spelling.
 *
 * The rule, for each span:
 * 1. It is cut at line breaks into pieces: a diff line holds only the piece on its line.
 * 2. A source line holding a piece, printed whole (a diff line: itself after one of `-`, `+`,
 *    ` `, or alone), is printed with each of its pieces replaced by `***`, whatever the piece's
 *    length: a 1-character tail of a continued value is still part of the secret.
 * 3. Every piece of 3 characters or more (without surrounding spaces or the escape character
 *    that continues its line), and every parsed value of 3 or more, is replaced by `***`
 *    wherever else it appears (a message, a rewritten line that keeps it).
 *    Shorter fragments are hidden only in place (rule 2): masking every `ab` in the output
 *    would garble it, and such a fragment printed out of its line says nothing of the value.
 * What is left to a reader: the text around each value, and how many lines a value spans.
 *
 * Cost: one pass over the output per rule (lines looked up in a map; values found by their
 * first three characters), so a file with thousands of values is not a product of the two.
 */
import { lineAt } from "../parse/text-layout.js";
export type Redactor = (text: string) => string;

export const MASK = "***";

/** [start, end) offsets of a hard-coded value in a source text. */
export interface SecretSpan {
  start: number;
  end: number;
}

/** A source text and where its hard-coded values are (a Dockerfile, a call-site file). */
export interface SpannedText {
  text: string;
  spans: readonly SecretSpan[];
}

/** Shorter fragments are masked only in place (rule 3). */
const MIN_ANYWHERE = 3;

/**
 * A redactor that hides `values` (as parsed) wherever they appear, and the spans of each
 * source (as written) by the rule above.
 */
export function createRedactor(values: readonly string[], sources: readonly SpannedText[] = []): Redactor {
  const anywhere = new Set(values.filter((v) => v.length >= MIN_ANYWHERE));
  const lines = new Map<string, string>();
  for (const source of sources) {
    for (const [line, masked, pieces] of maskedLines(source)) {
      lines.set(line, masked);
      for (const p of pieces) {
        // Not the line break's escape character, nor spaces: only the value's own characters.
        const own = p.trim().replace(/[\\`]$/, "").trim();
        if (own.length >= MIN_ANYWHERE) anywhere.add(own);
      }
    }
  }
  if (anywhere.size === 0 && lines.size === 0) return noRedaction;
  const inPlace = lines.size === 0 ? (text: string) => text : (text: string) => maskLines(text, lines);
  const elsewhere = anywhere.size === 0 ? (text: string) => text : maskAll([...anywhere]);
  return (text) => elsewhere(inPlace(text));
}

export const noRedaction: Redactor = (text) => text;

/** Per source line holding a piece of a span: [line, line with its pieces masked, pieces]; lines without their CR. */
function maskedLines(source: SpannedText): [string, string, string[]][] {
  const { text } = source;
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  const contentEnd = (line: number) => {
    const end = line + 1 < starts.length ? starts[line + 1] - 1 : text.length;
    return end > starts[line] && text[end - 1] === "\r" ? end - 1 : end;
  };
  const byLine = new Map<number, [number, number][]>();
  for (const span of source.spans) {
    const end = Math.min(span.end, text.length);
    for (let line = lineAt(starts, Math.max(0, span.start)); line < starts.length && starts[line] < end; line++) {
      const from = Math.max(span.start, starts[line]);
      const to = Math.min(end, contentEnd(line));
      if (to <= from) continue;
      const pieces = byLine.get(line);
      if (pieces) pieces.push([from, to]);
      else byLine.set(line, [[from, to]]);
    }
  }
  const out: [string, string, string[]][] = [];
  for (const [line, found] of byLine) {
    found.sort((a, b) => a[0] - b[0]);
    const pieces: [number, number][] = [];
    for (const [from, to] of found) {
      const last = pieces[pieces.length - 1];
      if (last && from <= last[1]) last[1] = Math.max(last[1], to);
      else pieces.push([from, to]);
    }
    let masked = "";
    let at = starts[line];
    for (const [from, to] of pieces) {
      masked += text.slice(at, from) + MASK;
      at = to;
    }
    masked += text.slice(at, contentEnd(line));
    out.push([text.slice(starts[line], contentEnd(line)), masked, pieces.map(([from, to]) => text.slice(from, to))]);
  }
  return out;
}


const DIFF_MARKS = new Set(["-", "+", " "]);

/** Rule 2: output lines that are a source line (alone or after a diff mark) get its masked form. */
function maskLines(text: string, lines: Map<string, string>): string {
  const parts = text.split("\n");
  let changed = false;
  for (let n = 0; n < parts.length; n++) {
    const raw = parts[n];
    const cr = raw.endsWith("\r") ? "\r" : "";
    const line = cr ? raw.slice(0, -1) : raw;
    let masked = lines.get(line);
    if (masked !== undefined) {
      parts[n] = masked + cr;
      changed = true;
      continue;
    }
    if (line.length > 0 && DIFF_MARKS.has(line[0])) {
      masked = lines.get(line.slice(1));
      if (masked !== undefined) {
        parts[n] = line[0] + masked + cr;
        changed = true;
      }
    }
  }
  return changed ? parts.join("\n") : text;
}

/** Rule 3: every occurrence of any target, longest first where two start at one place. */
function maskAll(targets: string[]): Redactor {
  const byPrefix = new Map<string, string[]>();
  for (const t of targets.sort((a, b) => b.length - a.length)) {
    const key = t.slice(0, MIN_ANYWHERE);
    const list = byPrefix.get(key);
    if (list) list.push(t);
    else byPrefix.set(key, [t]);
  }
  const firstChars = new Set([...byPrefix.keys()].map((k) => k.charCodeAt(0)));
  return (text) => {
    let out = "";
    let copied = 0;
    for (let i = 0; i + MIN_ANYWHERE <= text.length; ) {
      const candidates = firstChars.has(text.charCodeAt(i)) ? byPrefix.get(text.slice(i, i + MIN_ANYWHERE)) : undefined;
      const hit = candidates?.find((t) => text.startsWith(t, i));
      if (hit === undefined) {
        i++;
        continue;
      }
      out += text.slice(copied, i) + MASK;
      i += hit.length;
      copied = i;
    }
    return copied === 0 ? text : out + text.slice(copied);
  };
}
