/**
 * The `unbake` command: find Dockerfiles, run the pipeline on each, print diffs and
 * reports, write with --write. Exit 0: nothing left to do; 1: findings remain (dry run:
 * changes proposed; after --write: findings it could not fix); 2: a file failed or usage error.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { findDockerfiles } from "./find-dockerfiles.js";
import { resolve } from "node:path";
import { displayPath, processFile, type ProcessOptions } from "./process-file.js";
import { jsonReport } from "../emit/json-report.js";
import { summaryLine, textFileReport } from "../emit/text-report.js";
import type { FileReport } from "../emit/file-report.js";
import type { MountStyle } from "../types.js";
import { VERSION } from "../version.js";

interface CliOptions {
  write: boolean;
  format: "text" | "diff" | "json";
  mountStyle: MountStyle;
  context?: string;
  exclude: string[];
  showSecrets: boolean;
  color: boolean;
}

export interface Io {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM: the file being written is finished, no further file is started. */
  signal?: AbortSignal;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const program = new Command()
    .name("unbake")
    .description("Take secrets out of Docker image layers: rewrite COPY/ARG/ENV secrets to BuildKit secret mounts.")
    .version(VERSION)
    .argument("[paths...]", "Dockerfiles or folders to search", ["."])
    .option("--write", "apply the changes in place (default: dry run with a diff)", false)
    .addOption(new Option("--format <format>", "output format").choices(["text", "diff", "json"]).default("text"))
    .addOption(
      new Option("--mount-style <style>", "auto: env= mounts for variables; file: file mounts only (buildah < 1.44, frontends < 1.10)")
        .choices(["auto", "file"])
        .default("auto"),
    )
    .option("--context <dir>", "build context folder (default: each Dockerfile's folder)")
    .option("--exclude <glob>", "skip paths matching the glob (repeatable)", collect, [])
    .option("--show-secrets", "print hard-coded secret values instead of ***", false)
    .option("--no-color", "plain output even on a terminal")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  try {
    program.parse(argv, { from: "user" });
  } catch (e) {
    const code = (e as { exitCode?: number; code?: string }).code;
    if (code === "commander.helpDisplayed" || code === "commander.version") return 0;
    return 2;
  }
  const opts = program.opts<CliOptions>();
  const paths = program.processedArgs[0] as string[];
  const color = opts.color && io.stdout.isTTY === true && !("NO_COLOR" in io.env) && opts.format !== "json";

  const found = await findDockerfiles(
    paths.map((p) => resolve(io.cwd, p)),
    { exclude: opts.exclude },
  );
  const processOptions: ProcessOptions = {
    write: opts.write,
    mountStyle: opts.mountStyle,
    context: opts.context === undefined ? undefined : resolve(io.cwd, opts.context),
    showSecrets: opts.showSecrets,
    color,
    cwd: io.cwd,
  };
  const reports: FileReport[] = found.problems.map((p) => ({
    path: displayPath(p.path, io.cwd),
    changed: false,
    error: p.message,
    findings: [],
    secrets: [],
    commands: {},
    diffs: [],
  }));
  const textOptions = { color, write: opts.write };
  let interrupted = false;
  for (const file of found.files) {
    if (io.signal?.aborted) {
      interrupted = true;
      break;
    }
    const report = await processFile(file.path, processOptions);
    reports.push(report);
    if (opts.format === "text") io.stdout.write(textFileReport(report, textOptions));
    else if (opts.format === "diff") io.stdout.write(report.diffs.join(""));
    if (report.error !== undefined && opts.format !== "text") io.stderr.write(`${report.path}: error: ${report.error}\n`);
  }
  if (opts.format === "json") io.stdout.write(jsonReport(reports));
  for (const r of reports.slice(0, found.problems.length)) {
    (opts.format === "text" ? io.stdout : io.stderr).write(`${r.path}: error: ${r.error}\n`);
  }
  // The summary ends every run; with machine-readable stdout it goes to stderr.
  (opts.format === "text" ? io.stdout : io.stderr).write(summaryLine(reports, textOptions));
  if (interrupted) {
    io.stderr.write(`unbake: interrupted after ${reports.length - found.problems.length} of ${found.files.length} files; every file is either as it was or fully rewritten\n`);
    return 130;
  }
  return exitCode(reports, opts.write);
}

function collect(value: string, previous: string[]): string[] {
  if (value === "") throw new InvalidArgumentError("empty glob");
  return [...previous, value];
}

export function exitCode(reports: FileReport[], written: boolean): number {
  if (reports.some((r) => r.error !== undefined)) return 2;
  const left = written
    ? reports.some((r) => r.findings.some((f) => f.status === "manual"))
    : reports.some((r) => r.changed || r.findings.length > 0);
  return left ? 1 : 0;
}
