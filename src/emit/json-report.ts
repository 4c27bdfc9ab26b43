/**
 * `--format json`: one object for the whole run. The field names are a contract other tools
 * rely on: files[].{path, changed, error?, findings[], secrets[], commands}, summary.
 */
import { summarise, type FileReport } from "./file-report.js";

export function jsonReport(files: FileReport[]): string {
  const out = {
    files: files.map((f) => ({
      path: f.path,
      changed: f.changed,
      ...(f.error !== undefined ? { error: f.error } : {}),
      findings: f.findings.map((x) => ({
        rule: x.rule,
        line: x.line,
        column: x.column,
        message: x.message,
        status: x.status,
        ...(x.secretId ? { secretId: x.secretId } : {}),
      })),
      secrets: f.secrets.map((s) => ({
        id: s.id,
        source: s.source,
        usage: s.usage,
        ...(s.hardcoded ? { hardcoded: true } : {}),
        ...(s.target ? { target: s.target } : {}),
      })),
      commands: f.commands,
    })),
    summary: summarise(files),
  };
  return JSON.stringify(out, null, 2) + "\n";
}
