/** Matching a call site to the Dockerfile a migration rewrote, by resolved absolute paths. */
import * as path from "node:path";
import type { Migration } from "./types.js";

/** A path value the rewriter cannot resolve statically (variables, command substitution, globs, home). */
export function isDynamicPath(p: string): boolean {
  return /[$`*?~]|\{\{/.test(p);
}

export function isRemoteContext(p: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || /^git@/.test(p) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(p);
}

export function sameFile(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

/** Migrations whose Dockerfile is one of the candidate paths (indices, without duplicates). */
export function migrationsFor(migrations: Migration[], dockerfiles: string[]): number[] {
  const out: number[] = [];
  migrations.forEach((m, i) => {
    if (dockerfiles.some((d) => sameFile(d, m.dockerfile))) out.push(i);
  });
  return out;
}

/** A path relative to `fromDir`, with forward slashes, `.` for the folder itself. */
export function relPath(fromDir: string, abs: string): string {
  const r = path.relative(fromDir, abs).split(path.sep).join("/");
  return r === "" ? "." : r;
}

/** Like relPath, but always starting with `./` or `../` (compose style). */
export function dotRelPath(fromDir: string, abs: string): string {
  const r = relPath(fromDir, abs);
  return r === "." || r.startsWith("../") || r.startsWith("./") || path.isAbsolute(r) ? r : `./${r}`;
}

/** Absolute path of a secret file a migration mounts, read from the context a call site uses. */
export function secretFilePath(m: Migration, file: { path: string }, callContext: string | null): string {
  return path.resolve(callContext ?? m.context, file.path);
}

/** All ARG names some migration removed. */
export function removedArgNames(migrations: Migration[]): Set<string> {
  return new Set(migrations.flatMap((m) => m.args.map((a) => a.name)));
}

/** Repo-relative display path. */
export function display(repoRoot: string, abs: string): string {
  return relPath(repoRoot, abs);
}

/** Characters that need no quoting in a shell word, a YAML plain scalar or an HCL/JSON string. */
export function isPlainPathText(s: string): boolean {
  return /^[\w./@%+:,=-]+$/.test(s);
}
