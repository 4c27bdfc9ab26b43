/**
 * The whole pipeline for one Dockerfile's text: parse → analyse → transform. Pure: no I/O,
 * so the CLI, the library API and the tests all run exactly the same code.
 */
import { parseDockerfile } from "./parse/dockerfile.js";
import { analyseModel, toSecret } from "./analyse/analyse.js";
import { fixAnalysis } from "./transform/fix.js";
import { mayHaveFindings } from "./analyse/precheck.js";
import type { AnalyseOptions, Finding, Secret, TextEdit } from "./types.js";

export interface PipelineResult {
  /** The rewritten text (equal to the input when nothing changes). */
  output: string;
  changed: boolean;
  findings: Finding[];
  secrets: Secret[];
  edits: TextEdit[];
  /** Build-context paths the rewrite took out of the image: add them to the .dockerignore. */
  ignorePaths: string[];
  /** Literal secret values seen in the input: every printer must hide them. */
  redactions: string[];
  /** Where hard-coded values are written in the input: every printer must hide those bytes (emit/redact.ts). */
  secretSpans: { start: number; end: number }[];
  /** Env-form secrets the file already mounts with no ARG of that name: builds must pass them with --secret. */
  mountedEnv: { name: string; id: string }[];
}

export function runPipeline(text: string, options: AnalyseOptions = {}): PipelineResult {
  // Names and files a configuration adds are outside what the pre-check knows: then every file is analysed.
  // So are the credential files a copy of the whole context brings (the CLI found them there).
  return options.settings?.addsSecrets || options.contextPaths?.length || mayHaveFindings(text) ? runFullPipeline(text, options) : unchanged(text);
}

/** The pipeline without the pre-check: what the pre-check must never disagree with. */
export function runFullPipeline(text: string, options: AnalyseOptions = {}): PipelineResult {
  const model = parseDockerfile(text);
  const analysis = analyseModel(model, options);
  const fix = fixAnalysis(analysis);
  const findings = [...analysis.findings, ...fix.findings].sort((a, b) => a.line - b.line || a.column - b.column);
  return {
    output: fix.text,
    changed: fix.text !== text,
    findings,
    secrets: analysis.secrets.map((s) => toSecret(analysis, s)),
    edits: fix.edits,
    ignorePaths: fix.ignorePaths,
    redactions: analysis.redactions,
    secretSpans: analysis.secretSpans,
    mountedEnv: analysis.mountedEnv,
  };
}

/** What the full pipeline gives a file with nothing to find (the pre-check proved it). */
function unchanged(text: string): PipelineResult {
  return { output: text, changed: false, findings: [], secrets: [], edits: [], ignorePaths: [], redactions: [], secretSpans: [], mountedEnv: [] };
}
