/**
 * `--format text`: per file its diff, its findings, its secrets and the build command. Paths,
 * messages and commands are printed through escapeText (a path can hold any character).
 */
import type { CallSiteReport, FileReport, Summary } from "./file-report.js";
import { escapeLines, escapeText } from "./escape.js";

export interface TextOptions {
  color: boolean;
  write: boolean;
}

const STATUS_LABEL = { fixed: "fixed", "needs-review": "review", manual: "manual" } as const;

export function textFileReport(file: FileReport, options: TextOptions): string {
  const paint = (code: string, s: string) => (options.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  for (const d of file.diffs) lines.push(d.replace(/\n$/, ""));
  const path = escapeText(file.path);
  if (file.error !== undefined) {
    lines.push(`${paint("1", path)}: ${paint("31", "error")}: ${escapeText(file.error)}`);
    return lines.join("\n") + "\n";
  }
  if (file.findings.length === 0) return lines.length ? lines.join("\n") + "\n" : "";
  lines.push(paint("1", path));
  for (const f of file.findings) {
    const color = f.status === "fixed" ? "32" : f.status === "manual" ? "31" : "33";
    lines.push(`  ${`${f.line}:${f.column}`.padEnd(7)} ${paint(color, STATUS_LABEL[f.status].padEnd(6))}  ${f.rule.padEnd(23)} ${escapeText(f.message)}`);
  }
  if (file.secrets.length > 0) {
    lines.push("  secrets:");
    for (const s of file.secrets) {
      const from = escapeText(s.source.type === "env" ? `variable ${s.source.name}` : `file ${s.source.path}`);
      const runtime = s.runtimeNames?.length ? `, and at run time as ${s.runtimeNames.join(", ")} (see below)` : "";
      const usage = s.onbuild
        ? "ONBUILD: the builds FROM this image supply it (--secret), not this one"
        : s.ssh?.length
          ? `build, from the ssh agent (--ssh ${s.ssh.join(" --ssh ")}): load the key with ssh-add${runtime}`
          : s.usage === "build"
          ? `build${runtime}`
          : "runtime: supply it when the container runs (see below)";
      lines.push(`    ${s.id.padEnd(20)} ${from}, ${usage}${s.hardcoded ? ", hard-coded: rotate it" : ""}`);
    }
  }
  const blocks: [string, string | undefined][] = [
    ...Object.entries(file.commands).map(([kind, c]): [string, string | undefined] => [kind === "docker" ? "build" : kind, c]),
    ["run", file.runtime?.docker],
    ["run (compose)", file.runtime?.compose],
  ];
  const context = escapeText(file.context ?? ".");
  for (const [kind, raw] of blocks) {
    if (!raw) continue;
    const config = escapeLines(raw);
    // build-push-action has no working directory: its paths are written from the checkout's top.
    const where = kind === "gha" ? "from the repository's top" : `in ${context}`;
    if (!config.includes("\n")) lines.push(`  ${kind} (${where}): ${config}`);
    else lines.push(`  ${kind} (${where}):`, ...config.replace(/\n$/, "").split("\n").map((l) => `    ${l}`));
  }
  return lines.join("\n") + "\n";
}

export function textCallSite(c: CallSiteReport, options: TextOptions): string {
  const paint = (code: string, s: string) => (options.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  if (c.diff) lines.push(c.diff.replace(/\n$/, ""));
  lines.push(paint("1", escapeText(c.path)));
  for (const x of c.changes) lines.push(`  ${String(x.line).padEnd(7)} ${paint("32", "fixed ")}  call-site               ${escapeText(x.description)}`);
  for (const x of c.manual) lines.push(`  ${String(x.line).padEnd(7)} ${paint("31", "manual")}  call-site               ${escapeText(x.reason)}`);
  if (c.error !== undefined) lines.push(`  ${paint("31", "error")}: ${escapeText(c.error)}`);
  return lines.join("\n") + "\n";
}

export function summaryLine(s: Summary, options: TextOptions): string {
  const mode = options.write ? "written" : s.changed > 0 ? "dry run: --write applies the changes" : "dry run";
  const sites = s.callSites ? `, call sites: ${s.callSites.changed} ${options.write ? "changed" : "to change"}, ${s.callSites.manual} for a person` : "";
  return `unbake: ${s.files} file${s.files === 1 ? "" : "s"}, ${s.changed} ${options.write ? "changed" : "to change"}, ${s.findings} finding${s.findings === 1 ? "" : "s"}, ${s.errors} error${s.errors === 1 ? "" : "s"}${sites} (${mode})\n`;
}
