/**
 * Text from the repository (file paths, and the messages and errors that quote them) is shown
 * escaped in every human-readable output. Raw, a control character would recolour or clear the
 * terminal or end a line — and in CI a line starting with `::` (after spaces: the runner trims
 * them) is a GitHub Actions workflow command; a lone CR ends a line there too. Line and
 * paragraph separators break lines in editors and web views, and bidi controls reorder what a
 * reader sees (Trojan Source, CVE-2021-42574).
 *
 * Escaped: C0 controls (`\t`, `\n`, `\r` by name, others as `\xNN`), DEL and C1 controls
 * (`\xNN`), U+2028/U+2029, the bidi embeddings, overrides, isolates and marks, the zero-width
 * no-break space / BOM (`\u{NNNN}`). A backslash is left as it is: the result is for reading,
 * not for parsing back.
 */
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** Does s hold a character that escapeText would change? */
export function hasUnsafeText(s: string): boolean {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(s);
}

/** `keepLineBreaks`: leave CR and LF for a format that escapes them its own way (GitHub's `%0A`). */
export function escapeText(s: string, options: { keepLineBreaks?: boolean } = {}): string {
  return s
    .replace(UNSAFE, (c) => {
      if (options.keepLineBreaks && (c === "\n" || c === "\r")) return c;
      const code = c.charCodeAt(0);
      return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`);
    })
    .replace(WORKFLOW_COMMAND, (m) => m.replace(/[:[]$/, (c) => `\\x${c.charCodeAt(0).toString(16)}`));
}

/**
 * What a CI runner would take for a command in a printed path or message: `::` at the start
 * (after spaces: GitHub's runner trims them; the text is often printed at a line's start),
 * `##[` anywhere (GitHub's legacy form), `##vso[` (Azure Pipelines). Their last character is
 * escaped like a control character.
 */
const WORKFLOW_COMMAND = /^[ \t]*::|##(?:vso)?\[/g;

/** escapeText for each line of a text the tool wrote itself (a build command, a config), keeping its line breaks. */
export function escapeLines(s: string): string {
  return s.split("\n").map((line) => escapeText(line)).join("\n");
}

/**
 * JSON text with the characters above written as `\uNNNN` (JSON.stringify leaves DEL, C1, the
 * separators and bidi controls raw): the same value, safe to print. Also a YAML double-quoted
 * scalar (YAML 1.2 is a JSON superset).
 */
export function safeJson(json: string): string {
  // `##[` (GitHub's legacy workflow commands) and `##vso[` (Azure's) are read anywhere in a log line.
  return json
    .replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .replace(/##(vso)?\[/g, (_, vso: string | undefined) => `#\\u0023${vso ?? ""}[`);
}

/** UNSAFE less the C0 controls, which JSON.stringify escapes (a raw one in JSON text is its own layout). */
const RAW_IN_JSON = /[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
