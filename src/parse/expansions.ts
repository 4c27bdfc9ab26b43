/**
 * Which variable references in a shell script the shell expands, and which it passes on as
 * text: `$X` and `${X…}` are expanded outside quotes and inside double quotes; inside single
 * quotes, `$'…'` or after a backslash (`\$X`) they are literal text, which a program may store
 * (`git config credential.helper '!f() { echo "password=${GIT_PASSWORD}"; }; f'`) and which is
 * read only when that text runs (REFERENCE §9, "Shell quoting").
 *
 * Tolerant and linear. It errs towards "expanded" (a mount too many, never one too few): a single
 * quote that does not close on its line is taken as an apostrophe, not as a quote, so text such
 * as a heredoc body with "don't" in it cannot hide the references after it.
 */

export interface VariableReference {
  name: string;
  /** Offset of the `$` in the text given. */
  start: number;
  /** The shell passes `$NAME` on as text (single quotes, `$'…'`, `\$`). */
  literal: boolean;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** Every `$NAME` / `${NAME…}` reference in text[start, end), in order. `escape` is the Dockerfile escape character. */
export function variableReferences(text: string, start = 0, end = text.length, escape = "\\"): VariableReference[] {
  const out: VariableReference[] = [];
  // Frames: "top" (unquoted), "dq" (inside double quotes), "sub" (inside $( … )).
  const frames: ("top" | "dq" | "sub")[] = ["top"];
  let wordStart = true;
  let i = start;
  const lineEnd = (from: number) => {
    const k = text.indexOf("\n", from);
    return k === -1 || k > end ? end : k;
  };
  const continuation = (at: number): number => {
    // A Dockerfile line continuation: the escape character, blanks, a line break.
    if (text[at] !== escape) return -1;
    let k = at + 1;
    while (k < end && (text[k] === " " || text[k] === "\t")) k++;
    if (text[k] === "\r") k++;
    return text[k] === "\n" ? k + 1 : -1;
  };
  const reference = (at: number, literal: boolean): number => {
    // text[at] === "$": returns the offset after the name (or at + 1 when no name follows).
    let k = at + 1;
    if (text[k] === "$") return at + 2; // $$ is the shell's process id
    if (text[k] === "{") k++;
    if (k >= end || !NAME_START.test(text[k])) return at + 1;
    const nameStart = k;
    while (k < end && NAME_CHAR.test(text[k])) k++;
    out.push({ name: text.slice(nameStart, k), start: at, literal });
    return k;
  };
  while (i < end) {
    const frame = frames[frames.length - 1];
    const c = text[i];
    const joined = continuation(i);
    if (joined !== -1) {
      i = joined;
      continue;
    }
    if (frame === "dq") {
      if (c === '"') frames.pop();
      else if (c === "\\") {
        if (text[i + 1] === "$") literalRef(i + 1);
        i += 2;
        continue;
      } else if (c === "$" && text[i + 1] === "(") {
        frames.push("sub");
        i += 2;
        wordStart = true;
        continue;
      } else if (c === "$") {
        i = reference(i, false);
        continue;
      }
      i++;
      continue;
    }
    // Unquoted, at the top or inside $( … ).
    if (c === "\\") {
      if (text[i + 1] === "$") literalRef(i + 1);
      i += 2;
      wordStart = false;
      continue;
    }
    if (c === "'") {
      const close = quoteEnd(i + 1);
      if (close !== -1) {
        literalSpan(i + 1, close);
        i = close + 1;
        wordStart = false;
        continue;
      }
      i++;
      continue;
    }
    if (c === "$" && text[i + 1] === "'") {
      const close = ansiEnd(i + 2);
      if (close !== -1) {
        literalSpan(i + 2, close);
        i = close + 1;
        wordStart = false;
        continue;
      }
    }
    if (c === '"') {
      frames.push("dq");
      i++;
      wordStart = false;
      continue;
    }
    if (c === "$" && text[i + 1] === "(") {
      frames.push("sub");
      i += 2;
      wordStart = true;
      continue;
    }
    if (c === ")" && frame === "sub") {
      frames.pop();
      i++;
      continue;
    }
    if (c === "$") {
      i = reference(i, false);
      wordStart = false;
      continue;
    }
    if (c === "#" && wordStart) {
      i = lineEnd(i);
      continue;
    }
    wordStart = /[\s;&|()<>`]/.test(c);
    i++;
  }
  return out;

  function literalRef(at: number): void {
    let k = at + 1;
    if (text[k] === "{") k++;
    if (k >= end || !NAME_START.test(text[k])) return;
    const nameStart = k;
    while (k < end && NAME_CHAR.test(text[k])) k++;
    out.push({ name: text.slice(nameStart, k), start: at, literal: true });
  }
  function literalSpan(from: number, to: number): void {
    for (let k = text.indexOf("$", from); k !== -1 && k < to; k = text.indexOf("$", k + 1)) literalRef(k);
  }
  /** The closing single quote on the same logical line (Dockerfile continuations joined), or -1. */
  function quoteEnd(from: number): number {
    for (let k = from; k < end; k++) {
      if (text[k] === "'") return k;
      if (text[k] !== "\n") continue;
      let b = k - 1;
      if (text[b] === "\r") b--;
      while (b >= from && (text[b] === " " || text[b] === "\t")) b--;
      if (text[b] !== escape) return -1;
    }
    return -1;
  }
  function ansiEnd(from: number): number {
    for (let k = from; k < end; k++) {
      if (text[k] === "\\") k++;
      else if (text[k] === "'") return k;
      else if (text[k] === "\n") return -1;
    }
    return -1;
  }
}
