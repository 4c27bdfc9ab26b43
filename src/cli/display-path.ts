/** Paths as printed: relative to the working directory when inside it, absolute otherwise. */
import { basename, relative } from "node:path";

export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === "" ? basename(path) : rel.startsWith("..") ? path : rel;
}
