/**
 * Unified diffs of one file, in a form both `git apply` and `patch -p1` accept.
 *
 * Notes on the format (checked against git 2.x and GNU patch 2.7):
 * - The `---`/`+++` lines carry a tab and a non-empty label after the name. Without
 *   it GNU patch cuts a name with spaces at the first space, and a label that looks
 *   like the epoch timestamp would make git read the file as created or deleted.
 * - Lines are compared and printed byte for byte: a CR before the LF stays in the
 *   line (no `stripTrailingCr`), a BOM stays in the first line.
 * - A missing final newline gets the `\ No newline at end of file` marker.
 * - A name that is not printable ASCII, or holds `"` or `\`, is written in git's quoted form
 *   (`"a/x\nb"`: C escapes, octal UTF-8 bytes), which git apply and GNU patch read back. Raw, a
 *   newline in a name would end the header and start a line of the attacker's choosing (in CI,
 *   `::error …` is a workflow command), and an escape sequence would reach the terminal.
 */
import { createTwoFilesPatch, formatPatch, type StructuredPatch } from "diff";

export interface DiffOptions {
  color: boolean;
  /** Lines of context around each change (default 3, like `diff -u` and git). */
  context?: number;
}

const OLD_LABEL = "before";
const NEW_LABEL = "after";

const HEADERS = { includeIndex: false, includeUnderline: false, includeFileHeaders: true };

/** `./a/b` → `a/b`; the path is printed after `a/` and `b/`. */
function cleanPath(path: string): string {
  let p = path;
  while (p.startsWith("./")) p = p.slice(2);
  return p;
}

const C_ESCAPES: Record<number, string> = { 0x07: "\\a", 0x08: "\\b", 0x09: "\\t", 0x0a: "\\n", 0x0b: "\\v", 0x0c: "\\f", 0x0d: "\\r", 0x22: '\\"', 0x5c: "\\\\" };
const UTF8 = new TextEncoder();

/**
 * A name as git writes it in a patch: as is when it is printable ASCII without `"` or `\`, else
 * quoted with C escapes and octal UTF-8 bytes — the rule the diff package applies to the
 * `---`/`+++` lines, here for the `diff --git` line written beside them.
 */
export function patchName(name: string): string {
  if (/^[\x20-\x7e]*$/.test(name) && !/["\\]/.test(name)) return name;
  let out = "";
  for (const byte of UTF8.encode(name)) {
    out += C_ESCAPES[byte] ?? (byte >= 0x20 && byte <= 0x7e ? String.fromCharCode(byte) : `\\${byte.toString(8).padStart(3, "0")}`);
  }
  return `"${out}"`;
}

/**
 * A unified diff of one file that `git apply` and `patch -p1` accept, with headers
 * `a/<path>` and `b/<path>`; "" when nothing changes. For a new file (`before === null`)
 * a git-style creation diff (`diff --git`, `new file mode 100644`, `--- /dev/null`,
 * `+++ b/<path>`). A new *empty* file has no hunk: git applies that header alone,
 * GNU patch does not create it.
 */
export function unifiedDiff(
  path: string,
  before: string | null,
  after: string,
  options: DiffOptions,
): string {
  if (before === after) return "";
  const p = cleanPath(path);
  const context = options.context ?? 3;
  let patch: string;
  if (before === null) {
    const body =
      after === ""
        ? ""
        : createTwoFilesPatch("/dev/null", `b/${p}`, "", after, OLD_LABEL, NEW_LABEL, {
            context,
            headerOptions: HEADERS,
          });
    patch = `diff --git ${patchName(`a/${p}`)} ${patchName(`b/${p}`)}\nnew file mode 100644\n${body}`;
  } else {
    patch =
      createTwoFilesPatch(`a/${p}`, `b/${p}`, before, after, OLD_LABEL, NEW_LABEL, {
        context,
        headerOptions: HEADERS,
        maxEditLength: MAX_EDIT_LENGTH,
      }) ?? oneHunk(`a/${p}`, `b/${p}`, before, after, context);
  }
  return options.color ? colorizeDiff(patch) : patch;
}

/**
 * Myers' diff costs (lines × edits): a crafted file whose every other line changes would take
 * minutes. Past this many changed lines the patch is one hunk from the first to the last
 * changed line (common prefix and suffix as context): linear, and git apply reads it the same.
 */
const MAX_EDIT_LENGTH = 1_000;

function oneHunk(oldName: string, newName: string, before: string, after: string, context: number): string {
  const split = (t: string) => (t === "" ? [] : t.split(/(?<=\n)/));
  const a = split(before);
  const b = split(after);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const from = Math.max(0, prefix - context);
  const tail = a.slice(a.length - suffix, Math.min(a.length, a.length - suffix + context));
  const line = (mark: string) => (l: string) => (l.endsWith("\n") ? [mark + l.slice(0, -1)] : [mark + l, "\\ No newline at end of file"]);
  const lines = [
    ...a.slice(from, prefix).flatMap(line(" ")),
    ...a.slice(prefix, a.length - suffix).flatMap(line("-")),
    ...b.slice(prefix, b.length - suffix).flatMap(line("+")),
    ...tail.flatMap(line(" ")),
  ];
  const oldLines = prefix - from + (a.length - suffix - prefix) + tail.length;
  const newLines = prefix - from + (b.length - suffix - prefix) + tail.length;
  const hunk = { oldStart: from + 1, oldLines, newStart: from + 1, newLines, lines };
  const structured: StructuredPatch = { oldFileName: oldName, newFileName: newName, oldHeader: OLD_LABEL, newHeader: NEW_LABEL, hunks: [hunk] };
  return formatPatch(structured, HEADERS);
}

const RESET = "\x1b[0m";
const BOLD = "\x1b[1m";
const CYAN = "\x1b[36m";
const RED = "\x1b[31m";
const GREEN = "\x1b[32m";

const HUNK_RE = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/;

function paint(code: string, line: string): string {
  return line === "" ? line : `${code}${line}${RESET}`;
}

/**
 * Colour a finished patch for a terminal: file headers bold, hunk headers cyan,
 * removed lines red, added lines green. Hunk bodies are told apart from headers by
 * the line counts of each `@@` header, so a removed line `-- x` is never taken for a
 * `---` header. Removing the ANSI codes gives back the input exactly.
 */
export function colorizeDiff(patch: string): string {
  if (patch === "") return patch;
  const lines = patch.split("\n");
  let oldLeft = 0;
  let newLeft = 0;
  const out: string[] = [];
  for (const line of lines) {
    if (oldLeft > 0 || newLeft > 0) {
      const c = line[0];
      if (c === " ") {
        oldLeft--;
        newLeft--;
        out.push(line);
        continue;
      }
      if (c === "-" && oldLeft > 0) {
        oldLeft--;
        out.push(paint(RED, line));
        continue;
      }
      if (c === "+" && newLeft > 0) {
        newLeft--;
        out.push(paint(GREEN, line));
        continue;
      }
      if (c === "\\") {
        out.push(line);
        continue;
      }
      // Not a body line after all (malformed counts): fall back to header rules.
      oldLeft = 0;
      newLeft = 0;
    }
    if (line.startsWith("\\")) {
      out.push(line);
      continue;
    }
    const hunk = HUNK_RE.exec(line);
    if (hunk) {
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      out.push(paint(CYAN, line));
      continue;
    }
    if (
      line.startsWith("--- ") ||
      line.startsWith("+++ ") ||
      line.startsWith("diff ") ||
      line.startsWith("new file mode ") ||
      line.startsWith("deleted file mode ") ||
      line.startsWith("index ") ||
      line.startsWith("Index: ") ||
      /^=+$/.test(line)
    ) {
      out.push(paint(BOLD, line));
      continue;
    }
    out.push(line);
  }
  return out.join("\n");
}
