/**
 * Which files are call sites, from their paths (and, for extension-less scripts, their first
 * line). Kept apart from the rewriters so the Dockerfile walk can use it without loading them.
 */
import { constants, promises as fs } from "node:fs";
import * as path from "node:path";
import type { CallSiteKind } from "./types.js";
import { isLeftoverName } from "../leftover-files.js";

const SHEBANG = /^#![ \t]*(?:\/usr)?\/(?:s?bin\/|usr\/bin\/env[ \t]+(?:-S[ \t]+)?)?(?:[\w/]*\/)?(?:sh|bash|dash|ksh|zsh|ash|mksh)\b/;

/** The kind of call-site file, from its path (and, for extension-less scripts, its first line). */
export function callSiteKind(file: string, text?: string): CallSiteKind | null {
  const norm = file.split(path.sep).join("/");
  const base = path.basename(norm);
  if (isLeftoverName(base)) return null;
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

// Extensions that are never shell scripts: no need to read their first line.
const NOT_SCRIPT =
  /\.(?:js|mjs|cjs|ts|tsx|jsx|json|md|markdown|txt|rst|html?|css|scss|less|svg|png|jpe?g|gif|webp|ico|pdf|zip|gz|tgz|bz2|xz|tar|jar|class|so|dylib|dll|exe|bin|wasm|lock|map|py|rb|go|rs|java|kt|c|h|cc|cpp|hpp|cs|php|pl|swift|scala|toml|ini|cfg|conf|xml|csv|tsv|ya?ml|hcl|tf|tfvars|env|properties|gradle|sql|proto|woff2?|ttf|otf|eot|mp[34]|mov|avi|lockb|log|patch|diff|snap)$/i;
const DOCKERFILE = /^(?:Dockerfile|Containerfile)(?:[.-].*)?$|\.(?:docker|container)file$/i;

/** The first n bytes of a regular file; opened without blocking, so a FIFO swapped in gives "". */
async function firstBytes(file: string, n: number): Promise<string> {
  const h = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!(await h.stat()).isFile()) return "";
    const buf = Buffer.alloc(n);
    const { bytesRead } = await h.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead).toString("utf8");
  } finally {
    await h.close();
  }
}

/** The bytes an extensionless file's first line is looked for in. */
export const SHEBANG_BYTES = 128;

/**
 * What confirms that a candidate is a call site: nothing (never one), its name, its first
 * SHEBANG_BYTES (a script's shebang), or its whole text (a bake HCL file's targets).
 */
export function callSiteEvidence(file: string): "never" | "name" | "head" | "text" {
  const base = path.basename(file);
  if (DOCKERFILE.test(base)) return "never";
  const kind = callSiteKind(file);
  if (kind === "bake-hcl") return "text";
  if (kind) return "name";
  return NOT_SCRIPT.test(base) || isLeftoverName(base) ? "never" : "head";
}

/** Confirms a candidate from the evidence callSiteEvidence asks for (the whole text always does). */
export function isCallSiteText(file: string, text: string): boolean {
  switch (callSiteEvidence(file)) {
    case "never":
      return false;
    case "name":
      return true;
    case "text":
      return /(^|\n)\s*target\s+"/.test(text);
    case "head":
      return SHEBANG.test(text.slice(0, SHEBANG_BYTES).replace(/^\uFEFF/, ""));
  }
}

async function isCandidate(file: string, size: number): Promise<boolean> {
  const evidence = callSiteEvidence(file);
  if (evidence === "never" || evidence === "name") return evidence === "name";
  if (size > 1 << 20) return false;
  return isCallSiteText(file, await firstBytes(file, evidence === "text" ? size : SHEBANG_BYTES));
}

/**
 * Could a file at this path be a call site? Decided from the path alone, so the Dockerfile
 * walk can collect candidates in the same pass; isCallSiteFile then confirms the few it finds.
 */
export function mayBeCallSite(relPath: string): boolean {
  const base = path.basename(relPath);
  if (DOCKERFILE.test(base) || isLeftoverName(base)) return false;
  return callSiteKind(relPath) !== null || (!base.includes(".") && !NOT_SCRIPT.test(base));
}

/** Confirms a candidate: a bake HCL file with a target, or an extensionless file with a shell shebang. */
export async function isCallSiteFile(file: string): Promise<boolean> {
  try {
    const st = await fs.stat(file);
    return st.isFile() && (await isCandidate(file, st.size));
  } catch {
    return false;
  }
}

