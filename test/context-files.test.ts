/**
 * Batch mode reads the build-context files a tool fills from its environment (pip requirements,
 * maven settings.xml, .npmrc) for the analysis, through the same gate as every repository read.
 */
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readContextFiles } from "../src/cli/context-files.js";
import { withDirs } from "../src/cli/safe-file.js";

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
