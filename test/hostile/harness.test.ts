/**
 * The harness itself: a child that hangs is stopped and reported as timed out, peak memory is
 * measured, and a change outside is seen — so that a passing hostile case means something.
 */
import { appendFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { canary, everyOutput, hostileTree, runCli, type HostileTree } from "./harness.js";

let tree: HostileTree;
afterEach(() => tree?.cleanup());

describe("hostile-suite harness", () => {
  it("measures a normal run and sees every output's secrets", () => {
    tree = hostileTree();
    const value = canary("h");
    tree.file("Dockerfile", `FROM alpine\nENV GITHUB_TOKEN=${value}\nRUN curl -H "Authorization: token $GITHUB_TOKEN" https://api.github.com\n`);
    const r = runCli(["check", "."], { cwd: tree.repo });
    expect(r.code).toBe(1);
    expect(r.timedOut).toBe(false);
    expect(r.maxRssMb).toBeGreaterThan(10);
    const out = everyOutput(["."], { cwd: tree.repo, env: {} });
    expect(out.runs.length).toBeGreaterThan(5);
    expect(out.all).toContain("GITHUB_TOKEN");
    // --show-secrets proves a leak would be caught by the same grep.
    expect(runCli(["--show-secrets", "."], { cwd: tree.repo }).stdout).toContain(value);
    expect(out.all).not.toContain(value);
  });

  it("stops a child that outlives its bound and says it timed out", () => {
    tree = hostileTree();
    const r = runCli(["."], { cwd: tree.repo, timeoutMs: 5 });
    expect(r.timedOut).toBe(true);
    expect(r.maxRssMb).toBeNull();
  });

  it("sees a change outside the tree", () => {
    tree = hostileTree();
    const p = tree.outsideFile("profile", "export A=1\n");
    const before = tree.snapshotOutside();
    appendFileSync(p, "x\n");
    expect(tree.snapshotOutside()).not.toEqual(before);
  });
});
