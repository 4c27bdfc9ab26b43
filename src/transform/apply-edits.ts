/**
 * Apply text edits once, in one pass (magic-string), after checking that no two overlap:
 * an overlap means two rules claim the same bytes, which is a bug to surface, not to guess.
 */
import MagicString from "magic-string";
import type { TextEdit } from "../types.js";

export class OverlappingEditsError extends Error {
  constructor(a: TextEdit, b: TextEdit) {
    super(`internal error: edits [${a.start},${a.end}) and [${b.start},${b.end}) overlap`);
  }
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  if (edits.length === 0) return text;
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    // Insertions at the boundary of a deletion are fine; anything inside another range is not.
    if (cur.start < prev.end && !(cur.start === cur.end && cur.start === prev.start)) throw new OverlappingEditsError(prev, cur);
  }
  const s = new MagicString(text);
  for (const e of sorted) {
    if (e.start === e.end) s.appendLeft(e.start, e.text);
    else if (e.text === "") s.remove(e.start, e.end);
    else s.overwrite(e.start, e.end, e.text);
  }
  return s.toString();
}
