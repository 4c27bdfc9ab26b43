/**
 * `unbake -` and `unbake check -`: the Dockerfile is read from stdin (as ruff, Prettier and
 * hadolint do), `--stdin-filename <path>` says which file it stands for: where its
 * configuration is looked up and how messages name it. With --write the rewritten text goes to
 * stdout and nothing else does (an editor or a pipe replaces the file with it); the report and
 * the summary go to stderr. Nothing is written to disk.
 *
 * The text meets the same bounds as a file (1 MiB, no NUL byte, UTF-8) and is analysed on a
 * worker thread under the same time and memory budget; its configuration is read through the
 * same gate, with the named file's folder as the given path.
 */
import { Worker } from "node:worker_threads";
import { basename, dirname, relative, resolve } from "node:path";
import type { PipelineResult } from "../pipeline.js";
import { unifiedDiff, colorizeDiff } from "../emit/diff.js";
import { createRedactor, noRedaction } from "../emit/redact.js";
import { buildConfigs, targetName, type BuilderKind } from "../emit/build-configs.js";
import { Tally, type FileReport } from "../emit/file-report.js";
import { JsonReportWriter } from "../emit/json-report.js";
import { summaryLine, textFileReport } from "../emit/text-report.js";
import { escapeText } from "../emit/escape.js";
import type { MountStyle } from "../types.js";
import { fileBudget } from "./batch.js";
import { displayPath } from "./display-path.js";
import { wantsColor } from "./color.js";
import { contextFromRoot } from "./repository-call-sites.js";
import { MAX_FILE_BYTES, withDirs } from "./safe-file.js";
import type { ConfigChoice } from "./project-config.js";
import type { Io } from "./main.js";
import type { StdinJob } from "./stdin-worker.js";

export interface StdinOptions {
  mountStyle: MountStyle;
  mountStyleFromCli?: boolean;
  context?: string;
  stdinFilename?: string;
  color?: boolean;
  showSecrets?: boolean;
  emit?: BuilderKind[];
}

interface Analysed {
  report: FileReport;
  result: PipelineResult | null;
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The text on stdin, or why it cannot be handled. */
async function readText(io: Io): Promise<{ text?: string; error?: string }> {
  if (!io.readStdin) return { error: "cannot read stdin" };
  const bytes = await io.readStdin();
  if (bytes.length > MAX_FILE_BYTES) return { error: "larger than 1 MiB" };
  if (bytes.includes(0)) return { error: "binary file (contains NUL bytes)" };
  try {
    return { text: UTF8.decode(bytes) };
  } catch {
    return { error: "not valid UTF-8" };
  }
}

function runOnWorker(job: StdinJob): Promise<{ result?: PipelineResult; mountStyle?: MountStyle; configErrors?: string[]; error?: string }> {
  const budget = fileBudget();
  const url = import.meta.url.endsWith(".ts") ? new URL("../../dist/cli/stdin-worker.js", import.meta.url) : new URL("./stdin-worker.js", import.meta.url);
  return new Promise((done) => {
    const worker = new Worker(url, { workerData: job, resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: budget.memoryMb } });
    const timer = setTimeout(() => {
      void worker.terminate();
      done({ error: `took longer than ${budget.timeMs} ms; not handled` });
    }, budget.timeMs);
    worker.once("message", (m) => {
      clearTimeout(timer);
      void worker.terminate();
      done(m);
    });
    worker.once("error", (e: Error & { code?: string }) => {
      clearTimeout(timer);
      done({ error: e.code === "ERR_WORKER_OUT_OF_MEMORY" ? `needed more than ${budget.memoryMb} MB; not handled` : `cannot be handled: ${e.message}` });
    });
  });
}

async function analyse(opts: StdinOptions, io: Io, choice: Omit<ConfigChoice, "roots">): Promise<Analysed & { configErrors: string[] }> {
  const file = resolve(io.cwd, opts.stdinFilename ?? "Dockerfile");
  const shown = opts.stdinFilename === undefined ? "-" : displayPath(file, io.cwd);
  const report: FileReport = { path: shown, changed: false, findings: [], secrets: [], commands: {}, diffs: [] };
  const read = await readText(io);
  if (read.text === undefined) return { report: { ...report, error: read.error }, result: null, configErrors: [] };
  const text = read.text;
  // The named file's folder is the given path: its configuration is read through the same gate.
  const roots = withDirs(undefined, [dirname(file)], []);
  const out = await runOnWorker({ text, file, choice: { ...choice, roots }, mountStyle: opts.mountStyle, mountStyleFromCli: opts.mountStyleFromCli === true });
  if (out.configErrors) {
    return { report: { ...report, error: "configuration error (see above); not handled" }, result: null, configErrors: out.configErrors.map((e) => e.replace(file, shown)) };
  }
  if (!out.result) return { report: { ...report, error: out.error }, result: null, configErrors: [] };
  const result = out.result;
  const hide = createRedactor(result.redactions, [{ text, spans: result.secretSpans }]);
  const redact = opts.showSecrets ? noRedaction : hide;
  report.findings = result.findings.map((f) => ({ ...f, message: redact(f.message) }));
  report.secrets = result.secrets.map((s) => (s.source.type === "file" ? { ...s, source: { ...s.source, path: redact(s.source.path) } } : s));
  report.changed = result.changed;
  const context = opts.context === undefined ? dirname(file) : resolve(io.cwd, opts.context);
  report.context = relative(io.cwd, context) === "" ? "." : displayPath(context, io.cwd);
  const target = {
    dockerfile: relative(context, file) || basename(file),
    name: targetName(relative(io.cwd, file) || basename(file)),
    secrets: result.secrets,
    mountStyle: out.mountStyle ?? opts.mountStyle,
    fromRoot: contextFromRoot(context, io.cwd),
  };
  for (const [kind, config] of Object.entries(buildConfigs(target, opts.emit ?? ["docker"]))) if (config) report.commands[kind as BuilderKind] = redact(config);
  if (result.changed) report.diffs.push(redact(unifiedDiff(shown === "-" ? "Dockerfile" : shown, text, result.output, { color: false })));
  return { report, result, configErrors: [] };
}

/** `unbake [--write] -`. */
export async function fixStdin(
  opts: StdinOptions & { write: boolean; format: "text" | "diff" | "json" },
  io: Io,
  choice: Omit<ConfigChoice, "roots">,
): Promise<number> {
  const { report, result, configErrors } = await analyse(opts, io, choice);
  for (const e of configErrors) io.stderr.write(`${escapeText(e)}\n`);
  const tally = new Tally();
  tally.add(report);
  if (opts.write) {
    // The rewritten file, byte for byte (the input when it cannot be handled: a pipe must not lose the file).
    if (result) io.stdout.write(result.output);
    if (report.error !== undefined) io.stderr.write(`${escapeText(report.path)}: error: ${escapeText(report.error)}\n`);
    else io.stderr.write(textFileReport({ ...report, diffs: [] }, { color: wantsColor(opts.color, io.stderr, io.env), write: true }));
    io.stderr.write(summaryLine(tally.summary, { color: false, write: true }));
    if (report.error !== undefined) return 2;
    return tally.manual > 0 ? 1 : 0;
  }
  const color = opts.format !== "json" && wantsColor(opts.color, io.stdout, io.env);
  if (color) report.diffs = report.diffs.map(colorizeDiff);
  if (opts.format === "json") {
    const json = new JsonReportWriter(io.stdout);
    json.open();
    json.file(report);
    json.close(tally.summary);
  } else if (opts.format === "diff") io.stdout.write(report.diffs.join(""));
  else io.stdout.write(textFileReport(report, { color, write: false }));
  if (report.error !== undefined && opts.format !== "text") io.stderr.write(`${escapeText(report.path)}: error: ${escapeText(report.error)}\n`);
  (opts.format === "text" ? io.stdout : io.stderr).write(summaryLine(tally.summary, { color, write: false }));
  if (report.error !== undefined) return 2;
  return report.changed || report.findings.length > 0 ? 1 : 0;
}

/** `unbake check -`: the report of the text read from stdin. */
export async function checkStdin(opts: StdinOptions, io: Io, choice: Omit<ConfigChoice, "roots">): Promise<{ report: FileReport; texts?: { before: string; after: string } }> {
  const { report, result, configErrors } = await analyse(opts, io, choice);
  for (const e of configErrors) io.stderr.write(`${escapeText(e)}\n`);
  report.diffs = [];
  void result;
  return { report };
}
