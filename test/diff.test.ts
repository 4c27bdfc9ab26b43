import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { colorizeDiff, unifiedDiff } from "../src/emit/diff.js";

const ANSI = /\x1b\[[0-9;]*m/g;
const strip = (s: string): string => s.replace(ANSI, "");

function has(cmd: string): boolean {
  const r = spawnSync(cmd, ["--version"], { encoding: "utf8" });
  return !r.error && r.status === 0;
}
const HAS_GIT = has("git");
const HAS_PATCH = has("patch");
const NO_PATCH = "patch(1) is not installed on this machine: the `patch -p1` check is skipped";
const NO_GIT = "git is not installed on this machine: the `git apply` check is skipped";

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "unbake-diff-"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

let n = 0;
/** A fresh work tree holding `rel` with `before` (absent when null), and the patch beside it. */
function setup(rel: string, before: string | null, patch: string): { dir: string; patchFile: string } {
  const base = path.join(tmp, `case-${n++}`);
  const dir = path.join(base, "tree");
  fs.mkdirSync(dir, { recursive: true });
  if (before !== null) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), before, "utf8");
  }
  const patchFile = path.join(base, "change.patch");
  fs.writeFileSync(patchFile, patch, "utf8");
  return { dir, patchFile };
}

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  if (r.error) throw r.error;
  expect(r.status, `${cmd} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
}

/** `git apply --check`, then a real `git apply`: the file must then hold `after`, byte for byte. */
function checkGit(rel: string, before: string | null, after: string, patch: string): void {
  const { dir, patchFile } = setup(rel, before, patch);
  run("git", ["init", "-q", "."], dir);
  const git = ["-c", "core.autocrlf=false", "apply"];
  run("git", [...git, "--check", patchFile], dir);
  run("git", [...git, patchFile], dir);
  expect(fs.readFileSync(path.join(dir, rel)).equals(Buffer.from(after, "utf8"))).toBe(true);
}

/** `patch -p1 --dry-run`, then a real `patch -p1`: the file must then hold `after`. */
function checkPatch(rel: string, before: string | null, after: string, patch: string): void {
  const { dir, patchFile } = setup(rel, before, patch);
  const args = ["-p1", "--batch", "--no-backup-if-mismatch", "-i", patchFile];
  run("patch", ["--dry-run", ...args], dir);
  run("patch", args, dir);
  expect(fs.readFileSync(path.join(dir, rel)).equals(Buffer.from(after, "utf8"))).toBe(true);
  expect(fs.readdirSync(path.dirname(path.join(dir, rel))).filter((f) => /\.(orig|rej)$/.test(f))).toEqual([]);
}

interface Case {
  name: string;
  rel: string;
  before: string | null;
  after: string;
  /** Something the patch text must contain. */
  contains?: string[];
}

const cases: Case[] = [
  {
    name: "LF",
    rel: "Dockerfile",
    before: "FROM alpine\nARG TOKEN\nRUN echo $TOKEN > /t\nCMD [\"sh\"]\n",
    after: "FROM alpine\nRUN --mount=type=secret,id=TOKEN cat /run/secrets/TOKEN > /dev/null\nCMD [\"sh\"]\n",
    contains: ["--- a/Dockerfile\t", "+++ b/Dockerfile\t", "-ARG TOKEN\n"],
  },
  {
    name: "CRLF kept as CRLF",
    rel: "svc/Dockerfile",
    before: "FROM alpine\r\nARG TOKEN\r\nRUN make\r\n",
    after: "FROM alpine\r\nRUN --mount=type=secret,id=TOKEN make\r\n",
    contains: ["-ARG TOKEN\r\n", "+RUN --mount=type=secret,id=TOKEN make\r\n", " FROM alpine\r\n"],
  },
  {
    name: "BOM kept, first line changed",
    rel: "Dockerfile",
    before: "\uFEFF# syntax=docker/dockerfile:1.4\nFROM alpine\nENV A=1\n",
    after: "\uFEFF# syntax=docker/dockerfile:1.10\nFROM alpine\nENV A=1\n",
    contains: ["-\uFEFF# syntax=docker/dockerfile:1.4\n", "+\uFEFF# syntax=docker/dockerfile:1.10\n"],
  },
  {
    name: "BOM and CRLF, change in the middle",
    rel: "Dockerfile",
    before: "\uFEFFFROM alpine\r\nARG NPM_TOKEN\r\nRUN npm ci\r\nCMD x\r\n",
    after: "\uFEFFFROM alpine\r\nRUN --mount=type=secret,id=npm npm ci\r\nCMD x\r\n",
    contains: [" \uFEFFFROM alpine\r\n"],
  },
  {
    name: "no final newline before, one after",
    rel: "Dockerfile",
    before: "FROM alpine\nARG TOKEN",
    after: "FROM alpine\nRUN true\n",
    contains: ["-ARG TOKEN\n\\ No newline at end of file\n"],
  },
  {
    name: "final newline before, none after",
    rel: "Dockerfile",
    before: "FROM alpine\nARG TOKEN\n",
    after: "FROM alpine\nRUN true",
    contains: ["+RUN true\n\\ No newline at end of file\n"],
  },
  {
    name: "no final newline on either side, CRLF",
    rel: "Dockerfile",
    before: "FROM alpine\r\nARG TOKEN\r\nCMD x",
    after: "FROM alpine\r\nCMD y",
    contains: ["\\ No newline at end of file\n"],
  },
  {
    name: "path with spaces",
    rel: "my services/api gateway/Dockerfile.prod",
    before: "FROM node:20\nENV NPM_TOKEN=abc\nRUN npm ci\n",
    after: "FROM node:20\nRUN --mount=type=secret,id=npm npm ci\n",
    contains: ["--- a/my services/api gateway/Dockerfile.prod\t", "+++ b/my services/api gateway/Dockerfile.prod\t"],
  },
  {
    name: "new file",
    rel: "app/.dockerignore",
    before: null,
    after: ".npmrc\n.env\n",
    contains: ["diff --git a/app/.dockerignore b/app/.dockerignore\n", "new file mode 100644\n", "--- /dev/null\t", "+++ b/app/.dockerignore\t", "+.npmrc\n"],
  },
  {
    name: "new file with spaces and no final newline",
    rel: "a dir/.dockerignore",
    before: null,
    after: ".npmrc\n.env",
    contains: ["--- /dev/null\t", "\\ No newline at end of file\n"],
  },
  {
    name: "far apart changes give two hunks",
    rel: "Dockerfile",
    before: Array.from({ length: 30 }, (_, i) => `RUN echo ${i}\n`).join(""),
    after: Array.from({ length: 30 }, (_, i) => (i === 2 || i === 25 ? `RUN echo changed ${i}\n` : `RUN echo ${i}\n`)).join(""),
  },
];

describe("unifiedDiff", () => {
  for (const c of cases) {
    describe(c.name, () => {
      const patch = unifiedDiff(c.rel, c.before, c.after, { color: false });

      it("has the expected text", () => {
        expect(patch).not.toBe("");
        expect(patch).not.toMatch(ANSI);
        for (const s of c.contains ?? []) expect(patch).toContain(s);
        if (c.before !== null) {
          expect(patch.startsWith(`--- a/${c.rel}\t`)).toBe(true);
        }
      });

      it("git apply --check accepts it and git apply gives the new bytes", (ctx) => {
        if (!HAS_GIT) ctx.skip(NO_GIT);
        checkGit(c.rel, c.before, c.after, patch);
      });

      it("patch -p1 --dry-run accepts it and patch -p1 gives the new bytes", (ctx) => {
        if (!HAS_PATCH) ctx.skip(NO_PATCH);
        checkPatch(c.rel, c.before, c.after, patch);
      });

      it("coloured output equals the plain one once ANSI codes are stripped", () => {
        const coloured = unifiedDiff(c.rel, c.before, c.after, { color: true });
        expect(coloured).not.toBe(patch);
        expect(coloured).toMatch(ANSI);
        expect(strip(coloured)).toBe(patch);
      });
    });
  }

  it.each([
    ["every other line of 3,000 changes", (i: number) => (i % 2 ? `RUN b${i}` : `ENV A${i}=1`), true],
    ["the same, and the last line loses its newline", (i: number) => (i % 2 ? `RUN b${i}` : `ENV A${i}=1`), false],
  ])("%s: one linear hunk, still exact for git apply and patch -p1", (_name, lineOf, finalNewline) => {
    const before = Array.from({ length: 3000 }, (_, i) => lineOf(i)).join("\n") + "\n";
    const kept = Array.from({ length: 3000 }, (_, i) => lineOf(i)).filter((l) => l.startsWith("RUN")).map((l) => l.replace("RUN", "RUN --x"));
    const after = ["# head", ...kept, "# tail"].join("\n") + (finalNewline ? "\n" : "");
    const started = performance.now();
    const patch = unifiedDiff("big/Dockerfile", before, after, { color: false });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(patch.match(/^@@ /gm)).toHaveLength(1);
    checkGit("big/Dockerfile", before, after, patch);
    checkPatch("big/Dockerfile", before, after, patch);
  });

  it("returns an empty string when nothing changes", () => {
    expect(unifiedDiff("Dockerfile", "FROM a\n", "FROM a\n", { color: false })).toBe("");
    expect(unifiedDiff("Dockerfile", "FROM a\r\n", "FROM a\r\n", { color: true })).toBe("");
    expect(unifiedDiff("Dockerfile", "", "", { color: false })).toBe("");
  });

  it("does not treat CRLF and LF as equal (no stripTrailingCr)", () => {
    const patch = unifiedDiff("Dockerfile", "FROM a\r\n", "FROM a\n", { color: false });
    expect(patch).toContain("-FROM a\r\n");
    expect(patch).toContain("+FROM a\n");
  });

  it("uses 3 lines of context by default and honours options.context", () => {
    const before = Array.from({ length: 20 }, (_, i) => `L${i}\n`).join("");
    const after = before.replace("L10\n", "X10\n");
    const contextLines = (p: string) => p.split("\n").filter((l) => l.startsWith(" ")).length;
    expect(contextLines(unifiedDiff("f", before, after, { color: false }))).toBe(6);
    expect(contextLines(unifiedDiff("f", before, after, { color: false, context: 0 }))).toBe(0);
    expect(contextLines(unifiedDiff("f", before, after, { color: false, context: 1 }))).toBe(2);
  });

  it("strips a leading ./ from the path", () => {
    const patch = unifiedDiff("./x/Dockerfile", "a\n", "b\n", { color: false });
    expect(patch).toContain("--- a/x/Dockerfile\t");
    expect(patch).not.toContain("a/./");
  });

  it("a new empty file gives a git creation header that git apply accepts", (ctx) => {
    const patch = unifiedDiff("e/.dockerignore", null, "", { color: false });
    expect(patch).toBe("diff --git a/e/.dockerignore b/e/.dockerignore\nnew file mode 100644\n");
    if (!HAS_GIT) ctx.skip(NO_GIT);
    checkGit("e/.dockerignore", null, "", patch);
  });
});

describe("colorizeDiff", () => {
  const RED = "\x1b[31m";
  const GREEN = "\x1b[32m";
  const CYAN = "\x1b[36m";
  const BOLD = "\x1b[1m";
  const RESET = "\x1b[0m";

  it("colours headers bold, hunk headers cyan, removed red, added green", () => {
    const patch = unifiedDiff("Dockerfile", "a\nb\nc\n", "a\nB\nc\n", { color: false });
    const lines = colorizeDiff(patch).split("\n");
    expect(lines[0]).toBe(`${BOLD}--- a/Dockerfile\tbefore${RESET}`);
    expect(lines[1]).toBe(`${BOLD}+++ b/Dockerfile\tafter${RESET}`);
    expect(lines[2]).toBe(`${CYAN}@@ -1,3 +1,3 @@${RESET}`);
    expect(lines[3]).toBe(" a");
    expect(lines[4]).toBe(`${RED}-b${RESET}`);
    expect(lines[5]).toBe(`${GREEN}+B${RESET}`);
    expect(lines[6]).toBe(" c");
    expect(lines[7]).toBe("");
  });

  it("tells a removed line `-- x` / added `++ y` from file headers", () => {
    const patch = unifiedDiff("f", "-- x\nkeep\n", "++ y\nkeep\n", { color: false });
    expect(patch).toContain("\n--- x\n");
    expect(patch).toContain("\n+++ y\n");
    const coloured = colorizeDiff(patch);
    expect(coloured).toContain(`${RED}--- x${RESET}`);
    expect(coloured).toContain(`${GREEN}+++ y${RESET}`);
    expect(strip(coloured)).toBe(patch);
  });

  it("keeps the no-newline marker and CRs intact", () => {
    const patch = unifiedDiff("f", "a\r\nb", "a\r\nc", { color: false });
    const coloured = colorizeDiff(patch);
    expect(coloured).toContain("\n\\ No newline at end of file\n");
    expect(coloured).toContain(`${RED}-b${RESET}`);
    expect(strip(coloured)).toBe(patch);
  });

  it("colours several concatenated file patches", () => {
    const p1 = unifiedDiff("a/Dockerfile", "x\n", "y\n", { color: false });
    const p2 = unifiedDiff("b/.dockerignore", null, ".env\n", { color: false });
    const coloured = colorizeDiff(p1 + p2);
    expect(strip(coloured)).toBe(p1 + p2);
    expect(coloured).toContain(`${BOLD}diff --git a/b/.dockerignore b/b/.dockerignore${RESET}`);
    expect(coloured).toContain(`${BOLD}--- /dev/null\tbefore${RESET}`);
    expect(coloured).toContain(`${GREEN}+.env${RESET}`);
  });

  it("leaves an empty patch empty", () => {
    expect(colorizeDiff("")).toBe("");
  });
});
