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

/**
 * Does the .dockerignore keep this context path out of the build context? Read as Docker reads
 * it (moby/patternmatcher): lines as above, `!` an exception, the last matching line wins; a
 * pattern is Go's filepath.Match per path part (`*`, `?`, `[…]`, `\` escapes) plus `**` for any
 * number of parts, and a pattern that matches a folder leaves out everything in it.
 */
export function isIgnored(dockerignore: string, contextPath: string): boolean {
  const parts = contextPath.split("/");
  let ignored = false;
  for (const raw of dockerignore.split("\n")) {
    let line = raw.replace(/\r$/, "").trim();
    if (line === "" || line.startsWith("#")) continue;
    const exception = line.startsWith("!");
    if (exception) line = line.slice(1).trim();
    line = posixClean(line.replace(/^\/+/, ""));
    if (line === "" || line === ".") continue;
    const re = patternRegExp(line);
    if (re === null) continue;
    // The path or a folder above it.
    if (parts.some((_, i) => re.test(parts.slice(0, i + 1).join("/")))) ignored = !exception;
  }
  return ignored;
}

function posixClean(p: string): string {
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else out.push(part);
  }
  return out.join("/");
}

/** A pattern as a regular expression on whole paths; null when it is malformed (Docker rejects those). */
function patternRegExp(pattern: string): RegExp | null {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        // `**` (with its slash) is any number of path parts.
        i++;
        if (pattern[i + 1] === "/") {
          i++;
          re += "(?:.*/)?";
        } else re += ".*";
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "\\") {
      if (i + 1 >= pattern.length) return null;
      re += escapeRe(pattern[++i]);
    } else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end === -1) return null;
      let body = pattern.slice(i + 1, end);
      if (body.startsWith("^")) body = "^" + body.slice(1).replace(/[\\\]]/g, "\\$&");
      else body = body.replace(/[\\\]^]/g, "\\$&");
      re += `[${body}]`;
      i = end;
    } else re += escapeRe(c);
  }
  try {
    return new RegExp(`^${re}$`, "s");
  } catch {
    return null;
  }
}

const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
