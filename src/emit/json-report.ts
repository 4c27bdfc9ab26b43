/**
 * `--format json`: one object for the whole run, written as files finish so a large batch is
 * never held in memory. The field names are a contract other tools rely on:
 * files[].{path, changed, error?, findings[], secrets[], commands}, summary. Values are exact
 * (a path as it is); line separators and bidi controls are written as \u escapes (safeJson).
 */
import { callSiteChanged, type CallSiteReport, type FileReport, type Summary } from "./file-report.js";
import { safeJson } from "./escape.js";
import { defaultSeverity } from "./formats/index.js";

export function jsonFile(f: FileReport): unknown {
  return {
    path: f.path,
    changed: f.changed,
    ...(f.error !== undefined ? { error: f.error } : {}),
    findings: f.findings.map((x) => ({
      rule: x.rule,
      line: x.line,
      column: x.column,
      message: x.message,
      status: x.status,
      // As `unbake check` reports it: the configuration's, else the scope's (defaultSeverity).
      severity: x.severity ?? defaultSeverity(x),
      ...(x.scope ? { scope: x.scope } : {}),
      ...(x.secretId ? { secretId: x.secretId } : {}),
    })),
    secrets: f.secrets.map((s) => ({
      id: s.id,
      source: s.source,
      usage: s.usage,
      ...(s.hardcoded ? { hardcoded: true } : {}),
      ...(s.target ? { target: s.target } : {}),
      ...(s.unfixed ? { unfixed: true } : {}),
      ...(s.runtimeNames?.length ? { runtimeNames: s.runtimeNames } : {}),
      ...(s.onbuild ? { onbuild: true } : {}),
      ...(s.ssh?.length ? { ssh: s.ssh } : {}),
    })),
    // The folder the commands run in (docker build's working directory, where src= paths start).
    ...(f.context !== undefined ? { context: f.context } : {}),
    commands: f.commands,
    ...(f.runtime ? { runtime: f.runtime } : {}),
  };
}

/** Streams the report: open(), file() per file in order, close(summary). */
export class JsonReportWriter {
  private count = 0;
  constructor(private readonly out: { write(s: string): unknown }) {}

  open(): void {
    this.out.write('{\n  "files": [');
  }

  file(f: FileReport): void {
    const body = safeJson(JSON.stringify(jsonFile(f), null, 2)).replace(/\n/g, "\n    ");
    this.out.write(`${this.count++ === 0 ? "" : ","}\n    ${body}`);
  }

  private readonly callSites: unknown[] = [];

  /** Call sites are few: kept and written after the files. */
  callSite(c: CallSiteReport): void {
    this.callSites.push({ path: c.path, changed: callSiteChanged(c), changes: c.changes, manual: c.manual, ...(c.error !== undefined ? { error: c.error } : {}) });
  }

  close(summary: Summary): void {
    const tail = JSON.stringify(summary, null, 2).replace(/\n/g, "\n  ");
    const sites = this.callSites.length ? `,\n  "callSites": ${safeJson(JSON.stringify(this.callSites, null, 2)).replace(/\n/g, "\n  ")}` : "";
    this.out.write(`${this.count === 0 ? "" : "\n  "}]${sites},\n  "summary": ${tail}\n}\n`);
  }
}
