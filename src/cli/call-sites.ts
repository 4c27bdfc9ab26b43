/**
 * I/O for the call-site rewrite: after the Dockerfiles, the compose files, workflows, scripts,
 * Makefiles and bake files (collected during the same walk) that still pass the removed build
 * arguments get their diffs shown and, with --write, are replaced atomically.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { rewriteCallSites } from "../callsites/index.js";
import { callSiteEvidence, isCallSiteText, SHEBANG_BYTES } from "../callsites/files.js";
import type { CallSiteEdit, Migration } from "../callsites/types.js";
import { createRedactor, noRedaction, type Redactor } from "../emit/redact.js";
import { unifiedDiff, colorizeDiff } from "../emit/diff.js";
import type { CallSite, ManualCallSite } from "../emit/migration-report.js";
import type { CallSiteReport } from "../emit/file-report.js";
import { displayPath } from "./display-path.js";
import { buildArgSecretFindings } from "../analyse/build-arg-secret.js";
import type { Finding } from "../types.js";
import { decodeExact, encodeExact, shownText } from "./exact-text.js";
import { describeFileError, readHeadInside, readInside, writeInside, type Roots } from "./safe-file.js";

export interface CallSiteOutcome extends CallSiteReport {
  changes: CallSite[];
  manual: ManualCallSite[];
  /** The Dockerfiles (absolute paths) its changes and manual items concern. */
  dockerfiles: Set<string>;
  /** Per Dockerfile (absolute path), the changes and manual items that concern it alone. */
  byDockerfile: Map<string, { changes: CallSite[]; manual: ManualCallSite[] }>;
  /** With options.findings: the build-arg-secret findings in this file (messages redacted). */
  findings?: Finding[];
}

/** The folder call sites are resolved from: the repository's top (nearest .git above), else cwd. */
export function repositoryRoot(cwd: string): string {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return cwd;
  }
}

/**
 * candidates: files the Dockerfile walk collected with mayBeCallSite. Each is read and written
 * through safe-file (inside the roots, regular, bounded) and edited as exact text: bytes that
 * are not UTF-8 stay as they were.
 */
export async function migrateCallSites(
  candidates: string[],
  migrations: Migration[],
  options: { write: boolean; color: boolean; cwd: string; roots: Roots; showSecrets?: boolean; findings?: boolean },
): Promise<CallSiteOutcome[]> {
  const repoRoot = repositoryRoot(options.cwd);
  const roots = options.roots;
  const outcomes: CallSiteOutcome[] = [];
  for (const path of candidates) {
    const evidence = callSiteEvidence(path);
    if (evidence === "never") continue;
    const shown = displayPath(path, options.cwd);
    let bytes: Buffer;
    try {
      if (evidence === "head" && !isCallSiteText(path, readHeadInside(path, roots, SHEBANG_BYTES).toString("utf8"))) continue;
      bytes = readInside(path, roots);
    } catch (e) {
      // Only a file whose name says it is a build file is worth an error; any other is not one.
      if (evidence === "name") {
        outcomes.push({ path: shown, diff: null, changes: [], manual: [], error: `cannot read: ${describeFileError(e)}`, dockerfiles: new Set(), byDockerfile: new Map() });
      }
      continue;
    }
    const file = decodeExact(bytes);
    const text = file.text;
    if (!isCallSiteText(path, text)) continue;
    const edit = rewriteCallSites(path, text, migrations, repoRoot);
    if (!edit) continue;
    const redact = options.showSecrets ? noRedaction : literalRedactor(edit, file.latin1);
    // Which Dockerfile each item is about: rewrite once per migration to attribute them — only
    // for the migrations the file can concern (one that names none of its arguments and mounts
    // no file changes nothing here), and not again when only one can.
    const dockerfiles = new Set<string>();
    const byDockerfile = new Map<string, { changes: CallSite[]; manual: ManualCallSite[] }>();
    const concerned = migrations.filter((m) => m.files.length > 0 || (m.ssh?.length ?? 0) > 0 || m.args.some((a) => text.includes(a.name)));
    for (const m of concerned) {
      const own = concerned.length === 1 ? edit : rewriteCallSites(path, text, [m], repoRoot);
      if (!own) continue;
      dockerfiles.add(m.dockerfile);
      const entry = byDockerfile.get(m.dockerfile) ?? { changes: [], manual: [] };
      entry.changes.push(...own.changes.map((c) => ({ path: shown, line: c.line, description: redact(c.description) })));
      entry.manual.push(...own.manual.map((x) => ({ path: shown, line: x.line, reason: redact(x.reason) })));
      byDockerfile.set(m.dockerfile, entry);
    }
    const outcome: CallSiteOutcome = {
      path: shown,
      diff: null,
      changes: edit.changes.map((c) => ({ path: shown, line: c.line, description: redact(c.description) })),
      manual: edit.manual.map((m) => ({ path: shown, line: m.line, reason: redact(m.reason) })),
      dockerfiles,
      byDockerfile,
      ...(options.findings
        ? {
            findings: buildArgSecretFindings(path, text, migrations, repoRoot, (d) => displayPath(d, options.cwd)).map((f) => ({ ...f, message: redact(f.message) })),
          }
        : {}),
    };
    if (edit.after !== edit.before) {
      let after: Buffer | null = null;
      try {
        after = encodeExact(edit.after, file.latin1);
      } catch (e) {
        outcome.error = `cannot be changed: ${describeFileError(e)}`;
      }
      if (after !== null) {
        const diff = redact(unifiedDiff(shown, shownText({ text: edit.before, latin1: file.latin1 }), shownText({ text: edit.after, latin1: file.latin1 }), { color: false }));
        outcome.diff = options.color ? colorizeDiff(diff) : diff;
        if (options.write) {
          try {
            await writeInside(path, after, roots);
          } catch (e) {
            outcome.error = `cannot write: ${describeFileError(e)}`;
          }
        }
      }
    }
    outcomes.push(outcome);
  }
  return outcomes;
}

/**
 * Hides the hard-coded values the rewrite saw (`--build-arg NPM_TOKEN=abc123`, compose and bake
 * literals) in both sides of the diff and in the messages: by their spans in the original text,
 * and by value (as parsed, as spelled, as JSON spells it) where a rewrite moved them elsewhere.
 */
function literalRedactor(edit: CallSiteEdit, latin1: boolean): Redactor {
  if (edit.literals.length === 0) return noRedaction;
  const shown = (s: string): string => shownText({ text: s, latin1 });
  const values = edit.literals.flatMap((l) => [l.value, ...edit.before.slice(l.start, l.end).split(/\r?\n/), JSON.stringify(l.value).slice(1, -1)].map(shown));
  return createRedactor(values, latin1 ? [] : [{ text: edit.before, spans: edit.literals }]);
}
