/**
 * Hostile repositories against the files unbake reads and writes: links that lead outside the
 * given paths (a shell profile, /proc/self/environ, /dev/zero), FIFOs, a COPY path that would
 * inject .dockerignore lines, bytes that are not UTF-8, editor leftovers, a write that fails.
 * Every case: nothing outside repo/ read or touched, no canary in any output, a time bound.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { canary, everyOutput, hostileTree, runCli, runCliWithFileSizeLimit, type CliRun, type HostileTree } from "./harness.js";

let tree: HostileTree;
afterEach(() => tree?.cleanup());

/** Every crafted input's cost, printed for the record (the closing note of the issue quotes them). */
function record(name: string, run: CliRun): void {
  console.log(`hostile/files ${name}: ${Math.round(run.ms)} ms, ${run.maxRssMb === null ? "?" : run.maxRssMb.toFixed(0)} MB`);
}

const BOUND_MS = 20_000;

/** A Dockerfile whose rewrite wants a .dockerignore line, so the .dockerignore is read and written. */
const COPY_NPMRC = "FROM node:22\nCOPY package.json .npmrc ./\nRUN npm ci\n";
/** A Dockerfile whose rewrite removes --build-arg NPM_TOKEN, so call sites are read and rewritten. */
const ARG_TOKEN = "FROM node:22\nARG NPM_TOKEN\nRUN npm ci\n";
const MAKEFILE = "build:\n\tdocker build --build-arg NPM_TOKEN=$(NPM_TOKEN) -t api .\n";
const MAKEFILE_AFTER = "build:\n\tdocker build --secret id=npm_token,env=NPM_TOKEN -t api .\n";

function mkfifo(path: string): void {
  const r = spawnSync("mkfifo", [path]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
}

/** The run ended by itself, in time. */
function expectBounded(run: CliRun, ms = BOUND_MS): void {
  expect(run.timedOut).toBe(false);
  expect(run.signal).toBeNull();
  expect(run.ms).toBeLessThan(ms);
}

describe("hostile repositories: the files unbake reads and writes", () => {
  it("a .dockerignore linked to a shell profile outside: not read, not written, an error names it", () => {
    tree = hostileTree();
    const secret = canary("prof");
    tree.outsideFile("profile", `export API_TOKEN=${secret}\nalias ls='ls --color'\n`);
    tree.file("Dockerfile", COPY_NPMRC);
    tree.file(".npmrc", "//registry.npmjs.org/:_authToken=stand-in\n");
    symlinkSync(join(tree.outside, "profile"), join(tree.repo, ".dockerignore"));
    const before = tree.snapshotOutside();

    const out = everyOutput(["."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    for (const { run } of out.runs) expectBounded(run);
    expect(out.all).not.toContain(secret);
    expect(out.all).not.toContain("alias ls");

    const write = runCli(["--write", "."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    record("dockerignore-link-to-profile --write", write);
    expectBounded(write);
    expect(write.stdout).toContain("cannot update .dockerignore: .dockerignore: resolves outside the given paths; the Dockerfile is left as it was");
    expect(write.stdout).toContain("unbake: 1 file, 0 changed, 1 finding, 1 error (written)");
    expect(write.code).toBe(2);
    expect(readFileSync(join(tree.repo, "Dockerfile"), "utf8")).toBe(COPY_NPMRC);
    expect(write.stdout + write.stderr).not.toContain(secret);
    expect(tree.snapshotOutside()).toEqual(before);
  });

  it("a .dockerignore linked to /proc/self/environ: the environment is never printed", () => {
    tree = hostileTree();
    const secret = canary("env");
    tree.file("Dockerfile", COPY_NPMRC);
    tree.file(".npmrc", "x\n");
    symlinkSync("/proc/self/environ", join(tree.repo, ".dockerignore"));
    const env = { CI_JOB_TOKEN: secret };
    const out = everyOutput(["."], { cwd: tree.repo, env, timeoutMs: BOUND_MS });
    for (const { run } of out.runs) expectBounded(run);
    record("dockerignore-link-to-environ", out.runs[0]!.run);
    expect(out.all).toContain("resolves outside the given paths");
    expect(out.all).not.toContain(secret);
    expect(out.all).not.toContain("CI_JOB_TOKEN");
    const write = runCli(["--write", "--format", "json", "."], { cwd: tree.repo, env, timeoutMs: BOUND_MS });
    expectBounded(write);
    expect(write.stdout + write.stderr).not.toContain(secret);
  });

  it("a .dockerignore and a .gitignore that are FIFOs: the run ends, each named with its reason", () => {
    tree = hostileTree();
    tree.file("Dockerfile", COPY_NPMRC);
    tree.file(".npmrc", "x\n");
    mkfifo(join(tree.repo, ".dockerignore"));
    mkdirSync(join(tree.repo, "sub"));
    tree.file("sub/Dockerfile", ARG_TOKEN);
    mkfifo(join(tree.repo, "sub", ".gitignore"));
    // FIFOs named like a call site and a Dockerfile: never opened.
    mkfifo(join(tree.repo, "sub", "Makefile"));
    mkfifo(join(tree.repo, "sub", "build.sh"));
    mkfifo(join(tree.repo, "Dockerfile.prod"));
    const before = tree.snapshotOutside();
    for (const args of [["."], ["--write", "."], ["check", "."]]) {
      const run = runCli(args, { cwd: tree.repo, timeoutMs: BOUND_MS });
      record(`fifo ${args.join(" ")}`, run);
      expectBounded(run);
      const all = run.stdout + run.stderr;
      expect(all).toContain("sub/.gitignore");
      expect(all).toContain("cannot read .gitignore: not a regular file");
      if (args[0] !== "check") expect(all).toContain("cannot update .dockerignore: .dockerignore: not a regular file");
    }
    expect(tree.snapshotOutside()).toEqual(before);
  });

  it("a .dockerignore, a .gitignore and a Makefile linked to /dev/zero: bounded time and memory", () => {
    tree = hostileTree();
    tree.file("Dockerfile", COPY_NPMRC);
    tree.file(".npmrc", "x\n");
    tree.file("api/Dockerfile", "FROM node:22\nARG NPM_TOKEN\nCOPY .npmrc ./\nRUN npm ci\n");
    symlinkSync("/dev/zero", join(tree.repo, ".dockerignore"));
    symlinkSync("/dev/zero", join(tree.repo, ".gitignore"));
    symlinkSync("/dev/zero", join(tree.repo, "api", "Makefile"));
    symlinkSync("/dev/zero", join(tree.repo, "api", "Dockerfile.dockerignore"));
    for (const args of [["."], ["--write", "."]]) {
      const run = runCli(args, { cwd: tree.repo, timeoutMs: BOUND_MS });
      record(`dev-zero ${args.join(" ")}`, run);
      expectBounded(run);
      expect(run.maxRssMb).not.toBeNull();
      expect(run.maxRssMb!).toBeLessThan(300);
      expect(run.stdout).toContain(".gitignore: error: cannot read .gitignore: resolves outside the given paths");
      expect(run.stdout).toContain("cannot update .dockerignore: .dockerignore: resolves outside the given paths");
      expect(run.stdout).toContain("cannot update .dockerignore: api/Dockerfile.dockerignore: resolves outside the given paths");
    }
  });

  it("a Makefile and a compose file linked outside: not rewritten, the files outside untouched and unread", () => {
    tree = hostileTree();
    const secret = canary("mk");
    tree.outsideFile("Makefile", `# ${secret}\n${MAKEFILE}`);
    tree.outsideFile("compose.yaml", `# ${secret}\nservices:\n  api:\n    build:\n      context: .\n      args:\n        NPM_TOKEN: \${NPM_TOKEN}\n`);
    tree.file("Dockerfile", ARG_TOKEN);
    symlinkSync(join(tree.outside, "Makefile"), join(tree.repo, "Makefile"));
    symlinkSync(join(tree.outside, "compose.yaml"), join(tree.repo, "compose.yaml"));
    const before = tree.snapshotOutside();
    const out = everyOutput(["."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    for (const { run } of out.runs) expectBounded(run);
    expect(out.all).not.toContain(secret);
    expect(out.all).not.toContain("a/Makefile");
    expect(out.all).not.toContain("a/compose.yaml");
    const write = runCli(["--write", "."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    record("callsite-links-outside --write", write);
    expectBounded(write);
    expect(write.stdout + write.stderr).not.toContain(secret);
    expect(readFileSync(join(tree.repo, "Dockerfile"), "utf8")).toContain("--mount=type=secret,id=npm_token,env=NPM_TOKEN");
    expect(tree.snapshotOutside()).toEqual(before);
  });

  it("a Dockerfile that is a link to a file outside: not read", () => {
    tree = hostileTree();
    const marker = `OUTSIDE_${canary("df").slice(4)}`;
    tree.outsideFile("Dockerfile", `FROM node:22\nARG NPM_TOKEN\nRUN echo ${marker} && npm ci\n`);
    symlinkSync(join(tree.outside, "Dockerfile"), join(tree.repo, "Dockerfile"));
    tree.file("svc/Dockerfile", ARG_TOKEN);
    const before = tree.snapshotOutside();
    const out = everyOutput(["."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    for (const { run } of out.runs) expectBounded(run);
    record("dockerfile-link-outside", out.runs[0]!.run);
    expect(out.all).not.toContain(marker);
    expect(out.all).toContain("Dockerfile: error: symlink leads outside the given paths");
    // The other Dockerfile is handled: the refusal is per file.
    expect(out.all).toContain("svc/Dockerfile");
    const write = runCli(["--write", "."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    expectBounded(write);
    expect(tree.snapshotOutside()).toEqual(before);
  });

  it('a JSON-form COPY with "\\n!" in its path: no line of it reaches the .dockerignore, the path is reported', () => {
    tree = hostileTree();
    tree.file("Dockerfile", 'FROM node:22\nCOPY ["keep\\n!secrets/.npmrc", "/root/.npmrc"]\nRUN npm ci\n');
    tree.file(".dockerignore", "secrets\n");
    const run = runCli(["--write", "."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    record("copy-newline-negation --write", run);
    expectBounded(run);
    expect(readFileSync(join(tree.repo, ".dockerignore"), "utf8")).toBe("secrets\n");
    // The path is quoted on one line: its newline is shown as \n, not printed.
    expect(run.stdout).toContain('not added to .dockerignore (no pattern matches exactly that path; exclude it by hand): "keep\\n!secrets/.npmrc"');
    expect(run.stdout.split("\n").some((l) => l.startsWith("!secrets"))).toBe(false);
    expect(run.code).toBe(2);
  });

  it("a configuration file linked outside: not read, the Dockerfiles under it not handled", () => {
    tree = hostileTree();
    const secret = canary("cfg");
    // Read, it would be an unknown key, which an error message names.
    tree.outsideFile("config.json", JSON.stringify({ [secret]: true }));
    tree.file("Dockerfile", ARG_TOKEN);
    symlinkSync(join(tree.outside, "config.json"), join(tree.repo, ".unbakerc.json"));
    const before = tree.snapshotOutside();
    const out = everyOutput(["."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    for (const { run } of out.runs) {
      expectBounded(run);
      expect(run.code).toBe(2);
    }
    record("config-link-outside", out.runs[0]!.run);
    expect(out.all).not.toContain(secret);
    expect(out.all).toContain(".unbakerc.json: cannot read: resolves outside the given paths");
    const write = runCli(["--write", "."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    expectBounded(write);
    expect(readFileSync(join(tree.repo, "Dockerfile"), "utf8")).toBe(ARG_TOKEN);
    expect(tree.snapshotOutside()).toEqual(before);
  });

  it("a configuration file that is a FIFO, or a package.json linked to /dev/zero: the run ends, each named", () => {
    tree = hostileTree();
    tree.file("a/Dockerfile", ARG_TOKEN);
    tree.file("b/Dockerfile", ARG_TOKEN);
    tree.file("c/Dockerfile", ARG_TOKEN);
    mkfifo(join(tree.repo, "a", ".unbakerc.json"));
    symlinkSync("/dev/zero", join(tree.repo, "b", "package.json"));
    mkfifo(join(tree.repo, "c", "package.json"));
    // A regular config elsewhere, so that the lookups run for every folder.
    tree.file("d/unbake.config.json", "{}");
    tree.file("d/Dockerfile", ARG_TOKEN);
    const run = runCli(["check", "."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    record("config-fifo-and-dev-zero check", run);
    expectBounded(run);
    expect(run.maxRssMb!).toBeLessThan(300);
    expect(run.stderr).toContain("a/.unbakerc.json: cannot read: not a regular file");
    expect(run.stderr).toContain("b/package.json: cannot read: resolves outside the given paths");
    expect(run.stderr).toContain("c/package.json: cannot read: not a regular file");
    expect(run.code).toBe(2);
  });

  it("--report at a path where the repository put a link to a file outside: refused, the file outside untouched", () => {
    tree = hostileTree();
    tree.outsideFile("bashrc", "export PATH=/usr/bin\n");
    tree.file("Dockerfile", ARG_TOKEN);
    symlinkSync(join(tree.outside, "bashrc"), join(tree.repo, "report.md"));
    const before = tree.snapshotOutside();
    const run = runCli(["--report", "report.md", "."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    record("report-link-outside", run);
    expectBounded(run);
    expect(run.stderr).toContain("report.md: error: cannot write the report: resolves outside the given paths");
    expect(run.code).toBe(2);
    expect(tree.snapshotOutside()).toEqual(before);
    // A plain path anywhere, or a link beside it, is written as asked.
    symlinkSync("real-report.md", join(tree.repo, "beside.md"));
    expect(runCli(["--report", "beside.md", "."], { cwd: tree.repo, timeoutMs: BOUND_MS }).code).toBe(1);
    expect(readFileSync(join(tree.repo, "real-report.md"), "utf8")).toContain("Dockerfile");
  });

  it("a Makefile, a compose file and a .dockerignore that are not UTF-8: every byte outside the edits kept", () => {
    // Each file twice: with ASCII placeholders, and with the same placeholders as bytes that are
    // not UTF-8 (0xff, lone continuation bytes, latin1 letters) — the edits must be the same, and
    // every other byte as it was.
    const swaps: [string, Buffer][] = [
      ["QQ1", Buffer.from([0xff, 0xfe, 0x80])],
      ["QQ2", Buffer.from([0x80, 0xbf, 0x9b])],
      ["QQ3", Buffer.from([0x63, 0x61, 0x66, 0xe9])],
    ];
    const hostile = (ascii: string): Buffer => {
      let buf = Buffer.from(ascii, "utf8");
      for (const [from, to] of swaps) {
        for (let i = buf.indexOf(from); i >= 0; i = buf.indexOf(from)) buf = Buffer.concat([buf.subarray(0, i), to, buf.subarray(i + from.length)]);
      }
      return buf;
    };
    const files: Record<string, string> = {
      Makefile: "# QQ1 build\r\nIMAGE = QQ3\r\n\r\nbuild:\r\n\tdocker build --build-arg NPM_TOKEN=$(NPM_TOKEN) -t QQ2 .\r\n# after QQ1\r\n",
      "compose.yaml":
        "# QQ1\r\nservices:\r\n  api:\r\n    image: QQ3\r\n    build:\r\n      context: .\r\n      args:\r\n        NPM_TOKEN: ${NPM_TOKEN}\r\n        LABEL: QQ2\r\n# QQ2 end\r\n",
      ".dockerignore": "# QQ1\nnode_modules\nQQ3\n",
    };
    const runIn = (asBytes: boolean): { code: number | null; files: Map<string, Buffer>; run: CliRun } => {
      tree?.cleanup();
      tree = hostileTree();
      tree.file("Dockerfile", "FROM node:22\nARG NPM_TOKEN\nCOPY .npmrc ./\nRUN npm ci\n");
      tree.file(".npmrc", "x\n");
      for (const [name, text] of Object.entries(files)) tree.file(name, asBytes ? hostile(text) : text);
      const run = runCli(["--write", "."], { cwd: tree.repo, timeoutMs: BOUND_MS });
      const out = new Map(Object.keys(files).map((n) => [n, readFileSync(join(tree.repo, n))]));
      return { code: run.code, files: out, run };
    };
    const ascii = runIn(false);
    const bytes = runIn(true);
    record("not-utf8 call sites --write", bytes.run);
    expectBounded(bytes.run);
    expect(bytes.code).toBe(ascii.code);
    for (const name of Object.keys(files)) {
      const asciiAfter = ascii.files.get(name)!.toString("utf8");
      // The rewrite did something to each file …
      expect(asciiAfter, name).not.toBe(files[name]);
      // … and the same to the file with bytes that are not UTF-8, every other byte as it was.
      expect(bytes.files.get(name)!.equals(hostile(asciiAfter)), name).toBe(true);
    }
    expect(bytes.files.get("Makefile")!.toString("latin1")).toContain("--secret id=npm_token,env=NPM_TOKEN");
    // The diffs show what they always showed: U+FFFD, never a raw C1 control such as 0x9b (CSI).
    const dry = runCli(["."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    expect(dry.stdout).not.toMatch(/[\u0080-\u009f]/);
  });

  it("editor and patch leftovers (Makefile.orig, docker-compose.yml.bak, build.sh~, #build.sh#) are not call sites", () => {
    tree = hostileTree();
    tree.file("Dockerfile", ARG_TOKEN);
    tree.file("Makefile", MAKEFILE);
    const compose = "services:\n  api:\n    build:\n      context: .\n      args:\n        NPM_TOKEN: ${NPM_TOKEN}\n";
    const script = "#!/bin/sh\ndocker build --build-arg NPM_TOKEN=\"$NPM_TOKEN\" .\n";
    const leftovers: Record<string, string> = {
      "Makefile.orig": MAKEFILE,
      "Makefile.rej": MAKEFILE,
      "docker-compose.yml.bak": compose,
      "compose.yaml.swp": compose,
      "build.sh~": script,
      "release~": script,
      "#build.sh#": script,
    };
    for (const [name, text] of Object.entries(leftovers)) tree.file(name, text);
    const run = runCli(["--write", "."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    record("leftovers --write", run);
    expectBounded(run);
    expect(readFileSync(join(tree.repo, "Makefile"), "utf8")).toBe(MAKEFILE_AFTER);
    for (const [name, text] of Object.entries(leftovers)) expect(readFileSync(join(tree.repo, name), "utf8"), name).toBe(text);
    expect(run.stdout).toContain("call sites: 1 changed");
  });

  it("a failed write is not counted as changed (Dockerfile and call site)", () => {
    tree = hostileTree();
    tree.file("Dockerfile", ARG_TOKEN);
    // The file size limit lets the small Dockerfile be written and stops the large Makefile.
    const padding = `# ${"x".repeat(200)}\n`.repeat(40);
    tree.file("Makefile", padding + MAKEFILE);
    const run = runCliWithFileSizeLimit(4, ["--write", "--format", "json", "."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    record("failed call-site write", run);
    expectBounded(run);
    const json = JSON.parse(run.stdout);
    expect(json.files[0].changed).toBe(true);
    expect(json.callSites).toEqual([expect.objectContaining({ path: "Makefile", changed: false, error: "cannot write: EFBIG" })]);
    expect(json.summary).toMatchObject({ changed: 1, errors: 1, callSites: { changed: 0, manual: 0 } });
    expect(readFileSync(join(tree.repo, "Makefile"), "utf8")).toBe(padding + MAKEFILE);
    expect(run.code).toBe(2);

    // Nothing can be written: the Dockerfile is not changed either, and says so.
    writeFileSync(join(tree.repo, "Dockerfile"), ARG_TOKEN);
    const none = runCliWithFileSizeLimit(0, ["--write", "."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    expectBounded(none);
    expect(none.stdout).toContain("Dockerfile: error: cannot write: EFBIG");
    expect(none.stdout).toContain("unbake: 1 file, 0 changed, 1 finding, 1 error (written)");
    expect(readFileSync(join(tree.repo, "Dockerfile"), "utf8")).toBe(ARG_TOKEN);
    expect(existsSync(join(tree.repo, ".dockerignore"))).toBe(false);
  });
});
