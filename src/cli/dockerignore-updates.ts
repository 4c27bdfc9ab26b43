/**
 * .dockerignore changes, applied one file at a time in the batch's order. Two Dockerfiles may
 * share one .dockerignore: an in-memory view of every file already changed in this run makes
 * the second diff build on the first (also in a dry run), and never loses a line to a race.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { updateDockerignore } from "../transform/dockerignore.js";
import { unifiedDiff, colorizeDiff } from "../emit/diff.js";
import { writeFileAtomic } from "./write-atomic.js";
import type { IgnoreRequest } from "./process-file.js";
import { displayPath } from "./display-path.js";

export class DockerignoreUpdates {
  private readonly seen = new Map<string, string | null>();


  constructor(private readonly options: { write: boolean; color: boolean; cwd: string }) {}

  /** The diff to show (if any); throws when --write cannot write the file. */
  async apply(request: IgnoreRequest): Promise<string | null> {
    // BuildKit reads `<Dockerfile>.dockerignore` next to the Dockerfile first, else the context's.
    const candidates = [`${request.dockerfile}.dockerignore`, join(request.context, ".dockerignore")];
    const path = candidates.find((c) => this.read(c) !== null) ?? candidates[1];
    const before = this.read(path);
    const after = updateDockerignore(before, request.paths);
    if (after === null) return null;
    this.seen.set(path, after);
    if (this.options.write) await writeFileAtomic(path, after);
    const diff = unifiedDiff(displayPath(path, this.options.cwd), before, after, { color: false });
    return this.options.color ? colorizeDiff(diff) : diff;
  }

  /** The file as this run last left it, or as it is on disk. */
  private read(path: string): string | null {
    if (!this.seen.has(path)) {
      let text: string | null;
      try {
        text = readFileSync(path, "utf8");
      } catch {
        text = null;
      }
      this.seen.set(path, text);
    }
    return this.seen.get(path)!;
  }
}
