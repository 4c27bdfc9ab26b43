/**
 * Parser directives (`# syntax=`, `# escape=`, `# check=`), scanned the way BuildKit does
 * rather than through dockerfile-ast, which stops at a directive with trailing whitespace
 * (REFERENCE §6.2). BuildKit reads directives only at the very top: the scan ends at the
 * first blank line, ordinary comment, unknown directive or instruction; a BOM is skipped.
 */
export interface Directive {
  name: "syntax" | "escape" | "check";
  value: string;
  /** 0-based line. */
  line: number;
  /** Offsets of the value, for replacing it in place. */
  valueStart: number;
  valueEnd: number;
}

export interface DirectiveBlock {
  directives: Directive[];
  /** Offset where a new directive line can be inserted: the start of the block (after a BOM). */
  insertAt: number;
}

const DIRECTIVE_LINE = /^#[ \t]*([A-Za-z][A-Za-z0-9]*)[ \t]*=[ \t]*(.*?)[ \t\r]*$/;
const KNOWN = new Set(["syntax", "escape", "check"]);

export function scanDirectives(text: string): DirectiveBlock {
  const insertAt = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const directives: Directive[] = [];
  const seen = new Set<string>();
  let pos = insertAt;
  let line = 0;
  while (pos < text.length) {
    const nl = text.indexOf("\n", pos);
    const end = nl === -1 ? text.length : nl;
    const m = DIRECTIVE_LINE.exec(text.slice(pos, end));
    if (!m) break;
    const name = m[1].toLowerCase();
    // An unknown or repeated directive is a comment to BuildKit, and comments end the block.
    if (!KNOWN.has(name) || seen.has(name)) break;
    seen.add(name);
    const lineText = text.slice(pos, end);
    const valueStart = pos + lineText.indexOf(m[2], lineText.indexOf("=") + 1);
    directives.push({
      name: name as Directive["name"],
      value: m[2],
      line,
      valueStart,
      valueEnd: valueStart + m[2].length,
    });
    if (nl === -1) break;
    pos = nl + 1;
    line++;
  }
  return { directives, insertAt };
}

export function escapeCharacter(block: DirectiveBlock): string {
  const escape = block.directives.find((d) => d.name === "escape");
  return escape?.value === "`" ? "`" : "\\";
}
