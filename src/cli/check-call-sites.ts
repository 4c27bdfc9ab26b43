/**
 * `unbake check` and the builds that call the checked Dockerfiles: rule build-arg-secret. The
 * call-site files the walk collected (and, for a part of a repository, those of the repository
 * above it) are read through the same gate, on worker threads, never written; each secret a
 * Dockerfile's rewrite would move into a mount and that a build still passes as a build
 * argument is a finding in that build file.
 */
import { resolve } from "node:path";
import type { Migration } from "../callsites/types.js";
import type { FileReport } from "../emit/file-report.js";
import { runCallSites } from "./batch.js";
import type { ProcessOptions } from "./process-file.js";
import { configOf } from "./project-config.js";
import { callSitesAbove } from "./repository-call-sites.js";
import { withDirs } from "./safe-file.js";

export async function callSiteReports(
  paths: string[],
  others: string[],
  migrations: Migration[],
  processOptions: ProcessOptions,
  batch: { jobs: number; signal?: AbortSignal; searchAbove: boolean },
): Promise<{ reports: FileReport[]; searchedAbove: string | null }> {
  const roots = processOptions.roots!;
  const above = batch.searchAbove ? await callSitesAbove(paths, processOptions.cwd) : null;
  const candidates = above ? [...new Set([...others, ...above.files])].sort() : others;
  const outcomes = await runCallSites(
    candidates,
    migrations,
    { write: false, color: false, cwd: processOptions.cwd, roots: above ? withDirs(roots, [above.root]) : roots, showSecrets: false, findings: true },
    processOptions,
    { jobs: batch.jobs, signal: batch.signal },
  );
  const reports: FileReport[] = [];
  for (const o of outcomes) {
    // The configuration that applies where the build file is: its severity for the rule, or off.
    const severity = configOf(resolve(processOptions.cwd, o.path), processOptions).classifiers.severity("build-arg-secret");
    if (severity === "off") continue;
    const findings = (o.findings ?? []).map((f) => (severity === undefined ? f : { ...f, severity }));
    if (findings.length === 0 && o.error === undefined) continue;
    reports.push({ path: o.path, changed: false, findings, secrets: [], commands: {}, diffs: [], ...(o.error !== undefined ? { error: o.error } : {}) });
  }
  return { reports, searchedAbove: above?.root ?? null };
}
