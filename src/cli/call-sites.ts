/**
 * I/O for the call-site rewrite: after the Dockerfiles, the compose files, workflows, scripts,
 * Makefiles and bake files (collected during the same walk) that still pass the removed build
 * arguments get their diffs shown and, with --write, are replaced atomically.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { isCallSiteFile, rewriteCallSites } from "../callsites/index.js";
import type { Migration } from "../callsites/types.js";
import { unifiedDiff, colorizeDiff } from "../emit/diff.js";
import type { CallSite, ManualCallSite } from "../emit/migration-report.js";
import type { CallSiteReport } from "../emit/file-report.js";
import { displayPath } from "./display-path.js";
import { writeFileAtomic } from "./write-atomic.js";

export interface CallSiteOutcome extends CallSiteReport {
  changes: CallSite[];
  manual: ManualCallSite[];
  /** The Dockerfiles (absolute paths) its changes and manual items concern. */
  dockerfiles: Set<string>;
}

/** The folder call sites are resolved from: the repository's top (nearest .git above), else cwd. */
export function repositoryRoot(cwd: string): string {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return cwd;
  }
}

/** candidates: files the Dockerfile walk collected with mayBeCallSite. */
export async function migrateCallSites(
  candidates: string[],
  migrations: Migration[],
  options: { write: boolean; color: boolean; cwd: string },
): Promise<CallSiteOutcome[]> {
  const repoRoot = repositoryRoot(options.cwd);
  const outcomes: CallSiteOutcome[] = [];
  for (const path of candidates) {
    if (!(await isCallSiteFile(path))) continue;
    const shown = displayPath(path, options.cwd);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      outcomes.push({ path: shown, diff: null, changes: [], manual: [], error: `cannot read: ${(e as NodeJS.ErrnoException).code}`, dockerfiles: new Set() });
      continue;
    }
    const edit = rewriteCallSites(path, text, migrations, repoRoot);
    if (!edit) continue;
    // Which Dockerfile each item is about: rewrite once per migration to attribute them.
    const dockerfiles = new Set<string>();
    for (const m of migrations) if (rewriteCallSites(path, text, [m], repoRoot)) dockerfiles.add(m.dockerfile);
    const outcome: CallSiteOutcome = {
      path: shown,
      diff: null,
      changes: edit.changes.map((c) => ({ path: shown, line: c.line, description: c.description })),
      manual: edit.manual.map((m) => ({ path: shown, line: m.line, reason: m.reason })),
      dockerfiles,
    };
    if (edit.after !== edit.before) {
      const diff = unifiedDiff(shown, edit.before, edit.after, { color: false });
      outcome.diff = options.color ? colorizeDiff(diff) : diff;
      if (options.write) {
        try {
          await writeFileAtomic(path, edit.after);
        } catch (e) {
          outcome.error = `cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
        }
      }
    }
    outcomes.push(outcome);
  }
  return outcomes;
}
