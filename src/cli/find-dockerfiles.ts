/**
 * Finding the Dockerfiles to work on: files named on the command line are taken as
 * given; folders are walked, honouring .gitignore files (git's rules, nested files
 * included) and --exclude globs, skipping .git and node_modules, following symlinks
 * only while they stay inside the given paths.
 *
 * The result does not depend on the order the filesystem lists entries in: files are
 * sorted, and when one real file or folder is reachable by several paths the choice
 * of path is made in a fixed order (plain paths first, then symlinked folders in
 * path order).
 */
import * as nodeFs from "node:fs";
import * as path from "node:path";
import ignore, { type Ignore } from "ignore";
import picomatch from "picomatch";
import { isLeftoverName } from "../leftover-files.js";
import { FileProblem, PROBLEM_OUTSIDE_ROOTS, readRegularFile } from "./safe-file.js";

export interface FindOptions {
  /**
   * Globs (picomatch, `dot: true`) matched against the path relative to the root it
   * was found under and against the basename; an excluded folder is not descended into.
   * A file named on the command line is matched with its path as given.
   */
  exclude?: string[];
  /**
   * Other files to collect in the same walk (FindResult.others), by their path relative to the
   * walked root: the build files that may call `docker build` on what is found.
   */
  alsoCollect?: (relPath: string) => boolean;
}

export interface FoundFile {
  /** As the user would write it: the given root joined with the relative path (normalised). */
  path: string;
  /** The command-line path (normalised) the file was found under. */
  root: string;
}

export interface FindProblem {
  path: string;
  message: string;
}

export interface FindResult {
  files: FoundFile[];
  problems: FindProblem[];
  /** Files matching FindOptions.alsoCollect (real paths, sorted); same walk, same exclusions. */
  others: string[];
}

/** The filesystem calls used; `fs.promises` by default. Tests pass a wrapper to inject failures. */
export interface FindFs {
  readdir(path: string, options: { withFileTypes: true }): Promise<nodeFs.Dirent[]>;
  readFile(path: string, encoding: "utf8"): Promise<string>;
  lstat(path: string): Promise<nodeFs.Stats>;
  stat(path: string): Promise<nodeFs.Stats>;
  realpath(path: string): Promise<string>;
}

const SKIP_DIRS = new Set([".git", "node_modules"]);
const CONCURRENCY = 32;

export const PROBLEM_NOT_FOUND = "no such file or directory";
export const PROBLEM_OUTSIDE = "symlink leads outside the given paths";

/**
 * Dockerfile, Dockerfile.<x> (also Dockerfile-<x> and Dockerfile_<x>, common in real
 * repositories), <x>.Dockerfile, Containerfile*, and the lowercase dockerfile forms BuildKit
 * also accepts (dockerfile, dockerfile.<x>, <x>.dockerfile). Never a
 * `.dockerignore` file (Dockerfile.dockerignore, x.Dockerfile.dockerignore), nor an editor
 * or patch leftover (isLeftoverName: Dockerfile.orig, .rej, .bak, .swp, ~): rewriting those
 * helps nobody. <x> must not be empty.
 */
export function isDockerfileName(basename: string): boolean {
  const lower = basename.toLowerCase();
  if (lower.endsWith(".dockerignore") || isLeftoverName(basename)) return false;
  if (basename.startsWith("Containerfile")) return true;
  for (const stem of ["Dockerfile", "dockerfile"]) {
    if (basename === stem) return true;
    const sep = basename[stem.length];
    if (basename.length > stem.length + 1 && basename.startsWith(stem) && (sep === "." || sep === "-" || sep === "_")) {
      return true;
    }
  }
  for (const suffix of [".Dockerfile", ".dockerfile"]) {
    if (basename.length > suffix.length && basename.endsWith(suffix)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// .gitignore

const IGNORE_CASE = process.platform === "darwin" || process.platform === "win32";

/** Escape a folder path so that it matches itself literally as the start of a gitignore pattern. */
function escapeGlobPrefix(relDir: string): string {
  let out = relDir.replace(/[\\*?[\]]/g, "\\$&");
  if (out.startsWith("#") || out.startsWith("!")) out = `\\${out}`;
  return out;
}

/**
 * Rewrite the lines of the .gitignore in folder `relDir` (relative to the walked
 * root) so that, added after the rules of the folders above, one `ignore` instance
 * gives git's answer: git reads all .gitignore files from the root down and the last
 * matching pattern wins, the deeper files' patterns coming last.
 *
 * - a pattern with a slash at the start or in the middle is relative to its folder:
 *   `relDir/pattern`;
 * - a pattern without one matches at any depth below its folder: `relDir/**\/pattern`.
 */
export function rebaseGitignore(content: string, relDir: string): string[] {
  const lines = content.split(/\r?\n/);
  if (relDir === "") return lines;
  const prefix = `${escapeGlobPrefix(relDir)}/`;
  const out: string[] = [];
  for (const line of lines) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    let negative = false;
    let body = line;
    if (body.startsWith("!")) {
      negative = true;
      body = body.slice(1);
    }
    // git ignores unescaped trailing spaces; a trailing slash marks a folder-only rule.
    let core = body.replace(/(?<!\\) +$/, "");
    if (core.endsWith("/")) core = core.slice(0, -1);
    if (core === "") continue;
    const anchored = core.includes("/");
    const rebased = anchored ? prefix + (body.startsWith("/") ? body.slice(1) : body) : `${prefix}**/${body}`;
    out.push((negative ? "!" : "") + rebased);
  }
  return out;
}

function withGitignore(parent: Ignore | null, content: string, relDir: string): Ignore {
  const ig = ignore({ ignorecase: IGNORE_CASE });
  if (parent) ig.add(parent);
  ig.add(rebaseGitignore(content, relDir));
  return ig;
}

function isIgnored(ig: Ignore | null, rel: string, isDir: boolean): boolean {
  if (!ig) return false;
  try {
    return ig.ignores(isDir ? `${rel}/` : rel);
  } catch {
    return false; // a name `ignore` does not accept as a path: not ignored
  }
}

// ---------------------------------------------------------------------------
// the walk

interface Candidate extends FoundFile {
  real: string;
  /** Reached through a symlink (file link, or a folder under a folder link). */
  viaLink: boolean;
}

interface DirTask {
  /** The real path of the folder: all reads go there. */
  real: string;
  /** Path relative to the root, "" for the root itself. */
  rel: string;
  root: string;
  ig: Ignore | null;
  viaLink: boolean;
}

function errCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String((err as { code: unknown }).code) : undefined;
}

function describeError(err: unknown): string {
  switch (errCode(err)) {
    case "ENOENT":
    case "ENOTDIR":
      return PROBLEM_NOT_FOUND;
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ELOOP":
      return "too many levels of symbolic links";
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/** `path.normalize`, without a trailing slash (except for "/"). */
function normaliseArg(p: string): string {
  let n = path.normalize(p);
  while (n.length > 1 && n.endsWith(path.sep)) n = n.slice(0, -1);
  return n;
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * Synchronous calls behind the promise interface: a walk issues tens of thousands of small
 * calls, and sending each to the thread pool cost more than the call (a 59,000-file tree walked
 * in 1.2 s and 177 MB that way, in 0.5 s and far less memory this way).
 */
const defaultFs: FindFs = {
  readdir: async (p, o) => nodeFs.readdirSync(p, o),
  readFile: async (p, e) => readRegularFile(p).toString(e),
  lstat: async (p) => nodeFs.lstatSync(p),
  stat: async (p) => nodeFs.statSync(p),
  realpath: async (p) => nodeFs.realpathSync(p),
};

/**
 * Find the Dockerfiles under the given paths. A path that is a file is taken as
 * given, whatever its name (unless excluded). Folders are walked; see the module
 * comment. Problems (missing paths, unreadable folders, symlinks leading out of the
 * given paths, broken links with a Dockerfile name) are reported, and the rest of the
 * batch goes on.
 */
export async function findDockerfiles(
  paths: string[],
  options: FindOptions = {},
  fs: FindFs = defaultFs,
): Promise<FindResult> {
  const problems: FindProblem[] = [];
  const candidates: Candidate[] = [];
  const others: string[] = [];
  const exclude = options.exclude && options.exclude.length > 0 ? picomatch(options.exclude, { dot: true }) : null;
  const excluded = (rel: string, name: string, isDir: boolean): boolean =>
    exclude !== null &&
    (exclude(rel) || exclude(name) || (isDir && (exclude(`${rel}/`) || exclude(`${name}/`))));

  // 1. The given paths.
  const rootDirs: Array<{ display: string; real: string }> = [];
  const rootReals: string[] = [];
  const fileReals = new Set<string>();
  for (const given of paths) {
    const display = normaliseArg(given);
    let st: nodeFs.Stats;
    let real: string;
    try {
      st = await fs.stat(given);
      real = await fs.realpath(given);
    } catch (err) {
      let message = describeError(err);
      if (errCode(err) === "ENOENT") {
        // A dangling link is there, but leads nowhere.
        const isLink = await fs.lstat(given).then(
          (l) => l.isSymbolicLink(),
          () => false,
        );
        if (isLink) message = "broken symlink";
      }
      problems.push({ path: display, message });
      continue;
    }
    if (st.isDirectory()) {
      rootDirs.push({ display, real });
      rootReals.push(real);
    } else if (st.isFile()) {
      if (excluded(display, path.basename(display), false)) continue;
      fileReals.add(real);
      candidates.push({ path: display, root: display, real, viaLink: false });
    } else {
      problems.push({ path: display, message: "not a regular file or folder" });
    }
  }

  const inside = (real: string): boolean =>
    fileReals.has(real) ||
    rootReals.some((r) => real === r || real.startsWith(r.endsWith(path.sep) ? r : r + path.sep));

  const visited = new Set<string>();
  const pendingLinks: Array<DirTask & { display: string }> = [];

  const display = (t: { root: string; rel: string }, rel: string): string => (rel === "" ? t.root : path.join(t.root, rel));

  async function processDir(task: DirTask): Promise<DirTask[]> {
    let entries: nodeFs.Dirent[];
    try {
      entries = await fs.readdir(task.real, { withFileTypes: true });
    } catch (err) {
      problems.push({ path: display(task, task.rel), message: `cannot read folder: ${describeError(err)}` });
      return [];
    }
    let ig = task.ig;
    const gi = entries.find((e) => e.name === ".gitignore" && !e.isDirectory());
    if (gi) {
      try {
        // Like any file read: inside the given paths, regular, bounded (a FIFO or a link to
        // /dev/zero must not stall the walk, a link to a file outside must not be read).
        const real = await fs.realpath(path.join(task.real, ".gitignore"));
        if (!inside(real)) throw new FileProblem(PROBLEM_OUTSIDE_ROOTS);
        const content = await fs.readFile(real, "utf8");
        ig = withGitignore(ig, content, task.rel);
      } catch (err) {
        if (errCode(err) !== "ENOENT" && errCode(err) !== "EISDIR") {
          problems.push({ path: display(task, task.rel === "" ? ".gitignore" : `${task.rel}/.gitignore`), message: `cannot read .gitignore: ${describeError(err)}` });
        }
      }
    }
    const children: DirTask[] = [];
    for (const entry of entries) {
      const name = entry.name;
      const rel = task.rel === "" ? name : `${task.rel}/${name}`;
      const entryPath = path.join(task.real, name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      let isLink = entry.isSymbolicLink();
      if (
        !isDir &&
        !isFile &&
        !isLink &&
        !entry.isFIFO() &&
        !entry.isSocket() &&
        !entry.isBlockDevice() &&
        !entry.isCharacterDevice()
      ) {
        // DT_UNKNOWN (some network and FUSE filesystems): ask.
        try {
          const st = await fs.lstat(entryPath);
          isDir = st.isDirectory();
          isFile = st.isFile();
          isLink = st.isSymbolicLink();
        } catch {
          continue;
        }
      }

      if (isDir) {
        if (SKIP_DIRS.has(name)) continue;
        if (excluded(rel, name, true) || isIgnored(ig, rel, true)) continue;
        if (visited.has(entryPath)) continue;
        children.push({ real: entryPath, rel, root: task.root, ig, viaLink: task.viaLink });
      } else if (isFile) {
        if (!isDockerfileName(name)) {
          if (options.alsoCollect?.(rel) && !excluded(rel, name, false) && !isIgnored(ig, rel, false)) others.push(entryPath);
          continue;
        }
        if (excluded(rel, name, false) || isIgnored(ig, rel, false)) continue;
        candidates.push({ path: display(task, rel), root: task.root, real: entryPath, viaLink: task.viaLink });
      } else if (isLink) {
        if (SKIP_DIRS.has(name)) continue;
        const dockerName = isDockerfileName(name);
        let target: string;
        let st: nodeFs.Stats;
        try {
          target = await fs.realpath(entryPath);
          st = await fs.stat(target);
        } catch (err) {
          if (dockerName && !excluded(rel, name, false) && !isIgnored(ig, rel, false)) {
            problems.push({
              path: display(task, rel),
              message: errCode(err) === "ELOOP" ? "symlink loop" : "broken symlink",
            });
          }
          continue;
        }
        if (st.isDirectory()) {
          if (excluded(rel, name, true) || isIgnored(ig, rel, true)) continue;
          if (!inside(target)) {
            problems.push({ path: display(task, rel), message: PROBLEM_OUTSIDE });
            continue;
          }
          pendingLinks.push({ real: target, rel, root: task.root, ig, viaLink: true, display: display(task, rel) });
        } else if (st.isFile()) {
          if (!dockerName) continue;
          if (excluded(rel, name, false) || isIgnored(ig, rel, false)) continue;
          if (!inside(target)) {
            problems.push({ path: display(task, rel), message: PROBLEM_OUTSIDE });
            continue;
          }
          candidates.push({ path: display(task, rel), root: task.root, real: target, viaLink: true });
        }
      }
    }
    return children;
  }

  /** Walk a tree from `start` (not following folder links: those go to pendingLinks). */
  async function walk(start: DirTask): Promise<void> {
    if (visited.has(start.real)) return;
    visited.add(start.real);
    const queue: DirTask[] = [start];
    let active = 0;
    await new Promise<void>((resolve, reject) => {
      const pump = (): void => {
        if (queue.length === 0 && active === 0) {
          resolve();
          return;
        }
        while (active < CONCURRENCY && queue.length > 0) {
          const task = queue.pop()!;
          active++;
          processDir(task).then((children) => {
            active--;
            for (const c of children) {
              // Each real folder is reached once without links; the check guards
              // against folders already walked from another root or link.
              if (visited.has(c.real)) continue;
              visited.add(c.real);
              queue.push(c);
            }
            pump();
          }, reject);
        }
      };
      pump();
    });
  }

  // 2. The given folders, in the order given.
  for (const root of rootDirs) {
    await walk({ real: root.real, rel: "", root: root.display, ig: null, viaLink: false });
  }

  // 3. Folder links that stay inside, in path order (batch by batch: links found
  //    behind links come in the next batch), each real folder once.
  while (pendingLinks.length > 0) {
    const batch = pendingLinks.splice(0).sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
    for (const link of batch) await walk(link);
  }

  // 4. One entry per real file: prefer a path without links, then the smallest path.
  const byReal = new Map<string, Candidate>();
  for (const c of candidates) {
    const prev = byReal.get(c.real);
    if (
      !prev ||
      (prev.viaLink && !c.viaLink) ||
      (prev.viaLink === c.viaLink && byPath(c, prev) < 0)
    ) {
      byReal.set(c.real, c);
    }
  }
  const files = [...byReal.values()].map(({ path: p, root }) => ({ path: p, root })).sort(byPath);
  // Two different real files cannot share a display path, but a given file listed twice can.
  const unique = files.filter((f, i) => i === 0 || f.path !== files[i - 1]!.path);
  problems.sort((a, b) => byPath(a, b) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
  const problemsUnique = problems.filter(
    (p, i) => i === 0 || p.path !== problems[i - 1]!.path || p.message !== problems[i - 1]!.message,
  );
  return { files: unique, problems: problemsUnique, others: [...new Set(others)].sort() };
}
