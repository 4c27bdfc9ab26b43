/**
 * .dockerignore changes, applied one file at a time in the batch's order. Two Dockerfiles may
 * share one .dockerignore: an in-memory view of every file already changed in this run makes
 * the second diff build on the first (also in a dry run), and never loses a line to a race.
 * The file is read and written through safe-file (inside the roots, regular, bounded) and edited
 * as bytes: lines are appended, every byte already there stays, whatever its encoding.
 */
import { dirname, join } from "node:path";
import { appendIgnoreLines, ignoreLine } from "../transform/dockerignore.js";
import { unifiedDiff, colorizeDiff } from "../emit/diff.js";
import type { IgnoreRequest } from "./process-file.js";
import { displayPath } from "./display-path.js";
import { decodeExact, encodeExact, inFileCharacters, shownText, type ExactText } from "./exact-text.js";
import { FileProblem, describeFileError, readInside, withDirs, writeInside, type Roots } from "./safe-file.js";

export interface IgnoreUpdate {
  /** The diff to show, or null when the file already has every line. */
  diff: string | null;
  /** Paths no .dockerignore line can express exactly (see ignoreLine): left out, to report. */
  refused: string[];
}

export class DockerignoreUpdates {
  private readonly seen = new Map<string, ExactText | null>();

  constructor(private readonly options: { write: boolean; color: boolean; cwd: string; roots?: Roots }) {}

  /** Throws (nothing written) when the .dockerignore cannot be read or --write cannot write it. */
  async apply(request: IgnoreRequest): Promise<IgnoreUpdate> {
    const roots = ignoreRoots(request, this.options.roots);
    const candidates = ignoreCandidates(request);
    const path = candidates.find((c) => this.read(c, roots) !== null) ?? candidates[1];
    const before = this.read(path, roots);
    const latin1 = before?.latin1 ?? false;
    const lines = request.paths.map(ignoreLine).filter((l): l is string => l !== null);
    const refused = request.paths.filter((p) => ignoreLine(p) === null);
    const text = appendIgnoreLines(before?.text ?? null, lines.map((l) => inFileCharacters(l, latin1)));
    if (text === null) return { diff: null, refused };
    const after: ExactText = { text, latin1 };
    if (this.options.write) {
      try {
        await writeInside(path, encodeExact(text, latin1), roots);
      } catch (e) {
        throw new FileProblem(`${this.shown(path)}: ${describeFileError(e)}`);
      }
    }
    this.seen.set(path, after);
    const diff = unifiedDiff(this.shown(path), before === null ? null : shownText(before), shownText(after), { color: false });
    return { diff: this.options.color ? colorizeDiff(diff) : diff, refused };
  }

  private shown(path: string): string {
    return displayPath(path, this.options.cwd);
  }

  /** The file as this run last left it, or as it is on disk (null: there is none). */
  private read(path: string, roots: Roots): ExactText | null {
    if (!this.seen.has(path)) {
      let text: ExactText | null;
      try {
        text = decodeExact(readInside(path, roots));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== "ENOENT" && code !== "ENOTDIR") throw new FileProblem(`${this.shown(path)}: ${describeFileError(e)}`);
        text = null;
      }
      this.seen.set(path, text);
    }
    return this.seen.get(path)!;
  }
}

/** BuildKit reads `<Dockerfile>.dockerignore` next to the Dockerfile first, else the context's. */
function ignoreCandidates(request: IgnoreRequest): [string, string] {
  return [`${request.dockerfile}.dockerignore`, join(request.context, ".dockerignore")];
}

/** The batch's roots, and the Dockerfile's folder and context (the roots of a caller without any). */
function ignoreRoots(request: IgnoreRequest, roots: Roots | undefined): Roots {
  return withDirs(roots, [dirname(request.dockerfile), request.context]);
}

/**
 * Why the .dockerignore a request would update cannot be read (null: it can, or there is none
 * yet). Asked before --write replaces the Dockerfile, so that a Dockerfile is not rewritten
 * when its .dockerignore then cannot be.
 */
export function dockerignoreProblem(request: IgnoreRequest, roots: Roots | undefined, show: (path: string) => string): string | null {
  const within = ignoreRoots(request, roots);
  for (const candidate of ignoreCandidates(request)) {
    try {
      readInside(candidate, within);
      return null;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") return `${show(candidate)}: ${describeFileError(e)}`;
    }
  }
  return null;
}

/** The report line for paths no .dockerignore line can express: each quoted, every control escaped. */
export function notIgnored(paths: string[]): string {
  const quoted = paths.map((p) => JSON.stringify(p).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
  return `not added to .dockerignore (no pattern matches exactly that path; exclude it by hand): ${quoted.join(", ")}`;
}
