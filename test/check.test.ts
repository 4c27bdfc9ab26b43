/** `unbake check`: report only, never writes; exit status from --fail-level; every format. */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";

const FIXABLE = "FROM node:22\nARG NPM_TOKEN\nRUN npm ci\n";
const MANUAL = 'FROM alpine\nRUN git clone https://bob:hunter2secret@git.acme.io/r.git\n';
/** The secret is only in a build stage: the final image takes a folder of files, never the ARG. */
const BUILDER_ONLY = "FROM node:22 AS build\nARG NPM_TOKEN\nRUN npm ci\nFROM node:22\nCOPY --from=build /app/dist /dist\n";
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
    // A secret in the shipped image is an error, fixable or not; one only a build stage held a warning.
    ["error", FIXABLE, 1],
    ["error", BUILDER_ONLY, 0],
    ["warning", BUILDER_ONLY, 1],
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
    expect(r.stdout).toMatch(/^Dockerfile\n  2:1  error  ARG NPM_TOKEN carries a secret into the image; .*secret-arg-env\n/);
    expect(r.stdout).toContain("✖ 1 problem (1 error, 0 warnings)");
  });

  it("a secret only a build stage held is a warning, and says so", async () => {
    file("Dockerfile", BUILDER_ONLY);
    const r = await run(["check", "--no-color", "."]);
    expect(r.stdout).toMatch(/^Dockerfile\n  2:1  warning  ARG NPM_TOKEN carries a secret into an intermediate build stage's layers and the build cache \(not the final image\); .*secret-arg-env\n/);
    expect(r.stdout).toContain("✖ 1 problem (0 errors, 1 warning)");
    const json = JSON.parse((await run(["check", "--format", "json", "."])).stdout);
    expect(json.files[0].findings[0]).toMatchObject({ severity: "warning", scope: "build-stages" });
    const sarif = JSON.parse((await run(["check", "--format", "sarif", "."])).stdout);
    expect(sarif.runs[0].results[0]).toMatchObject({ level: "warning", properties: { scope: "build-stages", "security-severity": "5.0" } });
  });

  it("a configuration file's severity wins over the scope's", async () => {
    file("Dockerfile", FIXABLE);
    file("unbake.config.json", JSON.stringify({ rules: { "secret-arg-env": "note" } }));
    const json = JSON.parse((await run(["check", "--format", "json", "."])).stdout);
    expect(json.files[0].findings[0]).toMatchObject({ severity: "note", scope: "image" });
    expect((await run(["check", "--fail-level", "warning", "."])).code).toBe(0);
  });

  it("sarif carries the fix, json the contract, github annotations, markdown a table", async () => {
    file("Dockerfile", FIXABLE);
    const sarif = JSON.parse((await run(["check", "--format", "sarif", "."])).stdout);
    const result = sarif.runs[0].results[0];
    expect(result.ruleId).toBe("secret-arg-env");
    expect(result.fixes[0].artifactChanges[0].artifactLocation.uri).toBe("Dockerfile");
    expect(result).toMatchObject({ level: "error", properties: { scope: "image", "security-severity": "8.0" } });
    const json = JSON.parse((await run(["check", "--format", "json", "."])).stdout);
    expect(json.files[0].findings[0]).toMatchObject({ rule: "secret-arg-env", line: 2, status: "fixed", severity: "error", scope: "image" });
    expect((await run(["check", "--format", "github", "."])).stdout).toMatch(/^::error file=Dockerfile,line=2,/);
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
