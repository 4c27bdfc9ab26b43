/**
 * Hostile repositories against the cost of the analysis: Dockerfiles of up to 1 MiB crafted to
 * be slow or hungry (stage chains, ENV copy chains, ARG × RUN, deep nesting, long lines, heredocs)
 * and a configuration regex that backtracks catastrophically. Each run ends by itself within a
 * bound and a memory ceiling — handled, or a per-file error from the budget — shows no canary,
 * and touches nothing outside. The chains the issue measured (18 s, 100 s, out of heap) must be
 * handled, not just cut off; and their cost must grow linearly.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { runPipeline } from "../../src/pipeline.js";
import { CRAFTED, copyFrom, envChain, stagesFrom, withCanary } from "./crafted.js";
import { canary, hostileTree, runCli, type CliRun, type HostileTree } from "./harness.js";

let tree: HostileTree;
afterEach(() => tree?.cleanup());

const costs: string[] = [];
afterAll(() => console.log(`hostile/cost (ms, peak MB):\n${costs.join("\n")}`));

function record(name: string, run: CliRun): void {
  costs.push(`  ${name}: ${Math.round(run.ms)} ms, ${run.maxRssMb === null ? "?" : run.maxRssMb.toFixed(0)} MB`);
}

/** The default per-file time budget (10 s) plus start-up and output, with room for a loaded CI machine. */
const BOUND_MS = 20_000;
/** Main thread plus one worker at its default heap budget (256 MB) and the engine's own overhead. */
const MEMORY_MB = 450;
/** Inputs the issue measured: these must be handled, not cut off by the budget. */
const MUST_FINISH = new Set(["stages-from-1000", "stages-from-2000", "copy-from-1000", "copy-from-2000", "env-chain-40000"]);

describe("hostile repositories: crafted Dockerfiles of up to 1 MiB", () => {
  it.each(Object.keys(CRAFTED))("%s: ends within the bound, memory bounded, no canary, nothing outside touched", (name) => {
    tree = hostileTree();
    const value = canary("cost");
    const outsideValue = canary("out");
    tree.outsideFile("secrets.env", `API_TOKEN=${outsideValue}\n`);
    const text = withCanary(CRAFTED[name](), value);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024 * 1024);
    tree.file("Dockerfile", text);
    const before = tree.snapshotOutside();

    // The chains the issue measured get a budget no loaded machine reaches: they must be handled.
    const mustFinish = MUST_FINISH.has(name);
    const env = mustFinish ? { UNBAKE_FILE_TIMEOUT_MS: "30000" } : {};
    const run = runCli(["--format", "json", "."], { cwd: tree.repo, env, timeoutMs: 60_000 });
    record(name, run);
    expect(run.timedOut).toBe(false);
    expect(run.signal).toBeNull();
    expect(run.ms).toBeLessThan(mustFinish ? 40_000 : BOUND_MS);
    expect(run.maxRssMb).not.toBeNull();
    expect(run.maxRssMb!).toBeLessThan(MEMORY_MB);
    const report = JSON.parse(run.stdout);
    expect(report.summary.files).toBe(1);
    const file = report.files[0];
    if (file.error !== undefined) {
      expect(mustFinish).toBe(false);
      expect(file.error).toMatch(/^(took longer than \d+(\.\d)? s|needed more than \d+ MB); not handled$/);
      expect(run.code).toBe(2);
    } else {
      expect(file.findings.length).toBeGreaterThan(0);
      expect(run.code).toBe(1);
    }
    for (const out of [run.stdout, run.stderr]) {
      expect(out).not.toContain(value);
      expect(out).not.toContain(outsideValue);
    }
    expect(tree.snapshotOutside()).toEqual(before);
  });

  it("a name that copies two secrets (ENV X=$A_TOKEN, ENV X=$B_TOKEN) ends at once; it used to loop forever", () => {
    tree = hostileTree();
    tree.file("Dockerfile", "FROM alpine\nARG A_TOKEN\nARG B_TOKEN\nENV X=$A_TOKEN\nENV X=$B_TOKEN\nRUN echo $X\n");
    const run = runCli(["--format", "json", "."], { cwd: tree.repo, timeoutMs: 30_000 });
    record("copies of two secrets", run);
    expect(run.timedOut).toBe(false);
    expect(run.ms).toBeLessThan(5_000);
    const file = JSON.parse(run.stdout).files[0];
    expect(file.error).toBeUndefined();
    expect(file.secrets.map((s: { id: string }) => s.id)).toEqual(["a_token", "b_token"]);
  });

  it('a configuration regex that backtracks ({"secretNames": ["/^(a+)+$/"]}) against a long name ends at once', () => {
    tree = hostileTree();
    const value = canary("rx");
    tree.file("unbake.config.json", JSON.stringify({ secretNames: ["/^(a+)+$/", "/^(b|bb)+$/"] }));
    tree.file("Dockerfile", `FROM alpine\nENV API_TOKEN=${value}\nARG ${"a".repeat(100_000)}!\nARG ${"b".repeat(50_000)}!\nRUN true\n`);
    for (const args of [["--format", "json", "."], ["check", "."]]) {
      const run = runCli(args, { cwd: tree.repo, timeoutMs: 30_000 });
      record(`backtracking config regex (${args[0]})`, run);
      expect(run.timedOut).toBe(false);
      expect(run.ms).toBeLessThan(5_000);
      expect(run.code).toBe(1);
      expect(run.stdout + run.stderr).not.toContain(value);
    }
    // A pattern the linear-time engine cannot run is a configuration error, not a slow run.
    writeFileSync(join(tree.repo, "unbake.config.json"), JSON.stringify({ secretNames: ["/(a+)\\1/"] }));
    const run = runCli(["."], { cwd: tree.repo, timeoutMs: 30_000 });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain("secretNames[0]: regular expression not supported");
  });
});

describe("the analysis grows linearly", () => {
  /** Best of three: the machine's load only ever adds time. */
  const best = (text: string) => {
    let ms = Infinity;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      runPipeline(text);
      ms = Math.min(ms, performance.now() - t);
    }
    return ms;
  };

  // Linear doubles the time; the quadratic algorithms these replaced quadrupled it (and more).
  it.each([
    ["stages built FROM the one before", stagesFrom, 1000],
    ["stages copying from the one before", copyFrom, 1000],
    ["an ENV copy chain", envChain, 10_000],
  ] as const)("%s: twice the size costs less than three times the time", (_, make, n) => {
    best(make(n)); // warm up
    const one = best(make(n));
    const two = best(make(2 * n));
    expect(two / one).toBeLessThan(3);
  });
});

describe("finding messages stay short whatever the file", () => {
  it("name the first lines a secret is mounted on and count the rest", () => {
    const runs = Array.from({ length: 20 }, (_, k) => `RUN echo step${k} && test -n "$NPM_TOKEN"\n`).join("");
    const result = runPipeline(`FROM alpine\nARG NPM_TOKEN\n${runs}`, {});
    const message = result.findings.find((f) => f.rule === "secret-arg-env")!.message;
    expect(message).toContain("mounted on lines 3, 4, 5, 6, 7, 8, 9, 10 and 12 more");
    expect(message).not.toContain("22");
  });
});
