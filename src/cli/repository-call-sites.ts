/**
 * A run on part of a repository (`unbake --write services/api`, a pre-commit hook that passes
 * file names) must still find the builds that call its Dockerfiles: the compose files,
 * workflows, scripts and bake files usually lie above the given paths. So the repository's top
 * (the nearest folder above them holding `.git`) is searched for call sites too.
 *
 * That folder becomes a root for call-site files only: it is walked like any given folder
 * (.gitignore honoured, .git and node_modules skipped, links that lead out of it refused), its
 * call sites are read through the same gate, and written only when --write migrates them.
 * Dockerfiles found there are not processed.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { findDockerfiles } from "./find-dockerfiles.js";
import { mayBeCallSite } from "../callsites/files.js";

export interface RepositoryCallSites {
  /** The repository's top folder (absolute). */
  root: string;
  /** Candidate call-site files under it (real paths), as the walk collected them. */
  files: string[];
  /** The Dockerfiles under it (absolute): not processed, but their secret ids are settled with the batch's. */
  dockerfiles: string[];
}

/** The nearest folder at or above `start` that holds `.git` (a folder or a worktree's file). */
export function gitRoot(start: string): string | null {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel));
}

/**
 * The repository above the given paths and its call-site candidates; null when there is none,
 * or when a given folder already holds its top (the batch's own walk saw everything).
 */
export async function callSitesAbove(given: string[], cwd: string): Promise<RepositoryCallSites | null> {
  const paths = given.map((p) => resolve(cwd, p));
  const folders = paths.map((p) => (statSync(p, { throwIfNoEntry: false })?.isDirectory() ? p : dirname(p)));
  if (folders.length === 0) return null;
  const root = gitRoot(folders[0]);
  if (root === null) return null;
  if (paths.some((p, i) => folders[i] === p && inside(p, root))) return null;
  const found = await findDockerfiles([root], { alsoCollect: mayBeCallSite });
  return { root, files: found.others, dockerfiles: found.files.map((f) => resolve(f.path)) };
}

/**
 * A build context as seen from the repository's top (forward slashes, "." for the top), where a
 * CI step that has no working directory (docker/build-push-action) runs; without a repository,
 * from the working directory. Undefined when the context lies outside both.
 */
export function contextFromRoot(context: string, cwd: string): string | undefined {
  const top = gitRoot(context) ?? cwd;
  const rel = relative(top, context);
  if (rel === "") return ".";
  if (rel === ".." || rel.startsWith(`..${sep}`) || /^([a-zA-Z]:|\/)/.test(rel)) return undefined;
  return rel.split(sep).join("/");
}
