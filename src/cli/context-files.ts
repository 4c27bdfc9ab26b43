/**
 * Batch mode reads, for the analysis, the build-context files a RUN may read that a tool fills
 * from its environment (pip's requirements files, maven's settings.xml, npm's .npmrc: the tool
 * catalogue's `expandsIn`): the COPY/ADD sources of such names, and such files at the context's
 * top when a COPY brings a whole folder. Every read goes through readInside (inside the roots, a
 * regular file) with a small size cap; a file that cannot be read is left out, never an error:
 * the analysis then falls back to mounting the variable on every RUN that may read it.
 */
import { readdirSync } from "node:fs";
import { join, posix } from "node:path";
import { expandingFile } from "../knowledge/tools/index.js";
import { readInside, type Roots } from "./safe-file.js";

/** At most this many files, of at most this many bytes each. */
const MAX_FILES = 32;
const MAX_BYTES = 256 * 1024;
const COPY_LINE = /^[ \t]*(?:onbuild[ \t]+)?(?:copy|add)[ \t]+([^\r\n]*)/gim;
const ARG_ENV = /^[ \t]*(?:onbuild[ \t]+)?(?:arg|env)[ \t]/im;

const expands = (name: string) => expandingFile(name, "") !== null;

/** Context-relative path → text, for AnalyseOptions.contextFiles; empty when the file declares no ARG/ENV. */
export function readContextFiles(dockerfile: string, context: string, roots: Roots): Record<string, string> {
  const out: Record<string, string> = {};
  if (!ARG_ENV.test(dockerfile)) return out;
  const wanted = new Set<string>();
  let wholeFolder = false;
  for (const m of dockerfile.matchAll(COPY_LINE)) {
    const words = m[1].trim().split(/[ \t]+/).filter((w) => w !== "" && !w.startsWith("--"));
    if (words.length < 2 || words[0].startsWith("[") || words[0].startsWith("<<")) continue;
    for (const w of words.slice(0, -1)) {
      const source = w.replace(/^["']|["']$/g, "");
      if (source === "." || source === "./" || source === "/") wholeFolder = true;
      else if (!/[*?[$\\]/.test(source) && expands(posix.basename(source))) wanted.add(posix.normalize(source.replace(/^\/+/, "")));
    }
  }
  if (wholeFolder) {
    try {
      for (const name of readdirSync(context)) if (expands(name)) wanted.add(name);
    } catch {
      // An unreadable context: nothing to add.
    }
  }
  for (const path of [...wanted].sort().slice(0, MAX_FILES)) {
    if (path.startsWith("../")) continue;
    try {
      out[path] = readInside(join(context, path), roots, MAX_BYTES).toString("utf8");
    } catch {
      // Outside the roots, not a regular file, too large, missing: left out.
    }
  }
  return out;
}
