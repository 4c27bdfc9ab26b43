/**
 * I/O for one Dockerfile: read and validate it, run the pure pipeline, work out the
 * .dockerignore, and (with --write) replace both files atomically. Any failure becomes a
 * one-line error on the file's report; nothing is written for that file.
 */
import { basename, dirname, relative } from "node:path";
import { runPipeline } from "../pipeline.js";
import { unifiedDiff, colorizeDiff } from "../emit/diff.js";
import { createRedactor, noRedaction } from "../emit/redact.js";
import { buildConfigs, runtimeConfigs, targetName, type BuilderKind } from "../emit/build-configs.js";
import type { FileReport } from "../emit/file-report.js";
import type { AnalyseSettings, MountStyle } from "../types.js";
import { FileProblem, readInside, withDirs, writeInside, describeFileError, type Roots } from "./safe-file.js";
import { displayPath } from "./display-path.js";
import { contextFromRoot } from "./repository-call-sites.js";
import { readContextFiles } from "./context-files.js";
import { contextSecretPaths } from "./context-paths.js";
import { configOf, mountStyleOf, settingsOf } from "./project-config.js";
import { dockerignoreProblem } from "./dockerignore-updates.js";
import type { Migration } from "../callsites/types.js";
import type { SourceIds } from "../analyse/batch-ids.js";

export interface ProcessOptions {
  write: boolean;
  mountStyle: MountStyle;
  /** Build context folder; the Dockerfile's own folder when absent. */
  context?: string;
  showSecrets: boolean;
  color: boolean;
  /** Working directory that printed paths are relative to. */
  cwd: string;
  /** Builders to give build configuration for (--emit). */
  emit: BuilderKind[];
  /** No configuration file applies to any file of the batch: skip the lookups. */
  noConfig?: boolean;
  /** --config <file> (absolute): that file applies alone to every Dockerfile. */
  configFile?: string;
  /** --ignore <rule>: rules switched off whatever configuration files say. */
  ignoreRules?: string[];
  /** --mount-style was given on the command line (it then wins over a configuration file). */
  mountStyleFromCli?: boolean;
  /** Called once the file is analysed and about to be written (a worker must not be stopped then). */
  beforeWrite?: () => void;
  /** Keep the text before and after the rewrite (for SARIF fixes), when it shows no secret value. */
  keepTexts?: boolean;
  /**
   * What the batch may read and write (rootsOf the command-line paths and --context). Absent
   * (a caller that names its files itself): each Dockerfile, its folder and its context.
   */
  roots?: Roots;
  /** This file's secret ids settled for the batch (source path → id, or why none can be); a configuration's `ids` win. */
  secretIds?: SourceIds;
}

export { FileProblem, MAX_FILE_BYTES } from "./safe-file.js";


/**
 * Text of a Dockerfile, or a FileProblem saying why it cannot be handled (outside the roots, not
 * a regular file, too large, binary, not UTF-8). Synchronous on purpose: files are handled one
 * after another, and a promise round trip per file costs more than the read itself.
 */
export function readDockerfile(path: string, roots: Roots = withDirs(undefined, [dirname(path)], [path])): string {
  let bytes: Buffer;
  try {
    bytes = readInside(path, roots);
  } catch (e) {
    if (e instanceof FileProblem) throw e;
    throw new FileProblem(`cannot read: ${describeFileError(e)}`);
  }
  if (bytes.includes(0)) throw new FileProblem("binary file (contains NUL bytes)");
  try {
    // ignoreBOM keeps a BOM in the text, so it is written back as it was.
    return UTF8.decode(bytes);
  } catch {
    throw new FileProblem("not valid UTF-8");
  }
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** One file's outcome, plus the .dockerignore change it asks for (applied in order by the caller). */
export interface ProcessedFile {
  report: FileReport;
  ignore?: IgnoreRequest;
  /** What the rewrite removed that build commands elsewhere may still pass. */
  migration?: Migration;
  texts?: { before: string; after: string };
}



export interface IgnoreRequest {
  dockerfile: string;
  context: string;
  paths: string[];
  /** Those of `paths` that hold a hard-coded value: written, never printed. */
  hidden?: string[];
}

function withBatchIds(settings: AnalyseSettings, ids: SourceIds | undefined): AnalyseSettings {
  if (!ids) return settings;
  const own = (key: string) => (Object.hasOwn(ids, key) ? ids[key] : undefined);
  return {
    ...settings,
    idFor: (key) => {
      const id = own(key);
      return settings.idFor?.(key) ?? (typeof id === "string" ? id : undefined);
    },
    idProblem: (key) => {
      const id = own(key);
      return typeof id === "object" ? id.manual : undefined;
    },
  };
}

export async function processFile(path: string, options: ProcessOptions): Promise<ProcessedFile> {
  const shown = displayPath(path, options.cwd);
  const report: FileReport = { path: shown, changed: false, findings: [], secrets: [], commands: {}, diffs: [] };
  let text: string;
  const context = options.context ?? dirname(path);
  // Without the batch's roots: the file itself, its folder and its context.
  const roots = options.roots ?? withDirs(undefined, [dirname(path), context], [path]);
  try {
    text = readDockerfile(path, roots);
  } catch (e) {
    return { report: { ...report, error: e instanceof FileProblem ? e.message : String(e) } };
  }
  const config = configOf(path, options);
  if (config.errors.length > 0) {
    return { report: { ...report, error: `configuration error in ${displayPath(config.errors[0].file, options.cwd)} (see above); file not handled` } };
  }
  const mountStyle = mountStyleOf(config, options.mountStyleFromCli ? options.mountStyle : undefined, options.mountStyle);
  let result: ReturnType<typeof runPipeline>;
  try {
    const contextFiles = readContextFiles(text, context, roots);
    const contextPaths = contextSecretPaths(text, path, context, roots);
    result = runPipeline(text, { mountStyle, settings: withBatchIds(settingsOf(config), options.secretIds), contextFiles, contextPaths });
  } catch (e) {
    return { report: { ...report, error: `cannot be handled: ${(e as Error).message}` } };
  }
  if (!result.changed && result.findings.length === 0) {
    // Nothing to rewrite, but builds elsewhere may still pass what the file now mounts.
    const args = result.mountedEnv.map((m) => ({ ...m, mounted: true as const }));
    return args.length > 0 ? { report, migration: { dockerfile: path, context, args, files: [] } } : { report };
  }

  const hide = createRedactor(result.redactions, [{ text, spans: result.secretSpans }]);
  const redact = options.showSecrets ? noRedaction : hide;
  report.findings = result.findings.map((f) => ({ ...f, message: redact(f.message) }));
  report.secrets = result.secrets.map((s) =>
    s.source.type === "file" ? { ...s, source: { ...s.source, path: redact(s.source.path) }, ...(s.target ? { target: redact(s.target) } : {}) } : s,
  );
  report.changed = result.changed;
  report.context = relative(options.cwd, context) === "" ? "." : displayPath(context, options.cwd);
  const target = {
    dockerfile: relative(context, path) || basename(path),
    name: targetName(relative(options.cwd, path) || basename(path)),
    secrets: result.secrets,
    mountStyle,
    ...(options.emit.includes("gha") ? { fromRoot: contextFromRoot(context, options.cwd) } : {}),
  };
  for (const [kind, config] of Object.entries(buildConfigs(target, options.emit))) {
    if (config) report.commands[kind as BuilderKind] = redact(config);
  }
  const runtime = runtimeConfigs(target);
  // Paths in commands come from the text: a value written into one is hidden there too.
  if (runtime.docker || runtime.compose) report.runtime = { docker: runtime.docker && redact(runtime.docker), compose: runtime.compose && redact(runtime.compose) };
  if (result.changed) {
    const diff = redact(unifiedDiff(shown, text, result.output, { color: false }));
    report.diffs.push(options.color ? colorizeDiff(diff) : diff);
  }
  if (options.write && result.changed) {
    const ignoreProblem =
      result.ignorePaths.length > 0 ? dockerignoreProblem({ dockerfile: path, context, paths: [] }, options.roots, (p) => displayPath(p, options.cwd)) : null;
    if (ignoreProblem !== null) {
      return { report: { ...report, changed: false, diffs: [], error: `cannot update .dockerignore: ${ignoreProblem}; the Dockerfile is left as it was` } };
    }
    try {
      options.beforeWrite?.();
      await writeInside(path, result.output, roots);
    } catch (e) {
      // Nothing was written: not counted as changed.
      return { report: { ...report, changed: false, error: `cannot write: ${describeFileError(e)}` } };
    }
  }
  const hidden = result.ignorePaths.filter((p) => redact(p) !== p);
  const ignore =
    result.changed && result.ignorePaths.length > 0
      ? { dockerfile: path, context, paths: result.ignorePaths, ...(hidden.length > 0 ? { hidden } : {}) }
      : undefined;
  const fixed = result.secrets.filter((s) => result.changed && !s.unfixed && (s.buildArgs?.length || s.source.type === "file"));
  const removedArgs = fixed.flatMap((s) => (s.buildArgs ?? []).map((name) => ({ name, id: s.id, ...(s.ssh?.length ? { ssh: true as const } : {}) })));
  const ssh = [...new Set(fixed.flatMap((s) => (s.usage === "build" && !s.onbuild ? (s.ssh ?? []) : [])))];
  // A secret the file already mounted: its call sites still migrate (a --build-arg of it gives the RUN nothing).
  const args = [
    ...removedArgs,
    ...result.mountedEnv.filter((m) => !removedArgs.some((a) => a.name === m.name)).map((m) => ({ ...m, mounted: true as const })),
  ];
  const migration =
    fixed.length || args.length
      ? {
          dockerfile: path,
          context,
          args,
          files: fixed.flatMap((s) => (s.source.type === "file" && s.usage === "build" && !s.onbuild && !s.ssh ? [{ id: s.id, path: s.source.path }] : [])),
          ...(ssh.length > 0 ? { ssh } : {}),
        }
      : undefined;
  const texts =
    // SARIF prints the rewritten text: only when it shows nothing the redactor would hide.
    options.keepTexts && result.changed && hide(result.output) === result.output
      ? { before: text, after: result.output }
      : undefined;
  return { report, ignore, migration, texts };
}
