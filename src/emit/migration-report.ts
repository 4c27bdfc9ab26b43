/**
 * A Markdown migration report for a whole batch: what moved, how to build and run each image
 * now, what must be rotated and what is left for a person.
 *
 * Secret values never reach it: it is built only from ids, variable names, paths, lines, rule
 * ids and its own fixed wording. Finding messages are not copied (free text a value could hide
 * in); the few free texts it must show (a file's error, call-site descriptions) are masked for
 * known token formats and through the caller's redactor. Output depends only on the input:
 * files are sorted by path, findings by position, and nothing reads the clock.
 */
import { findSecretValues } from "../analyse/secret-values.js";
import { RULES } from "../analyse/rules.js";
import type { Finding, Secret } from "../types.js";
import { BUILDER_KINDS, type BuilderKind } from "./build-configs.js";
import type { FileReport } from "./file-report.js";
import { MASK, type Redactor } from "./redact.js";
import { escapeLines, escapeText } from "./escape.js";

export interface CallSite {
  path: string;
  line: number;
  description: string;
}

export interface ManualCallSite {
  path: string;
  line: number;
  reason: string;
}

export interface MigrationEntry {
  report: FileReport; // from src/emit/file-report.ts (path, changed, findings, secrets, commands, context, error?)
  configs: Partial<Record<BuilderKind, string>>;
  runtime: { docker?: string; compose?: string };
  callSites?: { changed: CallSite[]; manual: ManualCallSite[] };
}

export interface MigrationReportOptions {
  title?: string;
  generatedBy?: string;
  /** Masks the values the analysis saw (createRedactor); applied to every text the report embeds. */
  redact?: Redactor;
}

const DEFAULT_TITLE = "unbake migration report";

const KIND_LABEL: Record<BuilderKind, { title: string; lang: string }> = {
  docker: { title: "docker build / docker buildx build", lang: "sh" },
  bake: { title: "docker buildx bake (docker-bake.hcl)", lang: "hcl" },
  compose: { title: "Docker Compose (compose.yaml)", lang: "yaml" },
  gha: { title: "GitHub Actions (docker/build-push-action)", lang: "yaml" },
  podman: { title: "podman build / buildah bud", lang: "sh" },
};

/** What a person does about a finding the rewrite could not finish, by rule (fixed wording, never the message). */
const MANUAL_ACTION: Record<Finding["rule"], string> = {
  "secret-file-copy": "move the file into a secret mount by hand",
  "secret-arg-env": "move the variable into a secret mount by hand",
  "hardcoded-secret": "rotate the value, then pass it with a secret mount",
  "run-writes-secret": "write the file inside a secret mount, or delete it in the same RUN",
  "secret-used-outside-run": "move the use into a RUN with a secret mount, or drop it",
  "secret-printed": "remove the command that prints the secret, or send its output to /dev/null",
  "build-arg-secret": "pass the secret with --secret instead of --build-arg",
};

// ---------------------------------------------------------------------------------------------
// Markdown helpers

/** Masks known token formats (defence in depth for free text such as error messages). */
function maskValues(text: string): string {
  const matches = findSecretValues(text).sort((a, b) => b.start - a.start);
  let out = text;
  let limit = Infinity;
  for (const m of matches) {
    if (m.end > limit) continue; // overlapping an already masked span
    out = out.slice(0, m.start) + MASK + out.slice(m.end);
    limit = m.start;
  }
  return out;
}

/** One line: line breaks become spaces, other controls are shown escaped (a path can hold any). */
function oneLine(s: string): string {
  return escapeText(s.replace(/\r\n|[\r\n\u2028\u2029]/g, " "));
}

/** Inline text: one line, Markdown punctuation escaped so it renders as written. */
function text(s: string): string {
  return oneLine(s).replace(/[\\`*_[\]<>~&#!]/g, (c) => `\\${c}`);
}

/** An inline code span holding `s` verbatim (one line). */
function code(s: string): string {
  const body = oneLine(s);
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(longest + 1);
  const pad = body.startsWith("`") || body.endsWith("`") || (body.startsWith(" ") && body.endsWith(" ") && body.trim() !== "") ? " " : "";
  return `${ticks}${pad}${body}${pad}${ticks}`;
}

/**
 * A table cell: every `|` escaped, one line. GFM splits rows before inline parsing and turns
 * each `\|` back into `|`, inside code spans too; `text()` leaves pipes to this.
 */
function cell(markdown: string): string {
  return oneLine(markdown).replace(/\|/g, "\\|");
}

function row(cells: string[]): string {
  return `| ${cells.map(cell).join(" | ")} |`;
}

function table(head: string[], rows: string[][]): string[] {
  return [row(head), `| ${head.map(() => "---").join(" | ")} |`, ...rows.map(row)];
}

/** A fenced code block whose fence is longer than any backtick run in the body. */
function fenced(lang: string, body: string): string[] {
  const trimmed = escapeLines(body.replace(/\r\n/g, "\n")).replace(/\s+$/, "");
  const longest = Math.max(0, ...[...trimmed.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [`${fence}${lang}`, ...trimmed.split(/\r?\n/), fence];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function byPosition(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}

function byPath<T extends { path: string; line: number }>(a: T, b: T): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line;
}

// ---------------------------------------------------------------------------------------------
// Per-file facts

interface HardcodedItem {
  /** Markdown, built from ids, names and lines only. */
  what: string;
  lines: number[];
}

function hardcodedItems(report: FileReport): HardcodedItem[] {
  const items: HardcodedItem[] = [];
  const hardIds = new Set<string>();
  for (const s of report.secrets) {
    if (!s.hardcoded) continue;
    hardIds.add(s.id);
    const lines = [...new Set(report.findings.filter((f) => f.secretId === s.id).map((f) => f.line))].sort((a, b) => a - b);
    const from = s.source.type === "env" ? `variable ${code(s.source.name)}` : `file ${code(s.source.path)}`;
    items.push({ what: `secret ${code(s.id)} (${from})`, lines });
  }
  for (const f of [...report.findings].sort(byPosition)) {
    if (f.rule !== "hardcoded-secret" || (f.secretId !== undefined && hardIds.has(f.secretId))) continue;
    const what = f.secretId !== undefined ? `a value of secret ${code(f.secretId)}` : "a secret value written in the Dockerfile";
    items.push({ what: `${what} (column ${f.column})`, lines: [f.line] });
  }
  return items;
}

interface Counts {
  build: number;
  runtime: number;
  hardcoded: number;
  fixed: number;
  review: number;
  manual: number;
}

function countsOf(report: FileReport): Counts {
  return {
    build: report.secrets.filter((s) => s.usage === "build").length,
    runtime: report.secrets.filter((s) => s.usage === "runtime").length,
    hardcoded: hardcodedItems(report).length,
    fixed: report.findings.filter((f) => f.status === "fixed").length,
    review: report.findings.filter((f) => f.status === "needs-review").length,
    manual: report.findings.filter((f) => f.status === "manual").length,
  };
}

type FileStatus = "error" | "changed" | "to do" | "clean";

function statusOf(entry: MigrationEntry): FileStatus {
  const r = entry.report;
  if (r.error !== undefined) return "error";
  if (r.changed) return "changed";
  if (r.findings.length > 0 || r.secrets.length > 0 || (entry.callSites?.manual.length ?? 0) > 0) return "to do";
  return "clean";
}

function sourceText(s: Secret): string {
  return s.source.type === "env" ? `variable ${code(s.source.name)}` : `file ${code(s.source.path)}`;
}

function usageText(s: Secret): string {
  if (s.onbuild) return "ONBUILD: the builds FROM this image supply it with --secret, not this build";
  if (s.usage === "runtime") return "runtime: no build step reads it; supply it when the container runs";
  if (s.ssh?.length) return `build: the builder's ssh agent (--ssh ${s.ssh.join(" --ssh ")}) on RUN lines ${[...new Set(s.mountedOn)].sort((a, b) => a - b).join(", ")}; load the key with ssh-add`;
  const lines = [...new Set(s.mountedOn)].sort((a, b) => a - b);
  const runtime = s.runtimeNames?.length ? `; runtime: supply ${s.runtimeNames.join(", ")} when the container runs` : "";
  return (lines.length > 0 ? `build: mounted on RUN ${lines.length === 1 ? "line" : "lines"} ${lines.join(", ")}` : "build") + runtime;
}

function reviewAction(f: Finding, secrets: Secret[]): string {
  if (f.status === "manual") return MANUAL_ACTION[f.rule];
  const secret = f.secretId === undefined ? undefined : secrets.find((s) => s.id === f.secretId);
  if (secret?.usage === "runtime") return "removed from the image; the running container must now get it (see Runtime secrets)";
  return "removed; check the choice the rewrite made";
}

// ---------------------------------------------------------------------------------------------

function fileSection(entry: MigrationEntry, safe: (s: string) => string): string[] {
  const r = entry.report;
  const out: string[] = [`## ${code(r.path)}`, ""];
  const status = statusOf(entry);
  const intro = status === "changed" ? "Rewritten: its secrets now come from BuildKit secret mounts." : "Not rewritten.";
  out.push(r.context !== undefined ? `${intro} Build context: ${code(r.context)}.` : intro, "");

  if (r.secrets.length > 0) {
    out.push(r.changed ? "### Secrets moved" : "### Secrets", "");
    out.push(...table(["id", "from", "usage"], r.secrets.map((s) => [code(s.id), sourceText(s), usageText(s)])), "");
  }

  const kinds = BUILDER_KINDS.filter((k) => (entry.configs[k] ?? "") !== "");
  const configs: Partial<Record<BuilderKind, string>> = { ...entry.configs };
  if (kinds.length === 0 && r.commands.docker) {
    kinds.push("docker");
    configs.docker = r.commands.docker;
  }
  if (kinds.length > 0) {
    out.push("### Build", "");
    out.push(`Run in ${r.context !== undefined ? code(r.context) : "the build context"}; \`src=\`/\`file:\` paths are relative to it.`, "");
    for (const k of kinds) out.push(`#### ${KIND_LABEL[k].title}`, "", ...fenced(KIND_LABEL[k].lang, safe(configs[k]!)), "");
  }

  const runtime = r.secrets.filter((s) => (s.usage === "runtime" || (s.runtimeNames?.length ?? 0) > 0) && !s.onbuild);
  if (runtime.length > 0 || entry.runtime.docker || entry.runtime.compose) {
    out.push("### Runtime secrets", "");
    out.push("These left the image: the running container must get them.", "");
    for (const s of runtime) {
      const names = s.runtimeNames?.length ? s.runtimeNames : s.source.type === "env" ? [s.source.name] : [];
      const where =
        names.length > 0 ? `as variable${names.length > 1 ? "s" : ""} ${names.map(code).join(", ")}` : `as a file at ${code(s.target ?? `/run/secrets/${s.id}`)}`;
      out.push(`- ${code(s.id)}: ${where}`);
    }
    if (runtime.length > 0) out.push("");
    if (entry.runtime.docker) out.push("#### docker run", "", ...fenced("sh", safe(entry.runtime.docker)), "");
    if (entry.runtime.compose) out.push("#### Docker Compose", "", ...fenced("yaml", safe(entry.runtime.compose)), "");
  }

  const hard = hardcodedItems(r);
  if (hard.length > 0) {
    out.push("### Rotate these hard-coded secrets", "");
    out.push("Their values are in the repository's history: removing them from the Dockerfile is not enough.", "");
    for (const h of hard) out.push(`- ${h.lines.length === 0 ? "" : `${h.lines.length === 1 ? "line" : "lines"} ${h.lines.join(", ")}: `}${h.what}`);
    out.push("");
  }

  if (entry.callSites && (entry.callSites.changed.length > 0 || entry.callSites.manual.length > 0)) {
    out.push("### Call sites", "");
    if (entry.callSites.changed.length > 0) {
      out.push("Changed:", "");
      for (const c of [...entry.callSites.changed].sort(byPath)) out.push(`- ${code(`${c.path}:${c.line}`)} ${text(safe(c.description))}`);
      out.push("");
    }
    if (entry.callSites.manual.length > 0) {
      out.push("Left for a person:", "");
      for (const c of [...entry.callSites.manual].sort(byPath)) out.push(`- ${code(`${c.path}:${c.line}`)} ${text(safe(c.reason))}`);
      out.push("");
    }
  }

  const todo = r.findings.filter((f) => f.status !== "fixed").sort(byPosition);
  if (todo.length > 0) {
    out.push("### Findings to review or fix by hand", "");
    out.push(
      ...table(
        ["line", "rule", "status", "secret", "what it is", "to do"],
        todo.map((f) => [
          `${f.line}:${f.column}`,
          code(f.rule),
          f.status,
          f.secretId === undefined ? "" : code(f.secretId),
          text(RULES[f.rule].description),
          text(reviewAction(f, r.secrets)),
        ]),
      ),
      "",
    );
  }
  return out;
}

/** A Markdown report for the whole batch: a summary table, then per Dockerfile: secrets moved (id, from, usage), the commands/configs to build it (fenced code blocks per tool), runtime secrets to supply, hard-coded values that must be rotated (NAMED by id/variable and line, NEVER their value), call sites changed and those left for a person, findings needing review or manual work; files with errors listed with their error. Deterministic output. */
export function migrationReport(entries: MigrationEntry[], options: MigrationReportOptions = {}): string {
  const redact = options.redact ?? ((s: string) => s);
  const safe = (s: string): string => maskValues(redact(s));
  const sorted = entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.report.path < b.e.report.path ? -1 : a.e.report.path > b.e.report.path ? 1 : a.i - b.i))
    .map((x) => x.e);

  const out: string[] = [`# ${text(options.title ?? DEFAULT_TITLE)}`, ""];
  if (options.generatedBy !== undefined) out.push(`Generated by ${text(options.generatedBy)}.`, "");

  const total: Counts = { build: 0, runtime: 0, hardcoded: 0, fixed: 0, review: 0, manual: 0 };
  const statusCount: Record<FileStatus, number> = { error: 0, changed: 0, "to do": 0, clean: 0 };
  const rows: string[][] = [];
  for (const e of sorted) {
    const status = statusOf(e);
    statusCount[status]++;
    if (status === "error") {
      rows.push([code(e.report.path), status, "", "", "", "", "", ""]);
      continue;
    }
    const c = countsOf(e.report);
    for (const k of Object.keys(total) as (keyof Counts)[]) total[k] += c[k];
    rows.push([code(e.report.path), status, ...[c.build, c.runtime, c.hardcoded, c.fixed, c.review, c.manual].map(String)]);
  }
  rows.push(["**total**", `${statusCount.changed} changed`, ...[total.build, total.runtime, total.hardcoded, total.fixed, total.review, total.manual].map(String)]);

  out.push("## Summary", "");
  out.push(
    `${plural(sorted.length, "file")}: ${statusCount.changed} changed, ${statusCount["to do"]} with work left and not changed, ${statusCount.clean} clean, ${plural(statusCount.error, "error")}.`,
    "",
  );
  out.push(...table(["file", "status", "build secrets", "runtime secrets", "hard-coded", "fixed", "to review", "manual"], rows), "");
  if (total.hardcoded > 0) out.push(`**${plural(total.hardcoded, "hard-coded secret")} must be rotated**: see each file below.`, "");

  for (const e of sorted) {
    const status = statusOf(e);
    if (status === "error" || status === "clean") continue;
    out.push(...fileSection(e, safe));
  }

  const failed = sorted.filter((e) => e.report.error !== undefined);
  if (failed.length > 0) {
    out.push("## Files with errors", "", "These were left untouched.", "");
    out.push(...table(["file", "error"], failed.map((e) => [code(e.report.path), text(safe(e.report.error!))])), "");
  }
  const clean = sorted.filter((e) => statusOf(e) === "clean");
  if (clean.length > 0) {
    out.push("## Nothing to do", "");
    for (const e of clean) out.push(`- ${code(e.report.path)}`);
    out.push("");
  }
  return out.join("\n").replace(/\n+$/, "\n");
}
