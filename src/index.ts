/**
 * Library API: pure functions, text in and text out.
 *
 *   import { analyze, fix } from "unbake";
 *   const { findings, secrets } = analyze(dockerfileText);
 *   const { text, changed } = fix(dockerfileText, { mountStyle: "file" });
 */
import { runPipeline } from "./pipeline.js";
import type { AnalyseOptions, Finding, Secret } from "./types.js";

export type {
  AnalyseOptions,
  AnalyseSettings,
  Finding,
  FindingStatus,
  MountStyle,
  RuleId,
  Secret,
  SecretSource,
  TextEdit,
} from "./types.js";
export { RULES, type RuleMeta } from "./analyse/rules.js";
export { updateDockerignore } from "./transform/dockerignore.js";
export { dockerBuildCommand } from "./emit/build-commands.js";
export { buildConfigs, runtimeConfigs, BUILDER_KINDS, type BuilderKind, type BuildTarget } from "./emit/build-configs.js";
export { rewriteCallSites, type Migration, type CallSiteEdit } from "./callsites/index.js";
export { audit, ImageReadError, type AuditOptions, type ImageAudit, type ImageFinding, type ImageFindingKind, type LayerRef } from "./audit/audit.js";

export interface AnalyzeResult {
  findings: Finding[];
  secrets: Secret[];
}

export interface FixResult extends AnalyzeResult {
  text: string;
  changed: boolean;
  /** Build-context paths to add to the .dockerignore. */
  ignorePaths: string[];
}

export function analyze(text: string, options: AnalyseOptions = {}): AnalyzeResult {
  const { findings, secrets } = runPipeline(text, options);
  return { findings, secrets };
}

export function fix(text: string, options: AnalyseOptions = {}): FixResult {
  const r = runPipeline(text, options);
  return { text: r.output, changed: r.changed, findings: r.findings, secrets: r.secrets, ignorePaths: r.ignorePaths };
}
