/**
 * Call-site rewrite: after a Dockerfile's secret ARGs became BuildKit secrets, the builds that still pass
 * `--build-arg NAME=…` (compose files, GitHub workflows, scripts, Makefiles, GitLab CI, Jenkinsfiles, bake
 * files) must pass `--secret id=…` instead. `rewriteCallSites` is pure (text in, text out);
 * `findCallSiteFiles` is the only I/O.
 */
import * as path from "node:path";
import type { CallSiteEdit, CallSiteKind, Migration } from "./types.js";
import { rewriteCompose } from "./compose.js";
import { rewriteWorkflow } from "./workflow.js";
import { rewriteGitlab, rewriteJenkinsfile, rewriteMakefile, rewriteShellScript } from "./scripts.js";
import { rewriteBakeHcl } from "./bake-hcl.js";
import { rewriteBakeJson } from "./bake-json.js";

import { callSiteKind, isCallSiteFile, mayBeCallSite } from "./files.js";
import { findDockerfiles } from "../cli/find-dockerfiles.js";

export type { CallSiteEdit, CallSiteKind, Migration } from "./types.js";
export { callSiteKind, isCallSiteFile, mayBeCallSite } from "./files.js";



/** Pure: rewrite one file's text. Returns null when nothing in it concerns the migrations. */
export function rewriteCallSites(file: string, text: string, migrations: Migration[], repoRoot: string): CallSiteEdit | null {
  if (!migrations.some((m) => m.args.length || m.files.length || m.ssh?.length)) return null;
  const abs = path.resolve(repoRoot, file);
  const root = path.resolve(repoRoot);
  const kind = callSiteKind(abs, text);
  if (kind === null) return null;
  // Work on text that ends with a line break, so removals and appends at the end stay simple, and give
  // the missing final line break back afterwards.
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const addEol = text.length > 0 && !text.endsWith("\n") && kind !== "bake-json";
  const r = dispatch(kind, abs, addEol ? text + eol : text, migrations, root);
  if (!r) return null;
  if (addEol) {
    r.before = text;
    r.after = r.after.endsWith(eol) ? r.after.slice(0, -eol.length) : r.after;
  }
  if (r.after === text && r.manual.length === 0) return null;
  r.path = file;
  r.changes.sort((a, b) => a.line - b.line);
  r.manual.sort((a, b) => a.line - b.line);
  return r;
}

function dispatch(kind: CallSiteKind, abs: string, text: string, migrations: Migration[], root: string): CallSiteEdit | null {
  let r: CallSiteEdit | null = null;
  switch (kind) {
    case "compose":
      r = rewriteCompose(abs, text, migrations, root);
      break;
    case "workflow":
      r = rewriteWorkflow(abs, text, migrations, root);
      break;
    case "gitlab":
      r = rewriteGitlab(abs, text, migrations, root);
      break;
    case "jenkins":
      r = rewriteJenkinsfile(abs, text, migrations, root);
      break;
    case "make":
      r = rewriteMakefile(abs, text, migrations, root);
      break;
    case "shell":
      r = rewriteShellScript(abs, text, migrations, root);
      break;
    case "bake-hcl":
      r = rewriteBakeHcl(abs, text, migrations, root);
      break;
    case "bake-json":
      r = rewriteBakeJson(abs, text, migrations, root);
      break;
  }
  return r;
}

/**
 * Candidate call-site files under the roots (files or folders), sorted, without duplicates;
 * the Dockerfile walk's rules apply (.git, node_modules and .gitignore'd paths skipped).
 */
export async function findCallSiteFiles(roots: string[]): Promise<string[]> {
  const found = await findDockerfiles(roots.map((r) => path.resolve(r)), { alsoCollect: mayBeCallSite });
  const givenFiles = found.files.filter((f) => f.path === f.root).map((f) => path.resolve(f.path));
  const out: string[] = [];
  for (const file of [...found.others, ...givenFiles]) if (await isCallSiteFile(file)) out.push(file);
  return [...new Set(out)].sort();
}
