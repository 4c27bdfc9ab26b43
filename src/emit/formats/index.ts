/**
 * Lint-style report formats for CI: `stylish` (ESLint's terminal table), `sarif` (SARIF 2.1.0,
 * for code scanning), `github` (workflow commands: annotations on a pull request) and
 * `markdown` (a step summary or a PR comment).
 *
 * Every format prints only what a FileReport's findings and errors already say (rule, position,
 * message, status, secret id) plus the file's path: never its diffs, secrets or commands, so
 * nothing can leak that the upstream redaction did not already cover. The one exception is
 * SARIF's `fixes` option, whose texts are printed by design: pass them redacted as the diffs are.
 */
import path from "node:path";
import type { Finding } from "../../types.js";

export type Severity = "error" | "warning" | "note";

export interface FormatOptions {
  color: boolean;
  /** The folder paths are shown relative to (SARIF's %SRCROOT%, GitHub's annotation paths). */
  cwd: string;
  toolVersion: string;
  /** Default: defaultSeverity. */
  severity?: (f: Finding) => Severity;
}

/**
 * Without a configured severity: a secret in the shipped image is an error, one only build stages
 * held (intermediate layers, the build cache) a warning, whatever the rewrite can do about it; a
 * finding with no scope (a build file's) is an error when unbake cannot fix it (manual).
 */
export function defaultSeverity(f: Finding): Severity {
  if (f.scope) return f.scope === "image" ? "error" : "warning";
  return f.status === "manual" ? "error" : "warning";
}

export function severityOf(o: FormatOptions): (f: Finding) => Severity {
  return o.severity ?? defaultSeverity;
}

/**
 * A report path relative to `cwd`, with forward slashes; undefined when the file lies outside
 * `cwd` (or on another drive), where only an absolute path can name it.
 */
export function relativeToCwd(file: string, cwd: string): string | undefined {
  const rel = path.relative(path.resolve(cwd), path.resolve(cwd, file));
  if (rel === "" || path.isAbsolute(rel) || rel === ".." || rel.startsWith(".." + path.sep)) return undefined;
  return rel.split(path.sep).join("/");
}

/** The path a format shows: relative to cwd when it can be, else as absolute, forward slashes. */
export function displayPath(file: string, cwd: string): string {
  return relativeToCwd(file, cwd) ?? path.resolve(cwd, file).split(path.sep).join("/");
}

/** Counts for the summaries: every finding is one problem, and so is a file that failed. */
export interface Counts {
  problems: number;
  errors: number;
  warnings: number;
  notes: number;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "3 problems (1 error, 2 warnings)"; notes are named only when there are some. */
export function countsText(c: Counts): string {
  const parts = [plural(c.errors, "error"), plural(c.warnings, "warning")];
  if (c.notes > 0) parts.push(plural(c.notes, "note"));
  return `${plural(c.problems, "problem")} (${parts.join(", ")})`;
}

export function newCounts(): Counts {
  return { problems: 0, errors: 0, warnings: 0, notes: 0 };
}

export function count(c: Counts, s: Severity): void {
  c.problems++;
  if (s === "error") c.errors++;
  else if (s === "warning") c.warnings++;
  else c.notes++;
}

export { stylish } from "./stylish.js";
export { sarif, type SarifOptions } from "./sarif.js";
export { github } from "./github.js";
export { markdown } from "./markdown.js";
