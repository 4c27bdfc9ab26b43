/**
 * Call-site rewrite: after a Dockerfile's secret ARGs became BuildKit secrets, the builds that still pass
 * `--build-arg NAME=…` (compose files, GitHub workflows, scripts, Makefiles, GitLab CI, Jenkinsfiles, bake
 * files) must pass `--secret id=…` instead. `rewriteCallSites` is pure (text in, text out);
 * `findCallSiteFiles` is the only I/O.
 */
import { promises as fs } from "node:fs";
import * as path from "node:path";
import type { CallSiteEdit, CallSiteKind, Migration } from "./types.js";
import { rewriteCompose } from "./compose.js";
import { rewriteWorkflow } from "./workflow.js";
import { rewriteGitlab, rewriteJenkinsfile, rewriteMakefile, rewriteShellScript } from "./scripts.js";
import { rewriteBakeHcl } from "./bake-hcl.js";
import { rewriteBakeJson } from "./bake-json.js";

export type { CallSiteEdit, CallSiteKind, Migration } from "./types.js";

const SHEBANG = /^#![ \t]*(?:\/usr)?\/(?:s?bin\/|usr\/bin\/env[ \t]+(?:-S[ \t]+)?)?(?:[\w/]*\/)?(?:sh|bash|dash|ksh|zsh|ash|mksh)\b/;

/** The kind of call-site file, from its path (and, for extension-less scripts, its first line). */
export function callSiteKind(file: string, text?: string): CallSiteKind | null {
  const norm = file.split(path.sep).join("/");
  const base = path.basename(norm);
  if (/^(?:docker-)?compose(?:[.\-_][^/]*)?\.ya?ml$/i.test(base)) return "compose";
  if (/(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(norm)) return "workflow";
  if (/^(?:.*\.)?\.?gitlab-ci\.ya?ml$/.test(base)) return "gitlab";
  if (/^Jenkinsfile/.test(base) || /\.jenkinsfile$/i.test(base)) return "jenkins";
  if (/^(?:GNU)?[Mm]akefile(?:\..*)?$/.test(base) || /\.mk$/.test(base)) return "make";
  if (/\.hcl$/.test(base)) return "bake-hcl";
  if (/^docker-bake(?:\.[\w-]+)?\.json$/.test(base) || /\.bake\.json$/.test(base)) return "bake-json";
  if (/\.(?:sh|bash|zsh|ksh)$/.test(base)) return "shell";
  if (text !== undefined && SHEBANG.test(text.replace(/^\uFEFF/, ""))) return "shell";
  return null;
}

/** Pure: rewrite one file's text. Returns null when nothing in it concerns the migrations. */
export function rewriteCallSites(file: string, text: string, migrations: Migration[], repoRoot: string): CallSiteEdit | null {
  if (!migrations.some((m) => m.args.length || m.files.length)) return null;
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

const SKIP_DIRS = new Set([".git", "node_modules"]);
// Extensions that are never shell scripts: no need to read their first line.
const NOT_SCRIPT =
  /\.(?:js|mjs|cjs|ts|tsx|jsx|json|md|markdown|txt|rst|html?|css|scss|less|svg|png|jpe?g|gif|webp|ico|pdf|zip|gz|tgz|bz2|xz|tar|jar|class|so|dylib|dll|exe|bin|wasm|lock|map|py|rb|go|rs|java|kt|c|h|cc|cpp|hpp|cs|php|pl|swift|scala|toml|ini|cfg|conf|xml|csv|tsv|ya?ml|hcl|tf|tfvars|env|properties|gradle|sql|proto|woff2?|ttf|otf|eot|mp[34]|mov|avi|lockb|log|patch|diff|snap)$/i;
const DOCKERFILE = /^(?:Dockerfile|Containerfile)(?:[.-].*)?$|\.(?:docker|container)file$/i;

async function firstBytes(file: string, n: number): Promise<string> {
  const h = await fs.open(file, "r");
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await h.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead).toString("utf8");
  } finally {
    await h.close();
  }
}

async function isCandidate(file: string, size: number): Promise<boolean> {
  const base = path.basename(file);
  if (DOCKERFILE.test(base)) return false;
  const kind = callSiteKind(file);
  if (kind === "bake-hcl") {
    if (size > 1 << 20) return false;
    const text = await fs.readFile(file, "utf8");
    return /(^|\n)\s*target\s+"/.test(text);
  }
  if (kind) return true;
  if (NOT_SCRIPT.test(base) || size > 1 << 20 || size < 4) return false;
  return SHEBANG.test((await firstBytes(file, 128)).replace(/^\uFEFF/, ""));
}

/** Candidate call-site files under the roots (files or folders), sorted, without duplicates; `.git` and `node_modules` are skipped. */
export async function findCallSiteFiles(roots: string[]): Promise<string[]> {
  const out = new Set<string>();
  const walk = async (p: string): Promise<void> => {
    let st;
    try {
      st = await fs.lstat(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      if (SKIP_DIRS.has(path.basename(p))) return;
      const entries = await fs.readdir(p);
      entries.sort();
      for (const e of entries) await walk(path.join(p, e));
    } else if (st.isFile()) {
      try {
        if (await isCandidate(p, st.size)) out.add(p);
      } catch {
        /* unreadable: not a candidate */
      }
    }
  };
  for (const r of roots) {
    const abs = path.resolve(r);
    const st = await fs.stat(abs).catch(() => null);
    if (st?.isDirectory()) await walk(abs);
    else if (st?.isFile() && (await isCandidate(abs, st.size).catch(() => false))) out.add(abs);
  }
  return [...out].sort();
}
