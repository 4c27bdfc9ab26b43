/** What the emitters know about one file after the pipeline ran (or failed) on it. */
import type { Finding, Secret } from "../types.js";

export interface FileReport {
  /** As shown to the user (relative to the working directory when possible). */
  path: string;
  changed: boolean;
  /** One line, naming the problem; the file was left untouched. */
  error?: string;
  findings: Finding[];
  secrets: Secret[];
  commands: { docker?: string };
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
}

export function summarise(files: FileReport[]): Summary {
  return {
    files: files.length,
    changed: files.filter((f) => f.changed).length,
    findings: files.reduce((n, f) => n + f.findings.length, 0),
    errors: files.filter((f) => f.error !== undefined).length,
  };
}
