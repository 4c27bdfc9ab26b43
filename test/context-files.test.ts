/**
 * Batch mode reads the build-context files a tool fills from its environment (pip requirements,
 * maven settings.xml, .npmrc) for the analysis, through the same gate as every repository read.
 */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readContextFiles } from "../src/cli/context-files.js";
import { withDirs } from "../src/cli/safe-file.js";
import { canary, hostileTree, runCli, type HostileTree } from "./hostile/harness.js";

const root = mkdtempSync(join(tmpdir(), "unbake-context-files-"));
const context = join(root, "ctx");
const outside = join(root, "outside");
mkdirSync(join(context, "deploy"), { recursive: true });
mkdirSync(outside);
writeFileSync(join(context, "requirements.txt"), "--index-url https://__token__:${PIP_TOKEN}@pypi.example.com/simple\n");
writeFileSync(join(context, "deploy", "settings.xml"), "<password>${env.MAVEN_PASSWORD}</password>\n");
writeFileSync(join(context, "README.md"), "not read\n");
writeFileSync(join(outside, "requirements-dev.txt"), "${SHOULD_NOT_BE_READ}\n");
symlinkSync(join(outside, "requirements-dev.txt"), join(context, "requirements-dev.txt"));
writeFileSync(join(context, "constraints.txt"), "x".repeat(300 * 1024));
const roots = withDirs(undefined, [context], []);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("readContextFiles", () => {
  it("reads the COPY sources a tool expands, not other files", () => {
    const files = readContextFiles("FROM x\nARG T\nCOPY requirements.txt deploy/settings.xml README.md /app/\n", context, roots);
    expect(Object.keys(files).sort()).toEqual(["deploy/settings.xml", "requirements.txt"]);
    expect(files["requirements.txt"]).toContain("${PIP_TOKEN}");
  });

  it("looks at the context's top for COPY . ., and leaves out a link leading outside and a file over the cap", () => {
    const files = readContextFiles("FROM x\nENV T=$T\nCOPY . .\n", context, roots);
    expect(Object.keys(files)).toEqual(["requirements.txt"]);
  });

  it("reads nothing for a Dockerfile without ARG or ENV", () => {
    expect(readContextFiles("FROM x\nCOPY requirements.txt .\n", context, roots)).toEqual({});
  });
});

describe("readContextFiles: credential files, whose content decides what they are", () => {
  const dir = join(root, "creds");
  mkdirSync(join(dir, "conf"), { recursive: true });
  writeFileSync(join(dir, "pip.conf"), "[global]\ntrusted-host = pypi.org\n");
  writeFileSync(join(dir, "conf", "registry"), "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n");
  mkdirSync(join(dir, "conf dir"));
  writeFileSync(join(dir, "conf dir", "settings.xml"), "<settings/>\n");
  writeFileSync(join(dir, "notes.txt"), "not read\n");
  const credRoots = withDirs(undefined, [dir], []);

  it("reads a credential file's source without any ARG or ENV, by its name or by where a lone source lands, also in JSON form", () => {
    const files = readContextFiles('FROM x\nCOPY pip.conf notes.txt /etc/\nCOPY conf/registry /root/.npmrc\nCOPY ["conf dir/settings.xml", "/root/.m2/"]\n', dir, credRoots);
    expect(Object.keys(files).sort()).toEqual(["conf dir/settings.xml", "conf/registry", "pip.conf"]);
  });

  it("reads nothing for a COPY from a stage or an image", () => {
    expect(readContextFiles("FROM x\nCOPY --from=build pip.conf /etc/\nCOPY --chown=1 --from=alpine conf/registry /root/.npmrc\n", dir, credRoots)).toEqual({});
  });

  it("leaves out globs, variables, URLs and folders", () => {
    const files = readContextFiles("FROM x\nCOPY *.conf $F https://x/pip.conf /etc/\nCOPY .ssh /root/.ssh\n", dir, credRoots);
    expect(files).toEqual({});
  });
});

describe("batch mode on hostile credential files: nothing read, no hang, the name rule stands", () => {
  let tree: HostileTree | undefined;
  afterAll(() => tree?.cleanup());

  it("a pip.conf without credentials is left alone; a FIFO, a 100 MB file and a link outside are not read and are mounted by name", () => {
    tree = hostileTree();
    const secret = canary("ctx");
    tree.outsideFile("npmrc", `//registry.npmjs.org/:_authToken=${secret}\n`);
    tree.file("clean/Dockerfile", "FROM python:3.12\nCOPY pip.conf /etc/pip.conf\nRUN pip install -r requirements.txt\n");
    tree.file("clean/pip.conf", "[global]\nindex-url = https://pypi.org/simple\ntrusted-host = pypi.org\n");
    tree.file("hostile/Dockerfile", "FROM node:22\nCOPY .npmrc pip.conf settings.xml /root/\nRUN npm ci && pip install x && mvn -B package\n");
    symlinkSync(join(tree.outside, "npmrc"), join(tree.repo, "hostile", ".npmrc"));
    expect(spawnSync("mkfifo", [join(tree.repo, "hostile", "pip.conf")]).status).toBe(0);
    tree.file("hostile/settings.xml", "");
    truncateSync(join(tree.repo, "hostile", "settings.xml"), 100 * 1024 * 1024);
    const run = runCli(["--format", "json", "."], { cwd: tree.repo, timeoutMs: 20_000 });
    expect(run.timedOut).toBe(false);
    expect(run.stdout + run.stderr).not.toContain(secret);
    const report = JSON.parse(run.stdout) as { files: { path: string; findings: { rule: string }[]; secrets: { source: { path?: string }; hardcoded?: boolean }[] }[] };
    const byPath = new Map(report.files.map((f) => [f.path, f]));
    expect(byPath.get("clean/Dockerfile")?.findings ?? []).toEqual([]);
    const hostile = byPath.get("hostile/Dockerfile")!;
    expect(hostile.secrets.map((s) => s.source.path).sort()).toEqual([".npmrc", "pip.conf", "settings.xml"]);
    // Not read: nothing says the linked file holds a literal credential.
    expect(hostile.secrets.some((s) => s.hardcoded)).toBe(false);
  });
});
