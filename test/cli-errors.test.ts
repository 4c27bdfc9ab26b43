/**
 * A file the pipeline cannot handle (here: a parser failure, injected) gets a one-line error with
 * its path and stays untouched.
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

// Files are analysed on worker threads, which the mock does not reach: the file's own step is
// tested here, and test/hostile/isolation.test.ts shows a failing file among others in a real batch.
const { processFile } = await import("../src/cli/process-file.js");
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("a file the pipeline cannot handle", () => {
  it("is reported with its path and left untouched", async () => {
    dir = mkdtempSync(join(tmpdir(), "unbake-errors-"));
    const broken = "FROM a\nRUN BREAK-THE-PARSER\nARG NPM_TOKEN\n";
    mkdirSync(join(dir, "a"));
    writeFileSync(join(dir, "a", "Dockerfile"), broken);
    const options = { write: true, mountStyle: "auto" as const, showSecrets: false, color: false, cwd: dir, emit: ["docker" as const] };
    const r = await processFile(join(dir, "a", "Dockerfile"), options);
    expect(r.report.path).toBe("a/Dockerfile");
    expect(r.report.error).toBe("cannot be handled: unexpected token at line 2");
    expect(r.report.changed).toBe(false);
    expect(readFileSync(join(dir, "a", "Dockerfile"), "utf8")).toBe(broken);
  });
});
