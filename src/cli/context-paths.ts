/**
 * Batch mode knows the build context: of the credential files a copy of a context folder may
 * bring (`COPY . /src`: those at the context's top, and those a RUN names under the copy's
 * destination), the ones that are really there and that the .dockerignore does not already
 * leave out. The analysis then follows the steps that read them where the copy put them
 * (analyse/context-copies.ts). Only names are looked at (lstat, readdir): no file is read but
 * the .dockerignore, through the safe-file gate.
 */
import { lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { copiedSecretFiles } from "../analyse/batch-ids.js";
import { isIgnored } from "../transform/dockerignore.js";
import { readInside, type Roots } from "./safe-file.js";

const MAX_IGNORE_BYTES = 256 * 1024;

export function contextSecretPaths(dockerfileText: string, dockerfile: string, context: string, roots: Roots): string[] {
  const candidates = copiedSecretFiles(dockerfileText, () => namesIn(context), (p) => isFile(join(context, p))).filter((p) => !p.startsWith("../") && p !== "");
  if (candidates.length === 0) return [];
  const ignore = readIgnore(dockerfile, context, roots);
  return candidates.filter((p) => isFile(join(context, p)) && !(ignore !== null && isIgnored(ignore, p))).sort();
}

/** The names at the top of a context folder ([] when it cannot be listed). */
export function namesIn(context: string): string[] {
  try {
    return readdirSync(context);
  } catch {
    return [];
  }
}

/** A regular file, not a link to one. */
export function isFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

/** The .dockerignore the builder reads: `<Dockerfile>.dockerignore` first, else the context's. */
function readIgnore(dockerfile: string, context: string, roots: Roots): string | null {
  for (const path of [`${dockerfile}.dockerignore`, join(context, ".dockerignore")]) {
    try {
      return readInside(path, roots, MAX_IGNORE_BYTES).toString("utf8");
    } catch {
      // Missing, outside the roots, too large: try the next.
    }
  }
  return null;
}
