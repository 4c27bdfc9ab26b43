/**
 * A file the pipeline cannot handle (here: a parser failure, injected) gets a one-line error with
 * its path and stays untouched, and the batch goes on with exit status 2.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

vi.mock("../src/pipeline.js", async (original) => {
  const real = await original<typeof import("../src/pipeline.js")>();
  return {
    ...real,
    runPipeline: (text: string, options: object) => {
      if (text.includes("BREAK-THE-PARSER")) throw new Error("unexpected token at line 2");
      return real.runPipeline(text, options);
    },
  };
});

const { main } = await import("../src/cli/main.js");
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("a file the pipeline cannot handle", () => {
  it("is reported with its path and left untouched; the batch goes on", async () => {
    dir = mkdtempSync(join(tmpdir(), "unbake-errors-"));
    const broken = "FROM a\nRUN BREAK-THE-PARSER\nARG NPM_TOKEN\n";
    mkdirSync(join(dir, "a"));
    mkdirSync(join(dir, "b"));
    writeFileSync(join(dir, "a", "Dockerfile"), broken);
    writeFileSync(join(dir, "b", "Dockerfile"), "FROM a\nARG NPM_TOKEN\nRUN npm ci\n");
    let stdout = "";
    const code = await main(["--write", "--jobs", "1", "."], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, cwd: dir, env: {} });
    expect(code).toBe(2);
    expect(stdout).toContain("a/Dockerfile: error: cannot be handled: unexpected token at line 2\n");
    expect(readFileSync(join(dir, "a", "Dockerfile"), "utf8")).toBe(broken);
    expect(readFileSync(join(dir, "b", "Dockerfile"), "utf8")).toContain("--mount=type=secret,id=npm_token");
  });
});
