/**
 * Reads of the files a copy of the whole context brings (`COPY . /src`), in batch mode where the
 * context is known: which credential files are there (src/cli/context-paths.ts), how the
 * .dockerignore already keeps some out (src/transform/dockerignore.ts isIgnored), and the whole
 * rewrite through the CLI, twice.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { contextSecretPaths } from "../src/cli/context-paths.js";
import { withDirs } from "../src/cli/safe-file.js";
import { isIgnored } from "../src/transform/dockerignore.js";

let dir = "";
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = "";
});

function files(tree: Record<string, string>) {
  dir = mkdtempSync(join(tmpdir(), "unbake-context-copies-"));
  for (const [p, text] of Object.entries(tree)) {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
}

async function run(args: string[]) {
  let stdout = "";
  const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, cwd: dir, env: {} });
  return { code, stdout };
}

describe("isIgnored: a .dockerignore as Docker reads it", () => {
  it.each([
    [".npmrc", ".npmrc", true],
    ["/.npmrc\n", ".npmrc", true],
    ["*.npmrc", ".npmrc", true],
    ["*rc", "config/.npmrc", false],
    ["**/.npmrc", "config/.npmrc", true],
    ["config", "config/.npmrc", true],
    ["config/*\n!config/.npmrc", "config/.npmrc", false],
    ["# .npmrc\n", ".npmrc", false],
    ["  .env  \r\n", ".env", true],
    [".env.*", ".env", false],
    ["\\#secret", "#secret", true],
    ["[.]npmrc", ".npmrc", true],
    ["[^.]npmrc", ".npmrc", false],
    ["secrets/**", "secrets/a/b.json", true],
  ])("%j leaves out %s: %s", (text, path, expected) => {
    expect(isIgnored(text, path)).toBe(expected);
  });
});

describe("contextSecretPaths: the credential files a copy of the context brings", () => {
  it("lists those at the top and those a RUN names under the copy, when they are there and not ignored", () => {
    files({ ".npmrc": "x", ".env": "x", "package.json": "{}", "config/credentials.json": "{}", "config/other.json": "{}", ".dockerignore": ".env\n" });
    const roots = withDirs(undefined, [dir], []);
    const text = "FROM node\nCOPY . /src\nRUN node /src/migrate.js --credentials /src/config/credentials.json /src/config/missing.pem\n";
    expect(contextSecretPaths(text, join(dir, "Dockerfile"), dir, roots)).toEqual([".npmrc", "config/credentials.json"]);
    // A Dockerfile's own .dockerignore wins over the context's.
    writeFileSync(join(dir, "Dockerfile.dockerignore"), "config\n");
    expect(contextSecretPaths(text, join(dir, "Dockerfile"), dir, roots)).toEqual([".env", ".npmrc"]);
    // No copy of a context folder: nothing to list.
    expect(contextSecretPaths("FROM node\nCOPY package.json /src/\n", join(dir, "Dockerfile"), dir, roots)).toEqual([]);
  });

  it("leaves out a link (the copy brings the link, not what it points at)", () => {
    files({ "real/.npmrc": "x" });
    symlinkSync(join(dir, "real", ".npmrc"), join(dir, ".npmrc"));
    expect(contextSecretPaths("FROM node\nCOPY . .\n", join(dir, "Dockerfile"), dir, withDirs(undefined, [dir], []))).toEqual([]);
  });
});

describe("a copy of the whole context, rewritten by the CLI", () => {
  it("npm in the copied folder reads its .npmrc unnamed: mounted there, kept out of the copy, and a second run finds nothing", async () => {
    files({ Dockerfile: "FROM node:22-slim\nCOPY . /src\nWORKDIR /src\nRUN npm ci\n", ".npmrc": "//registry.example.com/:_authToken=x\n", "package.json": "{}" });
    const r = await run(["--write", "--quiet", "."]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "Dockerfile"), "utf8")).toBe(
      "# syntax=docker/dockerfile:1\nFROM node:22-slim\nCOPY . /src\nWORKDIR /src\nRUN --mount=type=secret,id=npmrc,target=/src/.npmrc npm ci\n",
    );
    expect(readFileSync(join(dir, ".dockerignore"), "utf8")).toBe(".npmrc\n");
    expect(r.stdout).toContain("docker build --secret id=npmrc,src=.npmrc .");
    const again = await run(["--write", "."]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("1 file, 0 changed, 0 findings, 0 errors (written)");
    expect((await run(["check", "."])).code).toBe(0);
  });

  it("COPY . . in the WORKDIR: a RUN that names config/credentials.json from there gets it mounted where the copy put it", async () => {
    files({ Dockerfile: "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN node scripts/migrate.js --credentials config/credentials.json\n", "config/credentials.json": "{}\n" });
    const r = await run(["--write", "--quiet", "."]);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "Dockerfile"), "utf8")).toContain(
      "RUN --mount=type=secret,id=credentials.json,target=/app/config/credentials.json node scripts/migrate.js --credentials config/credentials.json\n",
    );
    expect(readFileSync(join(dir, ".dockerignore"), "utf8")).toBe("config/credentials.json\n");
  });

  it("a file the .dockerignore already keeps out is not in the image: nothing to do", async () => {
    files({ Dockerfile: "FROM node:22-slim\nCOPY . /src\nWORKDIR /src\nRUN npm ci\n", ".npmrc": "x\n", ".dockerignore": "**/.npmrc\n" });
    expect((await run(["check", "."])).code).toBe(0);
  });

  it("a credential file no step reads still leaves the image: needs-review, with how to give it at run time", async () => {
    files({ Dockerfile: 'FROM node:22-slim\nWORKDIR /app\nCOPY . .\nCMD ["node", "app.js"]\n', ".env": "DB_PASSWORD=x\n" });
    const r = await run(["check", "--format", "json", "."]);
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout).files[0].findings as { status: string; message: string }[];
    expect(findings.map((f) => f.status)).toEqual(["needs-review"]);
    expect(findings[0].message).toContain("docker run --mount type=bind,src=./.env,dst=/app/.env,readonly");
  });
});
