/**
 * ESLint's `stylish` layout: per file with problems its path, then one aligned row per finding
 * (`line:col  severity  message  rule`), and a closing `✖ N problems (E errors, W warnings)`.
 * Clean files print nothing, and a batch without problems prints nothing at all.
 */
import type { FileReport } from "../file-report.js";
import { escapeText } from "../escape.js";
import { count, countsText, newCounts, severityOf, type FormatOptions, type Severity } from "./index.js";

const SEVERITY_COLOR: Record<Severity, string> = { error: "31", warning: "33", note: "36" };

/** Messages are one line in a table: line breaks become spaces, other controls are escaped. */
function oneLine(s: string): string {
  return escapeText(s.replace(/\r\n|\r|\n/g, " "));
}

export function stylish(files: FileReport[], o: FormatOptions): string {
  const paint = (code: string, s: string) => (o.color && s !== "" ? `\x1b[${code}m${s}\x1b[0m` : s);
  const severityOfFinding = severityOf(o);
  const totals = newCounts();
  const out: string[] = [];

  for (const file of files) {
    type Row = { line: string; col: string; severity: Severity; message: string; rule: string };
    const rows: Row[] = [];
    if (file.error !== undefined) {
      rows.push({ line: "", col: "", severity: "error", message: oneLine(file.error), rule: "" });
    } else {
      for (const f of file.findings) {
        rows.push({ line: String(f.line), col: String(f.column), severity: severityOfFinding(f), message: oneLine(f.message), rule: f.rule });
      }
    }
    if (rows.length === 0) continue;

    const lineW = Math.max(...rows.map((r) => r.line.length));
    const colW = Math.max(...rows.map((r) => r.col.length));
    const sevW = Math.max(...rows.map((r) => r.severity.length));
    const msgW = Math.max(...rows.map((r) => r.message.length));
    out.push(paint("4", escapeText(file.path)));
    for (const r of rows) {
      count(totals, r.severity);
      // ESLint's table: the line right-aligned, the column left-aligned after the colon.
      // A failed file's one row has no position: it starts with the severity.
      const cells = [
        ...(r.line === "" ? [] : [`${r.line.padStart(lineW)}:${r.col.padEnd(colW)}`]),
        paint(SEVERITY_COLOR[r.severity], r.severity) + " ".repeat(sevW - r.severity.length),
        r.message + " ".repeat(msgW - r.message.length),
        paint("2", r.rule),
      ];
      out.push(`  ${cells.join("  ")}`.trimEnd());
    }
    out.push("");
  }

  if (totals.problems === 0) return "";
  const summary = `\u2716 ${countsText(totals)}`;
  out.push(paint(totals.errors > 0 ? "1;31" : "1;33", summary));
  return out.join("\n") + "\n";
}
