/**
 * The one way unbake reads a file of the repository it works on. The repository may be hostile:
 * a `.dockerignore` linked to a shell profile or to /proc/self/environ, a FIFO that blocks a
 * read for ever, a link to /dev/zero that never ends. So a file must be a regular file before it
 * is opened, is opened without blocking, and is read only when the open descriptor itself lies
 * inside the given paths and is a regular file (so a swap after the first check cannot hand over
 * a FIFO, a device or a file outside), and then only to a bound. Writes are held to the same
 * roots (writeInside).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "./write-atomic.js";

export const MAX_FILE_BYTES = 1024 * 1024;

/** Why a file cannot be handled; the message is shown after the path. */
export class FileProblem extends Error {}

export const PROBLEM_OUTSIDE_ROOTS = "resolves outside the given paths";
export const PROBLEM_NOT_REGULAR = "not a regular file";

/** What a batch may read and write: these folders (and everything below), and these files. Real paths. */
export interface Roots {
  dirs: string[];
  files: string[];
}

// realpath(3): one call, where the JavaScript realpathSync checks each path component.
const realpath = fs.realpathSync.native;

function real(p: string): string | null {
  try {
    return realpath(p);
  } catch {
    return null;
  }
}

/**
 * The roots of a batch: each folder given, each file given (itself, and its folder, where its
 * `.dockerignore` and build context are), and extra folders (an explicit --context).
 */
export function rootsOf(given: string[], extraDirs: string[] = []): Roots {
  const roots: Roots = { dirs: [], files: [] };
  for (const p of given) {
    const r = real(p);
    if (r === null) continue;
    if (fs.statSync(r).isDirectory()) {
      if (!roots.dirs.includes(r)) roots.dirs.push(r);
    } else {
      if (!roots.files.includes(r)) roots.files.push(r);
      const dir = real(path.dirname(path.resolve(p)));
      if (dir !== null && !roots.dirs.includes(dir)) roots.dirs.push(dir);
    }
  }
  return withDirs(roots, extraDirs);
}

/** The roots plus some folders (real paths taken here; a folder that does not exist adds nothing). */
export function withDirs(roots: Roots | undefined, dirs: string[], files: string[] = []): Roots {
  const out: Roots = { dirs: [...(roots?.dirs ?? [])], files: [...(roots?.files ?? [])] };
  for (const d of dirs) {
    const r = real(d);
    if (r !== null && !out.dirs.includes(r)) out.dirs.push(r);
  }
  for (const f of files) {
    const r = real(f);
    if (r !== null && !out.files.includes(r)) out.files.push(r);
  }
  return out;
}

export function isInside(roots: Roots, realPath: string): boolean {
  return (
    roots.files.includes(realPath) ||
    roots.dirs.some((d) => realPath === d || realPath.startsWith(d.endsWith(path.sep) ? d : d + path.sep))
  );
}

const OPEN = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK;

/**
 * Reads a regular file: at most max bytes (a longer file is a FileProblem), or, with head, its
 * first max bytes whatever its length. The path is expected to be real already: a link in its
 * place (swapped in after it was resolved) is refused.
 */
export function readRegularFile(file: string, max = MAX_FILE_BYTES, head = false): Buffer {
  return readChecked(file, null, max, head, OPEN | fs.constants.O_NOFOLLOW);
}

function readChecked(file: string, roots: Roots | null, max: number, head: boolean, flags: number): Buffer {
  // A device or FIFO is refused before it is opened: opening some devices does something.
  if (!fs.statSync(file).isFile()) {
    if (roots !== null && !isInside(roots, realpath(file))) throw new FileProblem(PROBLEM_OUTSIDE_ROOTS);
    throw new FileProblem(PROBLEM_NOT_REGULAR);
  }
  let fd: number;
  try {
    fd = fs.openSync(file, flags);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ELOOP") throw new FileProblem("changed while being read (now a symlink)");
    throw e;
  }
  try {
    // Where the open descriptor is, not where the path led a moment before: a link swapped in
    // between cannot lead out, and nothing is read before this is known.
    if (roots !== null && !isInside(roots, openedPath(fd, file))) throw new FileProblem(PROBLEM_OUTSIDE_ROOTS);
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new FileProblem(PROBLEM_NOT_REGULAR);
    if (!head && st.size > max) throw new FileProblem(tooLarge(st.size));
    // Up to one byte more than allowed, so that a file that grows while it is read (or that
    // says it is empty, as /proc files do) is still caught; the buffer grows as needed.
    const limit = head ? max : max + 1;
    let buf = Buffer.alloc(Math.min(limit, st.size + 1));
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        if (buf.length >= limit) break;
        const bigger = Buffer.alloc(Math.min(limit, buf.length * 2 + 4096));
        buf.copy(bigger, 0, 0, total);
        buf = bigger;
      }
      const n = fs.readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
    }
    if (!head && total > max) throw new FileProblem(tooLarge(total));
    return buf.subarray(0, total);
  } finally {
    fs.closeSync(fd);
  }
}

/** The real path of an open file: Linux names it in /proc (one call); elsewhere realpath(3). */
function openedPath(fd: number, file: string): string {
  try {
    const p = fs.readlinkSync(`/proc/self/fd/${fd}`);
    if (p.startsWith("/") && !p.endsWith(" (deleted)")) return p;
  } catch {
    // no /proc
  }
  return realpath(file);
}

function tooLarge(size: number): string {
  return `larger than 1 MiB (${size} bytes)`;
}

/** The bytes of a file inside the roots (see the module comment); an absent file throws ENOENT. */
export function readInside(file: string, roots: Roots, max = MAX_FILE_BYTES): Buffer {
  return readChecked(file, roots, max, false, OPEN);
}

/** The first n bytes of a file inside the roots, whatever its length (to sniff what it is). */
export function readHeadInside(file: string, roots: Roots, n: number): Buffer {
  return readChecked(file, roots, n, true, OPEN);
}

/** writeFileAtomic, refused (nothing written) when the file it would replace lies outside the roots. */
export function writeInside(file: string, data: string | Uint8Array, roots: Roots): Promise<void> {
  return writeFileAtomic(file, data, undefined, (target) => {
    if (!isInside(roots, target)) throw new FileProblem(PROBLEM_OUTSIDE_ROOTS);
  });
}

/** `cannot <verb>: <why>` for an error from these functions or from fs. */
export function describeFileError(e: unknown): string {
  if (e instanceof FileProblem) return e.message;
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}
