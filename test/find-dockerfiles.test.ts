import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inCi } from "./helpers/corpus.js";
import {
  findDockerfiles,
  isDockerfileName,
  rebaseGitignore,
  type FindFs,
} from "../src/cli/find-dockerfiles.js";

let tmp: string;
beforeEach(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "unbake-find-")));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

/** Create files (content = their path) under `base`; a key ending in "/" makes a folder. */
function tree(base: string, entries: string[] | Record<string, string>): void {
  const list = Array.isArray(entries) ? entries.map((e) => [e, e] as const) : Object.entries(entries);
  for (const [rel, content] of list) {
    const p = path.join(base, rel);
    if (rel.endsWith("/")) {
      fs.mkdirSync(p, { recursive: true });
    } else {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content);
    }
  }
}

const paths = (r: { files: { path: string }[] }): string[] => r.files.map((f) => f.path);

/** Run inside `tmp` so that relative roots read as a user would type them. */
async function inTmp<T>(fn: () => Promise<T>): Promise<T> {
  const cwd = process.cwd();
  process.chdir(tmp);
  try {
    return await fn();
  } finally {
    process.chdir(cwd);
  }
}

describe("isDockerfileName", () => {
  it.each([
    "Dockerfile",
    "dockerfile",
    "Dockerfile.prod",
    "Dockerfile.alpine-3.19",
    "dockerfile.dev",
    "api.Dockerfile",
    "base.dockerfile",
    "ubuntu-24-04.Dockerfile",
    "Containerfile",
    "Containerfile.fedora",
    "Containerfile-rhel9",
    "Dockerfile-base",
    "Dockerfile_test_arg_secret",
  ])("accepts %s", (name) => {
    expect(isDockerfileName(name)).toBe(true);
  });

  it.each([
    "Dockerfile.dockerignore",
    "api.Dockerfile.dockerignore",
    ".dockerignore",
    "Dockerfile.DOCKERIGNORE",
    "Dockerfile.",
    ".Dockerfile",
    ".dockerfile",
    "DockerfileX",
    "Dockerfile-",
    "Dockerfile_",
    "DOCKERFILE",
    "DockerFile",
    "my-dockerfile",
    "Dockerfile.md".replace("Dockerfile.md", "README.md"),
    "docker-compose.yml",
    "Dockerfile.orig",
    "Dockerfile.rej",
    "api.Dockerfile.bak",
    "Dockerfile~",
    "Containerfile.swp",
    "containerfile.txt".replace("containerfile", "Container"),
    "",
  ])("rejects %j", (name) => {
    expect(isDockerfileName(name)).toBe(false);
  });
});

describe("findDockerfiles: given paths", () => {
  it("takes a file as given, whatever its name, and reports a missing path without stopping", async () => {
    tree(tmp, ["images/web.txt", "svc/Dockerfile"]);
    const r = await inTmp(() => findDockerfiles(["images/web.txt", "nope/Dockerfile", "svc"]));
    expect(r.files).toEqual([
      { path: "images/web.txt", root: "images/web.txt" },
      { path: "svc/Dockerfile", root: "svc" },
    ]);
    expect(r.problems).toEqual([{ path: "nope/Dockerfile", message: "no such file or directory" }]);
  });

  it("joins the root as given (normalised) with the relative path", async () => {
    tree(tmp, ["repo/a/Dockerfile", "repo/Dockerfile"]);
    const rel = await inTmp(() => findDockerfiles(["./repo/"]));
    expect(rel.files).toEqual([
      { path: "repo/Dockerfile", root: "repo" },
      { path: "repo/a/Dockerfile", root: "repo" },
    ]);
    const dot = await inTmp(async () => {
      process.chdir("repo");
      return findDockerfiles(["."]);
    });
    expect(paths(dot)).toEqual(["Dockerfile", "a/Dockerfile"]);
    const abs = await findDockerfiles([path.join(tmp, "repo")]);
    expect(paths(abs)).toEqual([path.join(tmp, "repo/Dockerfile"), path.join(tmp, "repo/a/Dockerfile")]);
  });

  it("lists a file once when it is reached from several given paths", async () => {
    tree(tmp, ["repo/svc/Dockerfile", "repo/Dockerfile"]);
    const r = await inTmp(() => findDockerfiles(["repo", "repo/svc", "repo/svc/Dockerfile", "./repo/Dockerfile"]));
    expect(paths(r)).toEqual(["repo/Dockerfile", "repo/svc/Dockerfile"]);
    expect(r.problems).toEqual([]);
  });

  it("an excluded given file is skipped", async () => {
    tree(tmp, ["a/Dockerfile", "b/Dockerfile.dev"]);
    const r = await inTmp(() => findDockerfiles(["a/Dockerfile", "b/Dockerfile.dev"], { exclude: ["*.dev"] }));
    expect(paths(r)).toEqual(["a/Dockerfile"]);
  });
});

describe("findDockerfiles: the walk", () => {
  it("finds Dockerfile names recursively, skips .git and node_modules, sorts", async () => {
    tree(tmp, [
      "z/Dockerfile",
      "a/b/c/api.Dockerfile",
      "a/Containerfile",
      "a/dockerfile",
      "a/Dockerfile.dockerignore",
      "a/README.md",
      "a/Dockerfile-base",
      ".git/Dockerfile",
      "node_modules/pkg/Dockerfile",
      "x/node_modules/pkg/Dockerfile",
      ".hidden/Dockerfile",
      "B/Dockerfile.prod",
    ]);
    const r = await findDockerfiles([tmp]);
    const rel = paths(r).map((p) => path.relative(tmp, p));
    expect(rel).toEqual([
      ".hidden/Dockerfile",
      "B/Dockerfile.prod",
      "a/Containerfile",
      "a/Dockerfile-base",
      "a/b/c/api.Dockerfile",
      "a/dockerfile",
      "z/Dockerfile",
    ]);
    expect(r.problems).toEqual([]);
  });

  it("gives the same order whatever the order the filesystem lists entries in", async () => {
    tree(tmp, ["b/Dockerfile", "a/Dockerfile", "c/d/Dockerfile", "Dockerfile", "e/x.Dockerfile"]);
    const reversed: FindFs = {
      readdir: async (p, o) => (await fs.promises.readdir(p, o)).reverse(),
      readFile: (p, e) => fs.promises.readFile(p, e),
      lstat: (p) => fs.promises.lstat(p),
      stat: (p) => fs.promises.stat(p),
      realpath: (p) => fs.promises.realpath(p),
    };
    const a = await findDockerfiles([tmp]);
    const b = await findDockerfiles([tmp], {}, reversed);
    expect(b).toEqual(a);
    expect(paths(a).map((p) => path.relative(tmp, p))).toEqual([
      "Dockerfile",
      "a/Dockerfile",
      "b/Dockerfile",
      "c/d/Dockerfile",
      "e/x.Dockerfile",
    ]);
  });

  it("reports an unreadable folder and goes on", async () => {
    tree(tmp, ["ok/Dockerfile", "locked/Dockerfile", "locked/deep/Dockerfile"]);
    const locked = path.join(tmp, "locked");
    let io: FindFs | undefined;
    if (isRoot) {
      // Permission bits do not stop root: inject the failure instead.
      io = {
        readdir: async (p, o) => {
          if (p === locked) {
            const e: NodeJS.ErrnoException = new Error("EACCES: permission denied");
            e.code = "EACCES";
            throw e;
          }
          return fs.promises.readdir(p, o);
        },
        readFile: (p, e) => fs.promises.readFile(p, e),
        lstat: (p) => fs.promises.lstat(p),
        stat: (p) => fs.promises.stat(p),
        realpath: (p) => fs.promises.realpath(p),
      };
    } else {
      fs.chmodSync(locked, 0o000);
    }
    try {
      const r = await findDockerfiles([tmp], {}, io);
      expect(paths(r)).toEqual([path.join(tmp, "ok/Dockerfile")]);
      expect(r.problems).toEqual([{ path: locked, message: "cannot read folder: permission denied" }]);
    } finally {
      fs.chmodSync(locked, 0o755);
    }
  });
});

describe("findDockerfiles: .gitignore", () => {
  const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };

  /** What git itself would list (untracked, not ignored), keeping Dockerfile names only. */
  function gitListing(repo: string): string[] {
    const init = spawnSync("git", ["init", "-q", "."], { cwd: repo, env: gitEnv });
    expect(init.status).toBe(0);
    const r = spawnSync("git", ["ls-files", "-z", "--others", "--exclude-standard"], {
      cwd: repo,
      env: gitEnv,
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout
      .split("\0")
      .filter((p) => p !== "" && isDockerfileName(path.posix.basename(p)))
      .sort();
  }

  const nested = {
    ".gitignore": [
      "# comment",
      "build/",
      "/top-only.Dockerfile",
      "*.gen.Dockerfile",
      "!keep.gen.Dockerfile",
      "vendor/",
      "!vendor/Dockerfile",
      "Dockerfile.local",
      "Dockerfile.dir/",
      "docs/**/Dockerfile",
      "**/tmp/**",
      "trailing.Dockerfile   ",
    ].join("\n"),
    "Dockerfile": "",
    "top-only.Dockerfile": "",
    "a/top-only.Dockerfile": "",
    "build/Dockerfile": "",
    "x/build/Dockerfile": "",
    "x.gen.Dockerfile": "",
    "keep.gen.Dockerfile": "",
    "vendor/Dockerfile": "",
    "Dockerfile.local": "",
    "Dockerfile.dir/Dockerfile": "",
    "y/Dockerfile.dir": "",
    "docs/a/b/Dockerfile": "",
    "docs/Dockerfile.ok": "",
    "q/tmp/Dockerfile": "",
    "trailing.Dockerfile": "",
    // nested rules apply to their own subtree only, relative to their folder
    "sub/.gitignore": ["/Dockerfile.anchored", "gen/Dockerfile", "legacy", "!Dockerfile.local", "*.sub.Dockerfile"].join("\n"),
    "sub/Dockerfile.anchored": "",
    "sub/deeper/Dockerfile.anchored": "",
    "Dockerfile.anchored": "",
    "sub/gen/Dockerfile": "",
    "sub/x/gen/Dockerfile": "",
    "sub/q/legacy/Dockerfile": "",
    "legacy/Dockerfile": "",
    "sub/Dockerfile.local": "",
    "sub/deeper/Dockerfile.local": "",
    "sub/a.sub.Dockerfile": "",
    "b.sub.Dockerfile": "",
    // a deeper file re-includes what a higher one excluded
    "sub/deeper/.gitignore": "!*.gen.Dockerfile\n",
    "sub/deeper/z.gen.Dockerfile": "",
    // CRLF .gitignore, odd folder names
    "we ird/[x]/.gitignore": "Dockerfile.crlf\r\n!Dockerfile.keep\r\n",
    "we ird/[x]/Dockerfile.crlf": "",
    "we ird/[x]/Dockerfile.keep": "",
    "we ird/[x]/Dockerfile": "",
    "#hash/.gitignore": "Dockerfile\n",
    "#hash/Dockerfile": "",
    "#hash/Dockerfile.ok": "",
  };

  it("agrees with git ls-files --exclude-standard on nested rules", async () => {
    const repo = path.join(tmp, "repo");
    tree(repo, nested);
    const ours = paths(await inTmp(async () => {
      process.chdir(repo);
      return findDockerfiles(["."]);
    })).sort();
    const gits = gitListing(repo);
    expect(ours).toEqual(gits);
    // and, whatever git says, the cases the tree is built for:
    expect(ours).toEqual(
      [
        "#hash/Dockerfile.ok",
        "Dockerfile",
        "Dockerfile.anchored",
        "a/top-only.Dockerfile",
        "b.sub.Dockerfile",
        "docs/Dockerfile.ok",
        "keep.gen.Dockerfile",
        "legacy/Dockerfile",
        "sub/deeper/Dockerfile.anchored",
        "sub/deeper/Dockerfile.local",
        "sub/deeper/z.gen.Dockerfile",
        "sub/Dockerfile.local",
        "sub/x/gen/Dockerfile",
        "we ird/[x]/Dockerfile",
        "we ird/[x]/Dockerfile.keep",
        "y/Dockerfile.dir",
      ].sort(),
    );
  });

  it("does not read .gitignore files above the given root", async () => {
    tree(tmp, { ".gitignore": "sub/\nDockerfile\n", "sub/Dockerfile": "", "sub/inner/Dockerfile": "" });
    const r = await inTmp(() => findDockerfiles(["sub"]));
    expect(paths(r)).toEqual(["sub/Dockerfile", "sub/inner/Dockerfile"]);
    const fromTop = await inTmp(() => findDockerfiles(["."]));
    expect(paths(fromTop)).toEqual([]);
  });

  it("does not descend into an ignored folder", async () => {
    tree(tmp, { ".gitignore": "big/\n", "big/a/Dockerfile": "", "Dockerfile": "" });
    const read: string[] = [];
    const io: FindFs = {
      readdir: (p, o) => {
        read.push(p);
        return fs.promises.readdir(p, o);
      },
      readFile: (p, e) => fs.promises.readFile(p, e),
      lstat: (p) => fs.promises.lstat(p),
      stat: (p) => fs.promises.stat(p),
      realpath: (p) => fs.promises.realpath(p),
    };
    const r = await findDockerfiles([tmp], {}, io);
    expect(paths(r)).toEqual([path.join(tmp, "Dockerfile")]);
    expect(read).toEqual([tmp]);
  });

  it("rebaseGitignore anchors nested patterns to their folder", () => {
    expect(rebaseGitignore("a\n/b\nc/d\n!e\n# x\n\nf/\n**/g\n", "s/t")).toEqual([
      "s/t/**/a",
      "s/t/b",
      "s/t/c/d",
      "!s/t/**/e",
      "s/t/**/f/",
      "s/t/**/g",
    ]);
    expect(rebaseGitignore("x\n", "a[1]/#b")).toEqual(["a\\[1\\]/#b/**/x"]);
    expect(rebaseGitignore("x\n", "#a")).toEqual(["\\#a/**/x"]);
  });
});

describe("findDockerfiles: --exclude", () => {
  it("matches the relative path and the basename; excluded folders are not descended into", async () => {
    tree(tmp, [
      "svc/Dockerfile",
      "svc/testdata/Dockerfile",
      "svc/x/testdata/deep/Dockerfile",
      "legacy/Dockerfile",
      "apps/legacy/Dockerfile",
      "apps/web/Dockerfile.dev",
      "apps/web/Dockerfile",
      "old/api/Dockerfile",
      "old/Dockerfile",
    ]);
    const read: string[] = [];
    const io: FindFs = {
      readdir: (p, o) => {
        read.push(path.relative(tmp, p));
        return fs.promises.readdir(p, o);
      },
      readFile: (p, e) => fs.promises.readFile(p, e),
      lstat: (p) => fs.promises.lstat(p),
      stat: (p) => fs.promises.stat(p),
      realpath: (p) => fs.promises.realpath(p),
    };
    const r = await inTmp(() =>
      findDockerfiles(["."], { exclude: ["**/testdata/**", "legacy", "Dockerfile.dev", "old/api/**"] }, io),
    );
    expect(paths(r)).toEqual(["apps/web/Dockerfile", "old/Dockerfile", "svc/Dockerfile"]);
    expect(read).not.toContain("svc/testdata");
    expect(read).not.toContain("svc/x/testdata");
    expect(read).not.toContain("legacy");
    expect(read).not.toContain("apps/legacy");
    expect(read).not.toContain("old/api");
    expect(read).toContain("old");
  });

  it("a pattern with a trailing slash excludes the folder", async () => {
    tree(tmp, ["x/fixtures/Dockerfile", "fixtures/a/Dockerfile", "y/Dockerfile"]);
    const r = await inTmp(() => findDockerfiles(["."], { exclude: ["fixtures/"] }));
    expect(paths(r)).toEqual(["y/Dockerfile"]);
    const r2 = await inTmp(() => findDockerfiles(["."], { exclude: ["x/fixtures/"] }));
    expect(paths(r2)).toEqual(["fixtures/a/Dockerfile", "y/Dockerfile"]);
  });

  it("matches relative to each given root, dot files included", async () => {
    tree(tmp, ["repo/.ci/Dockerfile", "repo/app/Dockerfile"]);
    const r = await inTmp(() => findDockerfiles(["repo"], { exclude: ["*/Dockerfile"] }));
    expect(paths(r)).toEqual([]);
    const r2 = await inTmp(() => findDockerfiles(["repo"], { exclude: [".ci/**"] }));
    expect(paths(r2)).toEqual(["repo/app/Dockerfile"]);
  });
});

describe("findDockerfiles: symlinks", () => {
  it("follows links that stay inside, reports links that leave, lists each real file once", async () => {
    tree(tmp, ["outside/Dockerfile", "outside/sub/Dockerfile", "root/real/Dockerfile", "root/z-dir/Dockerfile.z"]);
    const root = path.join(tmp, "root");
    fs.symlinkSync("real/Dockerfile", path.join(root, "Dockerfile")); // same file twice
    fs.symlinkSync("../outside/Dockerfile", path.join(root, "out.Dockerfile")); // file outside
    fs.symlinkSync("../outside", path.join(root, "out-dir")); // folder outside
    fs.symlinkSync("z-dir", path.join(root, "a-link")); // folder inside, also reached directly
    fs.mkdirSync(path.join(root, "hidden"));
    fs.writeFileSync(path.join(root, "hidden", "Dockerfile.h"), "");
    fs.writeFileSync(path.join(root, ".gitignore"), "hidden/\n");
    fs.symlinkSync("hidden", path.join(root, "h-link")); // folder inside, only reachable by the link
    fs.symlinkSync("../outside/README", path.join(root, "readme-link")); // not a Dockerfile name: silent
    const r = await inTmp(() => findDockerfiles(["root"]));
    expect(paths(r)).toEqual(["root/h-link/Dockerfile.h", "root/real/Dockerfile", "root/z-dir/Dockerfile.z"]);
    expect(r.problems).toEqual([
      { path: "root/out-dir", message: "symlink leads outside the given paths" },
      { path: "root/out.Dockerfile", message: "symlink leads outside the given paths" },
    ]);
  });

  it("a link into another given path counts as inside", async () => {
    tree(tmp, ["a/Dockerfile", "b/Dockerfile"]);
    fs.symlinkSync("../b/Dockerfile", path.join(tmp, "a", "b.Dockerfile"));
    const r = await inTmp(() => findDockerfiles(["a", "b"]));
    expect(paths(r)).toEqual(["a/Dockerfile", "b/Dockerfile"]);
    expect(r.problems).toEqual([]);
    const onlyA = await inTmp(() => findDockerfiles(["a"]));
    expect(onlyA.problems).toEqual([{ path: "a/b.Dockerfile", message: "symlink leads outside the given paths" }]);
  });

  it("does not hang on symlink loops", async () => {
    tree(tmp, ["r/a/Dockerfile", "r/b/c/Dockerfile"]);
    fs.symlinkSync("..", path.join(tmp, "r", "a", "up"));
    fs.symlinkSync("../../b", path.join(tmp, "r", "b", "c", "self"));
    fs.symlinkSync(".", path.join(tmp, "r", "dot"));
    fs.symlinkSync("loop2", path.join(tmp, "r", "loop1"));
    fs.symlinkSync("loop1", path.join(tmp, "r", "loop2"));
    fs.symlinkSync("Dockerfile.l2", path.join(tmp, "r", "Dockerfile.l1"));
    fs.symlinkSync("Dockerfile.l1", path.join(tmp, "r", "Dockerfile.l2"));
    fs.symlinkSync("missing", path.join(tmp, "r", "Dockerfile.broken"));
    const r = await inTmp(() => findDockerfiles(["r"]));
    expect(paths(r)).toEqual(["r/a/Dockerfile", "r/b/c/Dockerfile"]);
    expect(r.problems).toEqual([
      { path: "r/Dockerfile.broken", message: "broken symlink" },
      { path: "r/Dockerfile.l1", message: "symlink loop" },
      { path: "r/Dockerfile.l2", message: "symlink loop" },
    ]);
  });

  it("a given path that is a symlink to a folder is walked under the given name", async () => {
    tree(tmp, ["real/x/Dockerfile"]);
    fs.symlinkSync("real", path.join(tmp, "alias"));
    const r = await inTmp(() => findDockerfiles(["alias"]));
    expect(paths(r)).toEqual(["alias/x/Dockerfile"]);
  });

  it("a given broken symlink is a problem", async () => {
    fs.symlinkSync("nowhere", path.join(tmp, "Dockerfile"));
    const r = await inTmp(() => findDockerfiles(["Dockerfile"]));
    expect(r).toEqual({ files: [], problems: [{ path: "Dockerfile", message: "broken symlink" }], others: [] });
  });

  it("a .gitignore that leads outside, is a FIFO or a device is not read: a problem, and the walk goes on", async () => {
    tree(tmp, { "outside/ignore": "Dockerfile\n", "r/a/Dockerfile": "", "r/b/Dockerfile": "", "r/c/Dockerfile": "", "r/d/Dockerfile": "" });
    fs.symlinkSync("../../outside/ignore", path.join(tmp, "r", "a", ".gitignore"));
    expect(spawnSync("mkfifo", [path.join(tmp, "r", "b", ".gitignore")]).status).toBe(0);
    fs.symlinkSync("/dev/zero", path.join(tmp, "r", "c", ".gitignore"));
    fs.symlinkSync("../a/Dockerfile", path.join(tmp, "r", "d", ".gitignore")); // inside: read
    const started = performance.now();
    const r = await inTmp(() => findDockerfiles(["r"], { alsoCollect: () => true }));
    expect(performance.now() - started).toBeLessThan(5000);
    // The outside file would have ignored a/Dockerfile: it was not applied.
    expect(paths(r)).toEqual(["r/a/Dockerfile", "r/b/Dockerfile", "r/c/Dockerfile", "r/d/Dockerfile"]);
    expect(r.problems).toEqual([
      { path: "r/a/.gitignore", message: "cannot read .gitignore: resolves outside the given paths" },
      { path: "r/b/.gitignore", message: "cannot read .gitignore: not a regular file" },
      { path: "r/c/.gitignore", message: "cannot read .gitignore: resolves outside the given paths" },
    ]);
    // A FIFO is never collected as another file either.
    expect(r.others.filter((o) => o.endsWith(".gitignore"))).toEqual([]);
  });
});

describe("findDockerfiles: speed and the corpus", () => {
  const corpus = path.resolve(import.meta.dirname, "../../shared/corpus/bench");

  /** A plain recursive listing, independent of the code under test. */
  function plainCount(dir: string): number {
    let n = 0;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) n += plainCount(path.join(dir, e.name));
      else if (e.isFile() && isDockerfileName(e.name)) n++;
    }
    return n;
  }

  it("finds as many Dockerfiles in the corpus as a plain listing", async (ctx) => {
    if (!fs.existsSync(corpus)) {
      // A fresh clone has no corpus; CI must.
      if (inCi()) throw new Error(`corpus not found at ${corpus}`);
      ctx.skip(`corpus not found at ${corpus}`);
    }
    const expected = plainCount(corpus);
    expect(expected).toBeGreaterThan(3000);
    const t0 = performance.now();
    const r = await findDockerfiles([corpus]);
    const ms = performance.now() - t0;
    console.log(`walk: ${r.files.length} files in ${ms.toFixed(0)} ms`);
    expect(r.problems).toEqual([]);
    expect(r.files.length).toBe(expected);
    expect(new Set(paths(r)).size).toBe(expected);
    expect(ms).toBeLessThan(5000);
  });

  // Creating files is slow on some disks (about 1 ms each, synchronously): the default
  // tree has 20,000 files; UNBAKE_BIG_TREE=1 makes it 100,000.
  const BIG = process.env.UNBAKE_BIG_TREE === "1";
  const DIRS = BIG ? 1000 : 200;
  it(`walks a generated tree of ${DIRS * 100} files quickly`, async () => {
    const base = path.join(tmp, "big");
    const files: string[] = [];
    let expected = 0;
    for (let d = 0; d < DIRS; d++) {
      const dir = path.join(base, `pkg${d % 10}`, `mod${d}`);
      fs.mkdirSync(dir, { recursive: true });
      for (let f = 0; f < 99; f++) files.push(path.join(dir, `file${f}.ts`));
      files.push(path.join(dir, d % 3 === 0 ? "Dockerfile" : "app.Dockerfile"));
      expected++;
      if (d % 50 === 0) {
        fs.writeFileSync(path.join(dir, ".gitignore"), "*.log\n!keep.log\n");
      }
    }
    for (let i = 0; i < files.length; i += 256) {
      await Promise.all(files.slice(i, i + 256).map((f) => fs.promises.writeFile(f, "")));
    }
    const t0 = performance.now();
    const r = await findDockerfiles([base]);
    const ms = performance.now() - t0;
    console.log(`walk: ${files.length} files, ${r.files.length} Dockerfiles in ${ms.toFixed(0)} ms`);
    expect(r.problems).toEqual([]);
    expect(r.files.length).toBe(expected);
    // about 50 ms for 20,000 files here; the bound leaves room for slow CI machines
    expect(ms).toBeLessThan(BIG ? 10_000 : 3000);
  });
});

describe("findDockerfiles: collecting other files in the same walk", () => {
  it("returns the files alsoCollect accepts, with the same exclusions and .gitignore", async () => {
    tree(tmp, ["compose.yaml", "svc/Dockerfile", "svc/Makefile", "ignored/Makefile", "vendor/x/Makefile", "README.md"]);
    fs.writeFileSync(path.join(tmp, ".gitignore"), "ignored/\n");
    const r = await findDockerfiles([tmp], { exclude: ["vendor/**"], alsoCollect: (rel) => /(^|\/)(Makefile|compose\.yaml)$/.test(rel) });
    expect(r.files.map((f) => path.relative(tmp, f.path))).toEqual(["svc/Dockerfile"]);
    expect(r.others.map((f) => path.relative(fs.realpathSync(tmp), f))).toEqual(["compose.yaml", "svc/Makefile"]);
  });
});
