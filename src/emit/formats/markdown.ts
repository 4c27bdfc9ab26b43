/**
 * GitHub-flavoured Markdown, for a job summary ($GITHUB_STEP_SUMMARY) or a pull-request comment:
 * a summary, then per file with problems a heading and a table (line, rule, severity, message).
 *
 * Messages and paths are plain text, not Markdown: every character Markdown or a table would
 * interpret inline (`|`, `*`, `_`, `` ` ``, `[`, `<`, `&`, `$` for math, `#` …) is backslash-escaped, line breaks become
 * `<br>` and other controls are shown escaped (escapeText), so a message renders as it reads and
 * cannot break out of its cell.
 */
import type { FileReport } from "../file-report.js";
import { escapeText } from "../escape.js";
import { count, countsText, newCounts, plural, severityOf, type FormatOptions } from "./index.js";

/** Backslash-escapes what inline GFM could read as syntax (a cell or a heading is never at a block start). */
export function escapeMarkdown(s: string): string {
  return escapeText(s.replace(/[\\`*_[\]<>|~&$#]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, "<br>"));
}

export function markdown(files: FileReport[], o: FormatOptions): string {
  const severityOfFinding = severityOf(o);
  const totals = newCounts();
  const sections: string[] = [];
  let withProblems = 0;

  for (const file of files) {
    if (file.error === undefined && file.findings.length === 0) continue;
    withProblems++;
    const heading = `### ${escapeMarkdown(file.path)}`;
    if (file.error !== undefined) {
      count(totals, "error");
      sections.push(`${heading}\n\n**error**: ${escapeMarkdown(file.error)}\n`);
      continue;
    }
    const rows = ["| Line | Rule | Severity | Message |", "| ---: | --- | --- | --- |"];
    for (const f of file.findings) {
      const severity = severityOfFinding(f);
      count(totals, severity);
      rows.push(`| ${f.line}:${f.column} | \`${f.rule}\` | ${severity} | ${escapeMarkdown(f.message)} |`);
    }
    sections.push(`${heading}\n\n${rows.join("\n")}\n`);
  }

  const checked = plural(files.length, "file");
  const summary =
    totals.problems === 0
      ? `No problems in ${checked}.`
      : `**${countsText(totals)}** in ${withProblems} of ${checked}.`;
  return [`## unbake\n\n${summary}\n`, ...sections].join("\n");
}
