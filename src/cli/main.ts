/**
 * The `unbake` command: find Dockerfiles, run the pipeline on each (on every core), print
 * diffs and reports in a stable order as files finish, write with --write. Exit 0: nothing
 * left to do; 1: findings remain (dry run: changes proposed; after --write: findings it could
 * not fix); 2: a file failed or usage error; 130: interrupted.
 */
import { availableParallelism } from "node:os";
import { dirname, relative, resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import type { ProcessOptions } from "./process-file.js";
import { displayPath } from "./display-path.js";
import { batchSecretIds } from "./batch-ids.js";
import { runBatch, runCallSites } from "./batch.js";
import { prepareBatch } from "./prepare-batch.js";
import { DockerignoreUpdates, notIgnored } from "./dockerignore-updates.js";
import { createProgress } from "./progress.js";
import { JsonReportWriter } from "../emit/json-report.js";
import { summaryLine, textCallSite, textFileReport } from "../emit/text-report.js";
import { Tally, type FileReport } from "../emit/file-report.js";
import type { MountStyle } from "../types.js";
import { VERSION } from "../version.js";
import { runCheck, type CheckOptions } from "./check.js";
import type { AuditCliOptions } from "./audit.js";
import { BUILDER_KINDS, type BuilderKind } from "../emit/build-configs.js";
import { migrationReport, type MigrationEntry } from "../emit/migration-report.js";
import { createRedactor } from "../emit/redact.js";
import { escapeLines, escapeText } from "../emit/escape.js";
import { describeFileError, withDirs, writeInside } from "./safe-file.js";
import { mayBeCallSite } from "../callsites/files.js";
import type { Migration } from "../callsites/types.js";
import { configChoice, jobsOption, withConventionOptions, type ConventionOptions } from "./options.js";
import { didYouMean, mistypedCommand } from "./suggest.js";
import { wantsColor } from "./color.js";
import { withConventions } from "./conventions.js";
import { callSitesAbove } from "./repository-call-sites.js";

interface CliOptions extends ConventionOptions {
  write: boolean;
  format: "text" | "diff" | "json";
  mountStyle: MountStyle;
  context?: string;
  exclude: string[];
  showSecrets: boolean;
  jobs: number;
  quiet: boolean;
  emit: BuilderKind[];
  report?: string;
  mountStyleFromCli?: boolean;
}

export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean; columns?: number };
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** All of stdin (for `unbake -`); absent: stdin cannot be read. */
  readStdin?: () => Promise<Buffer>;
  /** Aborted on SIGINT/SIGTERM: files under way are finished, no further file is started. */
  signal?: AbortSignal;
}

/** Options every command that reads Dockerfiles takes. */
function withBatchOptions(cmd: Command): Command {
  return cmd
    .argument("[paths...]", "Dockerfiles or folders to search", ["."])
    .addOption(
      new Option("--mount-style <style>", "auto: env= mounts for variables; file: file mounts only (buildah < 1.44, frontends < 1.10)")
        .choices(["auto", "file"])
        .default("auto"),
    )
    .option("--context <dir>", "build context folder (default: each Dockerfile's folder)")
    .option("--exclude <glob>", "skip paths matching the glob (repeatable)", collect, [])
    .addOption(jobsOption(positiveInteger, availableParallelism()));
}

const COMMANDS = ["check", "audit", "rules", "explain", "help"];

export async function main(argv: string[], io: Io): Promise<number> {
  let code = 0;
  // `unbake chek`: a command name mistyped, not a path to search.
  const mistyped = mistypedCommand(argv, COMMANDS, io.cwd);
  if (mistyped !== null) {
    io.stderr.write(`unbake: ${escapeText(mistyped)}\n`);
    return 2;
  }
  const program = withBatchOptions(
    new Command()
      .name("unbake")
      .description("Take secrets out of Docker image layers: rewrite COPY/ARG/ENV secrets to BuildKit secret mounts.")
      .version(VERSION)
      // Options after a subcommand's name are that subcommand's (check has its own --format).
      .enablePositionalOptions()
      .helpCommand(true),
  )
    .option("--write", "apply the changes in place (default: dry run with a diff)", false)
    .addOption(new Option("--format <format>", "output format").choices(["text", "diff", "json"]).default("text"))
    .option("--show-secrets", "print hard-coded secret values instead of ***", false)
    .option("--emit <builders>", `build configuration to give, comma-separated: ${BUILDER_KINDS.join(",")}`, builderList, ["docker"])
    .option("--report <file.md>", "write a Markdown migration report for the whole batch")
    .option("-q, --quiet", "no progress line", false)
    .action(async (paths: string[], opts: CliOptions, cmd: Command) => {
      code = await runFix(paths, { ...opts, mountStyleFromCli: cmd.getOptionValueSource("mountStyle") === "cli" }, io);
    });
  withConventionOptions(program);
  withConventionOptions(withBatchOptions(program.command("check").description("report only, never write; exit 1 on findings at or above --fail-level")))
    .addOption(new Option("--format <format>", "output format").choices(["stylish", "json", "sarif", "github", "markdown"]).default("stylish"))
    .addOption(new Option("--fail-level <level>", "lowest severity that fails the run").choices(["error", "warning", "note"]).default("warning"))
    .option("--max-warnings <n>", "fail when there are more than n warnings (then warnings up to n do not fail the run)", nonNegativeInteger)
    .option("-q, --quiet", "report errors only (and no progress line)", false)
    .action(async (paths: string[], opts: CheckOptions, cmd: Command) => {
      code = await runCheck(paths, { ...opts, mountStyleFromCli: cmd.getOptionValueSource("mountStyle") === "cli" }, io);
    });
  program
    .command("audit")
    .description("find the secrets built images already hold (OCI layout, OCI archive, docker-archive); exit 1 on findings, 2 when an image cannot be read")
    .argument("<images...>", "image folders or archives")
    .addOption(new Option("--format <format>", "output format").choices(["stylish", "json", "sarif", "github", "markdown"]).default("stylish"))
    .option("--show-secrets", "print the values found instead of ***", false)
    .action(async (images: string[], opts: AuditCliOptions) => {
      const { runAudit } = await import("./audit.js");
      code = await runAudit(images, opts, io);
    });
  program
    .command("rules")
    .description("list the rules")
    .action(async () => {
      const { rulesTable } = await import("../emit/explain.js");
      io.stdout.write(rulesTable());
    });
  program
    .command("explain")
    .description("what a rule finds, why it matters, and a before/after")
    .argument("<rule>", "rule id (see unbake rules)")
    .action(async (rule: string) => {
      const { explainRule } = await import("../emit/explain.js");
      const text = explainRule(rule);
      if (text === null) {
        const { RULES } = await import("../analyse/rules.js");
        io.stderr.write(`unbake: no rule named ${escapeText(rule)}${didYouMean(rule, Object.keys(RULES))} (see unbake rules)\n`);
        code = 2;
      } else io.stdout.write(text);
    });
  for (const cmd of [program, ...program.commands]) {
    // Usage errors quote what was typed (or what a script passed): escaped like every message.
    cmd.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(escapeLines(s)) });
  }

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    const c = (e as { code?: string }).code;
    if (c === "commander.helpDisplayed" || c === "commander.version" || c === "commander.help") return 0;
    // Commander has already said what was wrong with the command line; anything else has not been said.
    if (!c?.startsWith("commander.")) io.stderr.write(`unbake: error: ${escapeText(e instanceof Error ? e.message : String(e))}; the run stopped\n`);
    return 2;
  }
  return code;
}

function runFix(paths: string[], opts: CliOptions, io: Io): Promise<number> {
  return withConventions(
    paths,
    opts,
    io,
    (runIo, choice) => runFixBatch(paths, opts, runIo, choice),
    async (runIo, choice) => (await import("./stdin.js")).fixStdin(opts, runIo, choice),
  );
}

async function runFixBatch(paths: string[], opts: CliOptions, io: Io, choice: ReturnType<typeof configChoice>): Promise<number> {
  const color = opts.format !== "json" && wantsColor(opts.color, io.stdout, io.env);
  const machine = opts.format !== "text";
  const log = machine ? io.stderr : io.stdout;

  const processOptions: ProcessOptions = {
    write: opts.write,
    mountStyle: opts.mountStyle,
    context: opts.context === undefined ? undefined : resolve(io.cwd, opts.context),
    showSecrets: opts.showSecrets,
    color,
    cwd: io.cwd,
    emit: opts.emit,
    mountStyleFromCli: opts.mountStyleFromCli,
    ...choice,
  };
  const batch = await prepareBatch(paths, processOptions, { jobs: opts.jobs, exclude: opts.exclude, alsoCollect: mayBeCallSite });
  const tally = new Tally();
  const json = opts.format === "json" ? new JsonReportWriter(io.stdout) : null;
  const textOptions = { color, write: opts.write };
  const emit = (report: FileReport) => {
    tally.add(report);
    if (json) json.file(report);
    else if (opts.format === "text") io.stdout.write(textFileReport(report, textOptions));
    else io.stdout.write(report.diffs.join(""));
    if (report.error !== undefined && machine) io.stderr.write(`${escapeText(report.path)}: error: ${escapeText(report.error)}\n`);
  };

  json?.open();
  const entries = new Map<string, MigrationEntry>();
  const migrations: Migration[] = [];
  for (const w of batch.configWarnings) io.stderr.write(`${escapeText(w)}\n`);
  for (const e of batch.configErrors) log.write(`${escapeText(e)}\n`);
  tally.summary.errors += batch.configErrors.length;
  const dockerfiles = batch.dockerfiles;
  const ignores = new DockerignoreUpdates({ write: opts.write, color, cwd: io.cwd, roots: processOptions.roots });
  const progress = createProgress(io.stderr, dockerfiles.length, { enabled: !opts.quiet && !io.env.CI && !machine });
  // Ids two services would share for different files are settled for the whole batch first.
  const ids = await batchSecretIds(dockerfiles, processOptions, opts.callSites ? { paths, cwd: io.cwd } : undefined);
  const done = await runBatch(dockerfiles, processOptions, { jobs: opts.jobs, signal: io.signal, pool: batch.pool, ids }, async (index, result) => {
    const report = result.report;
    if (result.ignore) {
      const problems: string[] = [];
      try {
        const update = await ignores.apply(result.ignore);
        const redact = createRedactor(result.ignore.hidden ?? []);
        if (update.diff) report.diffs.push(redact(update.diff));
        if (update.refused.length > 0) problems.push(redact(notIgnored(update.refused)));
      } catch (e) {
        problems.push(`cannot update .dockerignore: ${describeFileError(e)}`);
      }
      if (problems.length > 0) report.error = [report.error, ...problems].filter((p) => p !== undefined).join("; ");
    }
    emit(report);
    if (result.migration) migrations.push(result.migration);
    if (opts.report && (report.findings.length > 0 || report.error !== undefined)) {
      entries.set(dockerfiles[index], { report: { ...report, diffs: [] }, configs: report.commands, runtime: report.runtime ?? {} });
    }
    progress.update(index + 1, report.path);
  });
  progress.finish();
  for (const p of batch.problems) {
    emit({ path: displayPath(p.path, io.cwd), changed: false, error: p.message, findings: [], secrets: [], commands: {}, diffs: [] });
  }
  // Builds elsewhere in the repository that still pass what the rewrite removed.
  if (done === dockerfiles.length && migrations.length > 0) {
    // On worker threads too: a crafted build file must not stall this thread or the others.
    // A part of a repository: its builds usually lie above the given paths (--no-call-sites: only these).
    const above = opts.callSites ? await callSitesAbove(paths, io.cwd) : null;
    if (above) log.write(`unbake: call sites also searched in ${escapeText(relative(io.cwd, above.root) || ".")} (the repository above the given paths; --no-call-sites to skip)\n`);
    const outcomes = await runCallSites(
      above ? [...new Set([...batch.others, ...above.files])].sort() : batch.others,
      migrations,
      { write: opts.write, color, cwd: io.cwd, roots: above ? withDirs(processOptions.roots, [above.root]) : processOptions.roots!, showSecrets: opts.showSecrets },
      processOptions,
      { jobs: opts.jobs, signal: io.signal },
    );
    for (const o of outcomes) {
      tally.addCallSite(o);
      if (json) json.callSite(o);
      else io.stdout.write(opts.format === "text" ? textCallSite(o, textOptions) : (o.diff ?? ""));
      if (o.error !== undefined && machine) io.stderr.write(`${escapeText(o.path)}: error: ${escapeText(o.error)}\n`);
      // Each Dockerfile's section lists what concerns it, not every change the file got.
      for (const [d, own] of o.byDockerfile) {
        const entry = entries.get(d);
        if (!entry) continue;
        entry.callSites ??= { changed: [], manual: [] };
        if (o.error === undefined) entry.callSites.changed.push(...own.changes);
        entry.callSites.manual.push(...own.manual);
      }
    }
  }
  json?.close(tally.summary);
  if (opts.report) {
    const reportPath = resolve(io.cwd, opts.report);
    try {
      // Where it was asked for: a link there (the repository may have put one) may not lead elsewhere.
      await writeInside(reportPath, migrationReport([...entries.values()], { generatedBy: `unbake ${VERSION}` }), withDirs(undefined, [dirname(reportPath)]));
      log.write(`unbake: migration report written to ${escapeText(displayPath(reportPath, io.cwd))}\n`);
    } catch (e) {
      io.stderr.write(`${escapeText(opts.report)}: error: cannot write the report: ${escapeText((e as NodeJS.ErrnoException).code ?? (e as Error).message)}\n`);
      tally.summary.errors++;
    }
  }
  // The summary ends every run; with machine-readable stdout it goes to stderr.
  log.write(summaryLine(tally.summary, textOptions));
  // A signal during the call-site rewrite stops it too: the run was interrupted all the same.
  if (done < dockerfiles.length || io.signal?.aborted === true) {
    const when = done < dockerfiles.length ? `after ${done} of ${dockerfiles.length} files` : "while migrating call sites";
    io.stderr.write(`unbake: interrupted ${when}; every file is either as it was or fully rewritten\n`);
    return 130;
  }
  if (tally.summary.errors > 0) return 2;
  const left = opts.write ? tally.manual > 0 : tally.summary.changed > 0 || tally.summary.findings > 0;
  return left ? 1 : 0;
}

function collect(value: string, previous: string[]): string[] {
  if (value === "") throw new InvalidArgumentError("empty glob");
  return [...previous, value];
}

function builderList(value: string): BuilderKind[] {
  const kinds = value.split(",").map((k) => k.trim()).filter(Boolean);
  const unknown = kinds.filter((k) => !(BUILDER_KINDS as readonly string[]).includes(k));
  if (kinds.length === 0 || unknown.length > 0) throw new InvalidArgumentError(`choose from ${BUILDER_KINDS.join(", ")}`);
  return [...new Set(kinds)] as BuilderKind[];
}

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n)) throw new InvalidArgumentError("a whole number of 0 or more");
  return n;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("a whole number of 1 or more");
  return n;
}
