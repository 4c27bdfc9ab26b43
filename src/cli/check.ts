/**
 * `unbake check`: the CI gate. Reports only, never writes; exit 1 when a finding is at or above
 * --fail-level, 2 when a file cannot be handled. Formats are the lint ones a security team's CI
 * already consumes: stylish, json, sarif (with the rewrite as SARIF fixes), github, markdown.
 */
import { batchSecretIds } from "./batch-ids.js";
import { relative, resolve } from "node:path";
import { mayBeCallSite } from "../callsites/files.js";
import type { Migration } from "../callsites/types.js";
import { runBatch } from "./batch.js";
import { prepareBatch } from "./prepare-batch.js";
import { createProgress } from "./progress.js";
import type { ProcessOptions } from "./process-file.js";
import { displayPath } from "./display-path.js";
import { Tally, type FileReport } from "../emit/file-report.js";
import { JsonReportWriter } from "../emit/json-report.js";
import { defaultSeverity, type FormatOptions, type Severity } from "../emit/formats/index.js";
import { github } from "../emit/formats/github.js";
import { markdown } from "../emit/formats/markdown.js";
import { sarif } from "../emit/formats/sarif.js";
import { stylish } from "../emit/formats/stylish.js";
import type { MountStyle } from "../types.js";
import { VERSION } from "../version.js";
import { escapeText } from "../emit/escape.js";
import type { Io } from "./main.js";
import { withConventions } from "./conventions.js";
import { configChoice, type ConventionOptions } from "./options.js";
import { wantsColor } from "./color.js";
import type { Finding } from "../types.js";

export interface CheckOptions extends ConventionOptions {
  format: "stylish" | "json" | "sarif" | "github" | "markdown";
  failLevel: Severity;
  /** --max-warnings: more warnings than this fail the run; up to this many do not. */
  maxWarnings?: number;
  mountStyle: MountStyle;
  context?: string;
  exclude: string[];
  jobs: number;
  /** Errors only (ESLint's --quiet), and no progress line. */
  quiet: boolean;
  mountStyleFromCli?: boolean;
}

const RANK: Record<Severity, number> = { note: 0, warning: 1, error: 2 };

export function runCheck(paths: string[], opts: CheckOptions, io: Io): Promise<number> {
  return withConventions(
    paths,
    opts,
    io,
    (runIo, choice) => checkBatch(paths, opts, runIo, choice),
    async (runIo, choice) => {
      const { checkStdin } = await import("./stdin.js");
      const { report } = await checkStdin(opts, runIo, choice);
      const tally = new Tally();
      tally.add(report);
      const reports = report.findings.length > 0 || report.error !== undefined ? [report] : [];
      return finish(reports, tally, new Map(), opts, runIo, true);
    },
  );
}

async function checkBatch(paths: string[], opts: CheckOptions, io: Io, choice: ReturnType<typeof configChoice>): Promise<number> {
  const processOptions: ProcessOptions = {
    write: false,
    mountStyle: opts.mountStyle,
    context: opts.context === undefined ? undefined : resolve(io.cwd, opts.context),
    showSecrets: false,
    color: false,
    cwd: io.cwd,
    emit: ["docker"],
    keepTexts: opts.format === "sarif",
    mountStyleFromCli: opts.mountStyleFromCli,
    ...choice,
  };
  const batch = await prepareBatch(paths, processOptions, { jobs: opts.jobs, exclude: opts.exclude, alsoCollect: mayBeCallSite });
  const migrations: Migration[] = [];
  // Only files with something to say are kept: a clean batch of thousands costs nothing here.
  const reports: FileReport[] = [];
  const tally = new Tally();
  for (const w of batch.configWarnings) io.stderr.write(`${escapeText(w)}\n`);
  for (const e of batch.configErrors) io.stderr.write(`${escapeText(e)}\n`);
  tally.summary.errors += batch.configErrors.length;
  const fixes = new Map<string, { before: string; after: string }>();
  const progress = createProgress(io.stderr, batch.dockerfiles.length, { enabled: !opts.quiet && !io.env.CI });
  const ids = await batchSecretIds(batch.dockerfiles, processOptions, opts.callSites ? { paths, cwd: io.cwd } : undefined);
  const done = await runBatch(batch.dockerfiles, processOptions, { jobs: opts.jobs, signal: io.signal, pool: batch.pool, ids }, async (index, result) => {
    tally.add(result.report);
    if (result.report.findings.length > 0 || result.report.error !== undefined) reports.push({ ...result.report, diffs: [] });
    if (result.texts) fixes.set(result.report.path, result.texts);
    if (result.migration) migrations.push(result.migration);
    progress.update(index + 1, result.report.path);
  });
  progress.finish();
  for (const p of batch.problems) {
    const report: FileReport = { path: displayPath(p.path, io.cwd), changed: false, error: p.message, findings: [], secrets: [], commands: {}, diffs: [] };
    tally.add(report);
    reports.push(report);
  }
  // Rule build-arg-secret: the builds that still pass, as a build argument, a secret the rewrite would mount.
  const complete = done === batch.dockerfiles.length;
  if (complete && migrations.length > 0 && !opts.ignore.includes("build-arg-secret")) {
    const { callSiteReports } = await import("./check-call-sites.js");
    const sites = await callSiteReports(paths, batch.others, migrations, processOptions, { jobs: opts.jobs, signal: io.signal, searchAbove: opts.callSites });
    if (sites.searchedAbove !== null) {
      io.stderr.write(`unbake: call sites also searched in ${escapeText(relative(io.cwd, sites.searchedAbove) || ".")} (the repository above the given paths; --no-call-sites to skip)\n`);
    }
    for (const r of sites.reports) {
      tally.add(r);
      reports.push(r);
    }
  }

  return finish(reports, tally, fixes, opts, io, done === batch.dockerfiles.length);
}

/** Prints the reports in the chosen format; the exit status. */
function finish(
  all: FileReport[],
  tally: Tally,
  fixes: Map<string, { before: string; after: string }>,
  opts: CheckOptions,
  io: Io,
  complete: boolean,
): number {
  const color = opts.format === "stylish" && wantsColor(opts.color, io.stdout, io.env);
  const severity = (f: Finding) => f.severity ?? defaultSeverity(f);
  // --quiet: errors only, as ESLint's; what it leaves out does not fail the run either.
  const reports = opts.quiet
    ? all.map((r) => ({ ...r, findings: r.findings.filter((f) => severity(f) === "error") })).filter((r) => r.findings.length > 0 || r.error !== undefined)
    : all;
  const formatOptions: FormatOptions = { color, cwd: io.cwd, toolVersion: VERSION, severity };
  if (opts.format === "stylish") io.stdout.write(stylish(reports, formatOptions));
  else if (opts.format === "sarif") io.stdout.write(sarif(reports, { ...formatOptions, fixes }));
  else if (opts.format === "github") io.stdout.write(github(reports, formatOptions));
  else if (opts.format === "markdown") io.stdout.write(markdown(reports, formatOptions));
  else {
    const json = new JsonReportWriter(io.stdout);
    json.open();
    for (const r of reports) json.file(r);
    json.close(tally.summary);
  }
  if (!complete) return 130;
  if (tally.summary.errors > 0) return 2;
  const findings = reports.flatMap((r) => r.findings);
  if (opts.maxWarnings !== undefined) {
    // ESLint's --max-warnings: warnings fail the run only past the limit; errors (and notes, at --fail-level note) as before.
    const warnings = findings.filter((f) => severity(f) === "warning").length;
    if (warnings > opts.maxWarnings) return 1;
    return findings.some((f) => severity(f) !== "warning" && RANK[severity(f)] >= RANK[opts.failLevel]) ? 1 : 0;
  }
  const failing = findings.some((f) => RANK[severity(f)] >= RANK[opts.failLevel]);
  return failing ? 1 : 0;
}
