/**
 * Batch mode reads, for the analysis, build-context files whose content decides what they are:
 * - the files a RUN may read that a tool fills from its environment (pip's requirements files,
 *   maven's settings.xml, npm's .npmrc: the tool catalogue's `expandsIn`), when the Dockerfile
 *   declares an ARG/ENV: the COPY/ADD sources of such names, and such files at the context's top
 *   when a COPY brings a whole folder;
 * - the COPY/ADD sources of credential files whose kind has a content row (a pip.conf, a
 *   settings.xml, an .npmrc: src/analyse/file-contents.ts decides whether one holds a credential,
 *   a template or nothing).
 * Every read goes through readInside (inside the roots, a regular file) with a small size cap; a
 * file that cannot be read is left out, never an error: the analysis then keeps its rule by name.
 */
import { readdirSync } from "node:fs";
import { join, posix } from "node:path";
import { expandingFile } from "../knowledge/tools/index.js";
import { classifySecretPath } from "../analyse/secret-files.js";
import { contentRowOf } from "../analyse/file-contents.js";
import { readInside, type Roots } from "./safe-file.js";

/** At most this many files, of at most this many bytes each. */
const MAX_FILES = 32;
const MAX_BYTES = 256 * 1024;
const COPY_LINE = /^[ \t]*(?:onbuild[ \t]+)?(?:copy|add)[ \t]+([^\r\n]*)/gim;
/** A COPY from a stage or an image reads nothing of the context. */
const FROM_FLAG = /(?:^|[ \t])--from=/i;
const ARG_ENV = /^[ \t]*(?:onbuild[ \t]+)?(?:arg|env)[ \t]/im;

const expands = (name: string) => expandingFile(name, "") !== null;
/** A path the analysis may look into: a credential file whose content can be read. */
const readable = (path: string) => {
  const kind = classifySecretPath(path);
  return kind !== null && !kind.directory && contentRowOf(kind.kind) !== null;
};

/** The words of a COPY/ADD after its flags: the JSON form decoded, else split on blanks. */
function copyWords(rest: string): string[] | null {
  const words = rest.trim().split(/[ \t]+/).filter((w) => w !== "" && !w.startsWith("--"));
  const json = words.join(" ");
  if (json.startsWith("[")) {
    try {
      const list: unknown = JSON.parse(json);
      return Array.isArray(list) && list.every((w) => typeof w === "string") ? list : null;
    } catch {
      return null;
    }
  }
  if (words[0]?.startsWith("<<")) return null;
  return words.map((w) => w.replace(/^["']|["']$/g, ""));
}

/** Context-relative path → text, for AnalyseOptions.contextFiles. */
export function readContextFiles(dockerfile: string, context: string, roots: Roots): Record<string, string> {
  const out: Record<string, string> = {};
  const declares = ARG_ENV.test(dockerfile);
  const wanted = new Set<string>();
  let wholeFolder = false;
  for (const m of dockerfile.matchAll(COPY_LINE)) {
    const words = FROM_FLAG.test(m[1]) ? null : copyWords(m[1]);
    if (words === null || words.length < 2) continue;
    const sources = words.slice(0, -1);
    // A credential file by its name, or by where a lone source lands (`COPY creds /root/.npmrc`).
    const typedByPlace = sources.length === 1 && readable(words[words.length - 1]);
    for (const source of sources) {
      if (source === "." || source === "./" || source === "/") wholeFolder = true;
      else if (/[*?[$\\]/.test(source) || /^[a-z][a-z0-9+.-]*:\/\//i.test(source)) continue;
      else if (typedByPlace || readable(source) || (declares && expands(posix.basename(source)))) wanted.add(posix.normalize("/" + source.replace(/\/+$/, "")).slice(1));
    }
  }
  if (wholeFolder && declares) {
    try {
      for (const name of readdirSync(context)) if (expands(name)) wanted.add(name);
    } catch {
      // An unreadable context: nothing to add.
    }
  }
  for (const path of [...wanted].sort().slice(0, MAX_FILES)) {
    if (path === "" || path.startsWith("../")) continue;
    try {
      out[path] = readInside(join(context, path), roots, MAX_BYTES).toString("utf8");
    } catch {
      // Outside the roots, not a regular file, too large, missing: left out.
    }
  }
  return out;
}
