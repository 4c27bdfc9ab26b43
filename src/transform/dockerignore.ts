/**
 * Keep removed secret files out of the build context, so a later `COPY . .` cannot bring
 * them back. Appends only; existing lines, order and line endings stay.
 */

/**
 * The .dockerignore line that matches exactly this one context path, or null when no line can.
 * How Docker reads the file (moby/patternmatcher ignorefile.ReadAll and Pattern.compile): one
 * pattern a line (split on "\n", a final "\r" dropped), a line starting with "#" is a comment,
 * spaces at either end are trimmed, a leading "!" makes an exception, a leading "/" is dropped
 * (so "/!x" would be an exception too), "*", "?" and "[…]" are wildcards, and "\" makes the
 * next character literal — which Docker's matcher supports only for characters whose regexp
 * escape is literal too, as `\ * ? [ ] # !` are. So: no control or line-separator character,
 * no space at either end; wildcards and "\" escaped; a leading "#" or "!" escaped.
 */
export function ignoreLine(contextPath: string): string | null {
  const p = contextPath.replace(/^\/+/, "");
  if (p === "" || p === "." || UNSAFE.test(p) || /^\s|\s$/.test(p)) return null;
  const escaped = p.replace(/[\\*?[\]]/g, "\\$&");
  return /^[#!]/.test(escaped) ? `\\${escaped}` : escaped;
}

// C0 and C1 controls, DEL, line and paragraph separators, and a BOM (stripped from a first line).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

/**
 * The .dockerignore with a line for each path not yet in it (null when none is missing). A path
 * no line can express (see ignoreLine) is left out: the caller reports it.
 */
export function updateDockerignore(existing: string | null, paths: string[]): string | null {
  return appendIgnoreLines(existing, paths.map(ignoreLine).filter((l): l is string => l !== null));
}

/** The .dockerignore with these lines (from ignoreLine) added where not yet present; null when all are. */
export function appendIgnoreLines(existing: string | null, lines: string[]): string | null {
  const normalise = (line: string) => line.trim().replace(/^\.?\//, "").replace(/\/+$/, "");
  const present = new Set((existing ?? "").split("\n").map(normalise));
  const missing = [...new Set(lines)].filter((l) => !present.has(normalise(l)));
  if (missing.length === 0) return null;
  const eol = existing?.includes("\r\n") ? "\r\n" : "\n";
  let out = existing ?? "";
  if (out !== "" && !out.endsWith("\n")) out += eol;
  return out + missing.map((l) => l + eol).join("");
}
