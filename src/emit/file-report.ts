/** What the emitters know about one file after the pipeline ran (or failed) on it. */
import type { Finding, Secret } from "../types.js";
import type { BuilderKind } from "./build-configs.js";

export interface FileReport {
  /** As shown to the user (relative to the working directory when possible). */
  path: string;
  changed: boolean;
  /** One line, naming the problem; the file was left untouched. */
  error?: string;
  findings: Finding[];
  secrets: Secret[];
  /** Build configuration per requested builder (--emit), for the secrets it now mounts. */
  commands: Partial<Record<BuilderKind, string>>;
  /** How the running container gets the secrets that left the image. */
  runtime?: { docker?: string; compose?: string };
  /** The build context folder the commands run in, as shown to the user. */
  context?: string;
  /** Unified diffs (Dockerfile first, then a .dockerignore), already redacted. */
  diffs: string[];
}

export interface Summary {
  files: number;
  changed: number;
  findings: number;
  errors: number;
  /** Build files outside the Dockerfiles (compose, workflows, scripts …) changed, or left for a person. */
  callSites?: { changed: number; manual: number };
}

/** A build file that still passed what a rewrite removed. */
export interface CallSiteReport {
  path: string;
  diff: string | null;
  changes: { line: number; description: string }[];
  manual: { line: number; reason: string }[];
  error?: string;
}

/** Running totals over a batch, so reports need not be kept once printed. */
export class Tally {
  readonly summary: Summary = { files: 0, changed: 0, findings: 0, errors: 0 };
  /** Findings no rewrite fixes (status manual). */
  manual = 0;

  add(f: FileReport): void {
    this.summary.files++;
    if (f.changed) this.summary.changed++;
    if (f.error !== undefined) this.summary.errors++;
    this.summary.findings += f.findings.length;
    this.manual += f.findings.filter((x) => x.status === "manual").length;
  }

  addCallSite(c: CallSiteReport): void {
    this.summary.callSites ??= { changed: 0, manual: 0 };
    if (callSiteChanged(c)) this.summary.callSites.changed++;
    this.summary.callSites.manual += c.manual.length;
    this.manual += c.manual.length;
    if (c.error !== undefined) this.summary.errors++;
  }
}

/** Changed (or, in a dry run, to change): there is a diff and no error stopped it (a failed write). */
export function callSiteChanged(c: CallSiteReport): boolean {
  return c.diff !== null && c.error === undefined;
}
