/** `unbake check`: report only, never writes; exit status from --fail-level; every format. */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";

const FIXABLE = "FROM node:22\nARG NPM_TOKEN\nRUN npm ci\n";
const MANUAL = 'FROM alpine\nRUN git clone https://bob:hunter2secret@example.com/r.git\n';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "unbake-check-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function file(rel: string, content: string | Buffer) {
  mkdirSync(join(dir, rel, ".."), { recursive: true });
  writeFileSync(join(dir, rel), content);
}
async function run(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: dir, env: {} });
  return { code, stdout, stderr };
}

describe("unbake check", () => {
  it("never writes", async () => {
    file("Dockerfile", FIXABLE);
    await run(["check", "."]);
    expect(readFileSync(join(dir, "Dockerfile"), "utf8")).toBe(FIXABLE);
  });

  it.each([
    ["warning", FIXABLE, 1],
    ["error", FIXABLE, 0],
    ["error", MANUAL, 1],
    ["note", "FROM alpine\nRUN make\n", 0],
  ])("--fail-level %s", async (level, text, expected) => {
    file("Dockerfile", text);
    expect((await run(["check", "--fail-level", level, "."])).code).toBe(expected);
  });

  it("exits 2 when a file cannot be handled", async () => {
    file("Dockerfile", Buffer.from([0, 1, 2]));
    const r = await run(["check", "."]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("binary file");
  });

  it("stylish by default, with the rule and a summary", async () => {
    file("Dockerfile", FIXABLE);
    const r = await run(["check", "--no-color", "."]);
    expect(r.stdout).toMatch(/^Dockerfile\n  2:1  warning  ARG NPM_TOKEN .*secret-arg-env\n/);
    expect(r.stdout).toContain("✖ 1 problem (0 errors, 1 warning)");
  });

  it("sarif carries the fix, json the contract, github annotations, markdown a table", async () => {
    file("Dockerfile", FIXABLE);
    const sarif = JSON.parse((await run(["check", "--format", "sarif", "."])).stdout);
    const result = sarif.runs[0].results[0];
    expect(result.ruleId).toBe("secret-arg-env");
    expect(result.fixes[0].artifactChanges[0].artifactLocation.uri).toBe("Dockerfile");
    const json = JSON.parse((await run(["check", "--format", "json", "."])).stdout);
    expect(json.files[0].findings[0]).toMatchObject({ rule: "secret-arg-env", line: 2, status: "fixed" });
    expect((await run(["check", "--format", "github", "."])).stdout).toMatch(/^::warning file=Dockerfile,line=2,/);
    expect((await run(["check", "--format", "markdown", "."])).stdout).toContain("| 2:1 |");
  });

  it("never shows a hard-coded value, in any format", async () => {
    file("Dockerfile", MANUAL);
    for (const format of ["stylish", "json", "sarif", "github", "markdown"]) {
      const r = await run(["check", "--format", format, "."]);
      expect(r.stdout + r.stderr).not.toContain("hunter2secret");
    }
  });
});

describe("unbake rules / explain", () => {
  it("lists every rule and explains one", async () => {
    const rules = await run(["rules"]);
    expect(rules.stdout).toContain("secret-file-copy");
    const explain = await run(["explain", "secret-file-copy"]);
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain("Before:");
    expect((await run(["explain", "nope"])).code).toBe(2);
  });
});
