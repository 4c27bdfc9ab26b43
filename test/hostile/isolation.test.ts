/**
 * Hostile repositories against the batch: a file that exhausts its time or memory budget fails
 * alone (the other files are rewritten, the call sites migrated, the summary printed, exit 2); a
 * signal ends a run stuck on such a file within about a second; a reader that closes stdout
 * early (`| head -c 10`) never stops --write halfway, and no stack trace is printed.
 * Every case: nothing outside repo/ touched, no canary in any output, a time bound.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { CRAFTED, withCanary } from "./crafted.js";
import { canary, hostileTree, REPO_ROOT, runCli, spawnCli, type CliRun, type HostileTree } from "./harness.js";

let tree: HostileTree;
afterEach(() => tree?.cleanup());

const costs: string[] = [];
afterAll(() => console.log(`hostile/isolation (ms, peak MB):\n${costs.join("\n")}`));
function record(name: string, run: CliRun): void {
  costs.push(`  ${name}: ${Math.round(run.ms)} ms, ${run.maxRssMb === null ? "?" : run.maxRssMb.toFixed(0)} MB`);
}

const ARG_TOKEN = "FROM node:22\nARG NPM_TOKEN\nRUN npm ci\n";
const MAKEFILE = "build:\n\tdocker build --build-arg NPM_TOKEN=$(NPM_TOKEN) -t api svc03\n";
const MAKEFILE_AFTER = "build:\n\tdocker build --secret id=npm_token,env=NPM_TOKEN -t api svc03\n";
/** Seconds of analysis on any machine: 25,000 credential files, each read by its own RUN. */
const SLOW = "many-secret-copies";
/** Needs well over 48 MB of heap. */
const HUNGRY = "long-line";
const STACK_TRACE = /\n\s+at .+:\d+:\d+\)?\n|Error: |node:internal/;

/** A repository of normal Dockerfiles around one crafted file, a Makefile calling one of them. */
function batchAround(crafted: string, value: string): { normal: string[]; crafted: string } {
  const normal: string[] = [];
  for (let i = 0; i < 11; i++) {
    if (i === 5) continue;
    normal.push(tree.file(`svc${String(i).padStart(2, "0")}/Dockerfile`, ARG_TOKEN));
  }
  const path = tree.file("svc05/Dockerfile", withCanary(CRAFTED[crafted](), value));
  tree.file("Makefile", MAKEFILE);
  return { normal, crafted: path };
}

function expectNoLeak(run: CliRun, values: string[]): void {
  for (const v of values) expect(run.stdout + run.stderr).not.toContain(v);
  expect(run.stderr).not.toMatch(STACK_TRACE);
}

describe("hostile repositories: one file over its budget fails alone", () => {
  it.each([
    ["time", SLOW, { UNBAKE_FILE_TIMEOUT_MS: "1000" }, "took longer than 1 s; not handled"],
    ["memory", HUNGRY, { UNBAKE_FILE_MEMORY_MB: "48", UNBAKE_FILE_TIMEOUT_MS: "60000" }, "needed more than 48 MB; not handled"],
  ] as const)("%s: the others are rewritten, the call site migrated, the summary printed, exit 2", (kind, crafted, env, message) => {
    tree = hostileTree();
    const value = canary(kind);
    const outsideValue = canary("out");
    tree.outsideFile("token", `${outsideValue}\n`);
    const files = batchAround(crafted, value);
    const craftedBefore = readFileSync(files.crafted, "utf8");
    const before = tree.snapshotOutside();

    const run = runCli(["--write", "."], { cwd: tree.repo, env, timeoutMs: 60_000 });
    record(`${kind} budget, --write over 11 files`, run);
    expect(run.timedOut).toBe(false);
    expect(run.ms).toBeLessThan(kind === "time" ? 15_000 : 40_000);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(`svc05/Dockerfile: error: ${message}\n`);
    for (const p of files.normal) expect(readFileSync(p, "utf8")).toContain("RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci");
    expect(readFileSync(files.crafted, "utf8")).toBe(craftedBefore);
    expect(readFileSync(join(tree.repo, "Makefile"), "utf8")).toBe(MAKEFILE_AFTER);
    expect(run.stdout).toMatch(/^unbake: 11 files, 10 changed, \d+ findings, 1 error, call sites: 1 changed, 0 for a person \(written\)$/m);
    expectNoLeak(run, [value, outsideValue]);
    expect(tree.snapshotOutside()).toEqual(before);
  });

  it("a call-site file over its budget (a compose file of 1 MiB) fails alone; the Makefile is still migrated", () => {
    tree = hostileTree();
    const value = canary("cs");
    tree.file("svc03/Dockerfile", ARG_TOKEN);
    tree.file("Makefile", MAKEFILE);
    let compose = `# ${value}\nservices:\n`;
    for (let i = 0; compose.length < 1_000_000; i++) compose += `  s${i}:\n    build:\n      context: svc03\n      args:\n        NPM_TOKEN: \${NPM_TOKEN}\n`;
    tree.file("compose.yaml", compose);
    const before = tree.snapshotOutside();
    const run = runCli(["--write", "."], { cwd: tree.repo, env: { UNBAKE_FILE_TIMEOUT_MS: "1000" }, timeoutMs: 60_000 });
    record("time budget, a compose file of 1 MiB among the call sites", run);
    expect(run.timedOut).toBe(false);
    expect(run.ms).toBeLessThan(15_000);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^compose\.yaml\n +error: took longer than 1 s; not handled$/m);
    expect(readFileSync(join(tree.repo, "compose.yaml"), "utf8")).toBe(compose);
    expect(readFileSync(join(tree.repo, "Makefile"), "utf8")).toBe(MAKEFILE_AFTER);
    expect(readFileSync(join(tree.repo, "svc03/Dockerfile"), "utf8")).toContain("--mount=type=secret,id=npm_token");
    expectNoLeak(run, [value]);
    expect(tree.snapshotOutside()).toEqual(before);
  });

  it("check: the file over its budget is an error in every format; the others are reported", () => {
    tree = hostileTree();
    const value = canary("chk");
    batchAround(SLOW, value);
    for (const format of ["stylish", "json", "sarif", "github", "markdown"]) {
      const run = runCli(["check", "--format", format, "."], { cwd: tree.repo, env: { UNBAKE_FILE_TIMEOUT_MS: "1000" }, timeoutMs: 60_000 });
      record(`time budget, check --format ${format}`, run);
      expect(run.timedOut).toBe(false);
      expect(run.ms).toBeLessThan(15_000);
      expect(run.code).toBe(2);
      expect(run.stdout).toContain("took longer than 1 s; not handled");
      expect(run.stdout).toContain("svc10/Dockerfile");
      expectNoLeak(run, [value]);
    }
  });
});

describe("hostile repositories: signals while a file is being analysed", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("%s ends a run stuck on a huge file within about a second; exit 130", async (signal) => {
    tree = hostileTree();
    const value = canary("sig");
    tree.outsideFile("profile", `export API_TOKEN=${value}\n`);
    const normal = tree.file("a/Dockerfile", ARG_TOKEN);
    const stuck = tree.file("b/Dockerfile", withCanary(CRAFTED[SLOW](), value));
    const stuckBefore = readFileSync(stuck, "utf8");
    const before = tree.snapshotOutside();
    const cli = spawnCli(["--write", "."], { cwd: tree.repo, timeoutMs: 60_000 });
    // The first file is written quickly; then the run is busy with the second for seconds.
    const deadline = Date.now() + 20_000;
    while (!readFileSync(normal, "utf8").includes("--mount") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    const sent = performance.now();
    cli.child.kill(signal);
    const run = await cli.done;
    const afterSignal = performance.now() - sent;
    record(`${signal} during a stuck file (after the signal: ${Math.round(afterSignal)} ms)`, run);
    expect(run.timedOut).toBe(false);
    expect(afterSignal).toBeLessThan(1_500);
    expect(run.code).toBe(130);
    expect(run.stderr).toContain("interrupted");
    expect(readFileSync(normal, "utf8")).toContain("--mount=type=secret,id=npm_token");
    expect(readFileSync(stuck, "utf8")).toBe(stuckBefore);
    expectNoLeak(run, [value]);
    expect(tree.snapshotOutside()).toEqual(before);
  });
});

describe("hostile repositories: a signal while a call-site file is being rewritten", () => {
  it("SIGTERM ends the run within about a second; exit 130; the build file is as it was", async () => {
    tree = hostileTree();
    const value = canary("sigcs");
    const dockerfile = tree.file("svc03/Dockerfile", ARG_TOKEN);
    let compose = `# ${value}\nservices:\n`;
    for (let i = 0; compose.length < 1_000_000; i++) compose += `  s${i}:\n    build:\n      context: svc03\n      args:\n        NPM_TOKEN: \${NPM_TOKEN}\n`;
    tree.file("compose.yaml", compose);
    const before = tree.snapshotOutside();
    const cli = spawnCli(["--write", "."], { cwd: tree.repo, timeoutMs: 60_000 });
    const deadline = Date.now() + 20_000;
    while (!readFileSync(dockerfile, "utf8").includes("--mount") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 500));
    const sent = performance.now();
    cli.child.kill("SIGTERM");
    const run = await cli.done;
    const afterSignal = performance.now() - sent;
    record(`SIGTERM while a 1 MiB compose file is rewritten (after the signal: ${Math.round(afterSignal)} ms)`, run);
    expect(run.timedOut).toBe(false);
    expect(afterSignal).toBeLessThan(1_500);
    expect(run.code).toBe(130);
    expect(run.stderr).toContain("unbake: interrupted while migrating call sites");
    expect(readFileSync(join(tree.repo, "compose.yaml"), "utf8")).toBe(compose);
    expectNoLeak(run, [value]);
    expect(tree.snapshotOutside()).toEqual(before);
  });
});

describe("hostile repositories: a reader that closes stdout early", () => {
  const FILES = 400;
  const input = (i: number) => `FROM node:22\nARG NPM_TOKEN\nWORKDIR /srv/app${i}\nRUN npm ci\n# ${"padding ".repeat(20)}\n`;

  it.each([
    ["--write, text", ["--write", "."]],
    ["--write, json", ["--write", "--format", "json", "."]],
  ])("%s | head -c 10: every file is still written, exit 141, no stack trace", async (_, args) => {
    tree = hostileTree();
    const paths = Array.from({ length: FILES }, (_, i) => tree.file(`s${String(i).padStart(3, "0")}/Dockerfile`, input(i)));
    const before = tree.snapshotOutside();
    const run = await spawnCli(args, { cwd: tree.repo, dropStdoutAfter: 10, timeoutMs: 60_000 }).done;
    record(`${args.join(" ")} | head -c 10, ${FILES} files`, run);
    expect(run.timedOut).toBe(false);
    expect(run.ms).toBeLessThan(30_000);
    expect(run.code).toBe(141);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    for (const p of paths) expect(readFileSync(p, "utf8")).toContain("RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci");
    expect(tree.snapshotOutside()).toEqual(before);
  });

  it("check | head -c 10: exit 141, no stack trace", async () => {
    tree = hostileTree();
    for (let i = 0; i < FILES; i++) tree.file(`s${String(i).padStart(3, "0")}/Dockerfile`, input(i));
    const run = await spawnCli(["check", "--format", "json", "."], { cwd: tree.repo, dropStdoutAfter: 10, timeoutMs: 60_000 }).done;
    record(`check --format json | head -c 10, ${FILES} files`, run);
    expect(run.timedOut).toBe(false);
    expect(run.code).toBe(141);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  it("a reader that reads everything: the usual exit status", async () => {
    tree = hostileTree();
    tree.file("Dockerfile", ARG_TOKEN);
    const run = await spawnCli(["."], { cwd: tree.repo, timeoutMs: 60_000 }).done;
    expect(run.code).toBe(1);
  });
});

describe("a worker that cannot start", () => {
  it("stops the run with a message on stderr and exit 2, not in silence", () => {
    tree = hostileTree();
    // A copy of the built CLI whose worker module throws as it loads.
    const cli = join(tree.base, "cli");
    mkdirSync(join(cli, "bin"), { recursive: true });
    cpSync(join(REPO_ROOT, "dist"), join(cli, "dist"), { recursive: true });
    cpSync(join(REPO_ROOT, "bin", "unbake.js"), join(cli, "bin", "unbake.js"));
    cpSync(join(REPO_ROOT, "package.json"), join(cli, "package.json"));
    symlinkSync(join(REPO_ROOT, "node_modules"), join(cli, "node_modules"));
    appendFileSync(join(cli, "dist", "cli", "worker.js"), '\nthrow new Error("broken worker");\n');
    tree.file("Dockerfile", "FROM alpine\nARG NPM_TOKEN\nRUN npm ci\n");
    const r = spawnSync(process.execPath, [join(cli, "bin", "unbake.js"), "."], { cwd: tree.repo, encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^unbake: error: .+; the run stopped$/m);
  });
});
