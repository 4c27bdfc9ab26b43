/**
 * GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding, which
 * GitHub shows as an annotation on the file and line (in the run and on a pull request's diff).
 *
 *   ::error file=Dockerfile,line=3,col=1,endLine=3,endColumn=20,title=unbake/secret-arg-env::message
 *
 * Escaping follows the runner's rules (actions/toolkit `command.ts`): in the message `%`, CR and
 * LF; in a property also `:` and `,`. Before that, paths and messages go through escapeText:
 * no other control character (an escape sequence in the log) or bidi control reaches the line.
 * `col`/`endColumn` are only sent for a one-line finding: GitHub does not accept them when
 * `line` and `endLine` differ.
 */
import type { FileReport } from "../file-report.js";
import { escapeText } from "../escape.js";
import { displayPath, severityOf, type FormatOptions, type Severity } from "./index.js";

const COMMAND: Record<Severity, string> = { error: "error", warning: "warning", note: "notice" };

export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function command(name: string, props: [string, string | number][], message: string): string {
  const p = props.map(([k, v]) => `${k}=${escapeProperty(escapeText(String(v)))}`).join(",");
  return `::${name} ${p}::${escapeData(escapeText(message, { keepLineBreaks: true }))}`;
}

export function github(files: FileReport[], o: FormatOptions): string {
  const severityOfFinding = severityOf(o);
  const lines: string[] = [];
  for (const file of files) {
    const where = displayPath(file.path, o.cwd);
    if (file.error !== undefined) {
      lines.push(command("error", [["file", where], ["title", "unbake"]], file.error));
      continue;
    }
    for (const f of file.findings) {
      const endLine = Math.max(f.endLine, f.line);
      const props: [string, string | number][] = [["file", where], ["line", f.line]];
      if (endLine === f.line) props.push(["col", f.column], ["endLine", endLine], ["endColumn", Math.max(f.endColumn, f.column)]);
      else props.push(["endLine", endLine]);
      props.push(["title", `unbake/${f.rule}`]);
      lines.push(command(COMMAND[severityOfFinding(f)], props, f.message));
    }
  }
  return lines.length ? lines.join("\n") + "\n" : "";
}
