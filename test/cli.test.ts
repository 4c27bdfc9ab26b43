/**
 * The command as a user runs it: dry run, --write, formats, exit codes, batches with broken
 * files, and secret values kept out of every output.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";

const NPM = "FROM node:22\nARG NPM_TOKEN\nWORKDIR /app\nCOPY package.json .npmrc ./\nRUN npm ci && rm -f .npmrc\n";
const CANARY = "ghp_" + "C4nary0000000000000000000000000000000A";
const HARDCODED = `FROM alpine\nENV GITHUB_TOKEN=${CANARY}\nRUN wget --header "Authorization: token $GITHUB_TOKEN" https://api.github.com/x\n`;
const CLEAN = "FROM alpine\nRUN echo hello\n";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "unbake-cli-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], cwd = dir) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s) },
    cwd,
    env: {},
  });
  return { code, stdout, stderr };
}

function file(rel: string, content: string | Buffer) {
  const p = join(dir, rel);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, content);
  return p;
}

describe("dry run (the default)", () => {
  it("prints a diff git apply accepts, the secrets and the build command, and writes nothing", async () => {
    const p = file("svc/Dockerfile", NPM);
    const r = await run(["svc"]);
    expect(r.code).toBe(1);
    expect(readFileSync(p, "utf8")).toBe(NPM);
    expect(existsSync(join(dir, "svc/.dockerignore"))).toBe(false);
    expect(r.stdout).toContain("+RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN --mount=type=secret,id=npmrc,target=/app/.npmrc,required=true npm ci\n");
    expect(r.stdout).toContain("docker build --secret id=npm_token,env=NPM_TOKEN --secret id=npmrc,src=.npmrc .");
    expect(r.stdout).toMatch(/unbake: 1 file, 1 to change, 2 findings, 0 errors/);

    const patch = (await run(["--format", "diff", "svc"])).stdout;
    execFileSync("git", ["init", "-q"], { cwd: dir });
    execFileSync("git", ["apply", "--check", "-"], { cwd: dir, input: patch });
    execFileSync("git", ["apply", "-"], { cwd: dir, input: patch });
    expect(readFileSync(p, "utf8")).toContain("--mount=type=secret,id=npmrc");
    expect(readFileSync(join(dir, "svc/.dockerignore"), "utf8")).toBe(".npmrc\n");
  });

  it("exits 0 with nothing to do", async () => {
    file("Dockerfile", CLEAN);
    const r = await run(["."]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1 file, 0 to change, 0 findings, 0 errors/);
  });
});

describe("--write", () => {
  it("rewrites in place, updates .dockerignore, keeps the mode, and a second run finds nothing", async () => {
    const p = file("Dockerfile", NPM);
    file(".dockerignore", "node_modules\n");
    chmodSync(p, 0o640);
    const r = await run(["--write", "."]);
    expect(r.code).toBe(0);
    const written = readFileSync(p, "utf8");
    expect(written).toBe(
      "# syntax=docker/dockerfile:1\nFROM node:22\nWORKDIR /app\nCOPY package.json ./\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN --mount=type=secret,id=npmrc,target=/app/.npmrc,required=true npm ci\n",
    );
    expect(statSync(p).mode & 0o777).toBe(0o640);
    expect(readFileSync(join(dir, ".dockerignore"), "utf8")).toBe("node_modules\n.npmrc\n");
    const again = await run(["--write", "."]);
    expect(again.code).toBe(0);
    expect(readFileSync(p, "utf8")).toBe(written);
  });

  it("prefers <Dockerfile>.dockerignore when it exists", async () => {
    file("app.Dockerfile", NPM);
    file("app.Dockerfile.dockerignore", "*.md");
    file(".dockerignore", "x\n");
    await run(["--write", "."]);
    expect(readFileSync(join(dir, "app.Dockerfile.dockerignore"), "utf8")).toBe("*.md\n.npmrc\n");
    expect(readFileSync(join(dir, ".dockerignore"), "utf8")).toBe("x\n");
  });

  it("exits 1 when findings it cannot fix remain", async () => {
    file("Dockerfile", "FROM alpine\nARG NPM_TOKEN\nRUN echo \"//r/:_authToken=${NPM_TOKEN}\" > /root/.npmrc && npm ci\n");
    const r = await run(["--write", "."]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("run-writes-secret");
  });

  it("keeps CRLF, BOM and a missing final newline byte for byte", async () => {
    const input = "\uFEFFFROM node:22\r\n# keep me\r\nARG NPM_TOKEN\r\nRUN npm ci";
    const p = file("Dockerfile", input);
    await run(["--write", "."]);
    expect(readFileSync(p).toString("latin1")).toBe(
      Buffer.from("\uFEFF# syntax=docker/dockerfile:1\r\nFROM node:22\r\n# keep me\r\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci").toString("latin1"),
    );
  });
});

describe("batches with files that cannot be handled", () => {
  it("reports each with its path, leaves it untouched, goes on, and exits 2", async () => {
    const good = file("a/Dockerfile", NPM);
    const binary = file("b/Dockerfile", Buffer.from([0x46, 0x52, 0x00, 0x01]));
    const latin1 = file("c/Dockerfile", Buffer.from("FROM alpine\nLABEL x=\xe9\n", "latin1"));
    const big = file("d/Dockerfile", "FROM alpine\n" + "# pad\n".repeat(200_000));
    const r = await run(["--write", ".", "missing-dir"]);
    expect(r.code).toBe(2);
    expect(readFileSync(good, "utf8")).toContain("--mount=type=secret");
    expect(r.stdout).toContain("b/Dockerfile: error: binary file");
    expect(r.stdout).toContain("c/Dockerfile: error: not valid UTF-8");
    expect(r.stdout).toContain("d/Dockerfile: error: larger than 1 MiB");
    expect(r.stdout).toMatch(/missing-dir: error: no such file or directory/);
    expect(readFileSync(binary)).toEqual(Buffer.from([0x46, 0x52, 0x00, 0x01]));
    expect(readFileSync(latin1).toString("latin1")).toBe("FROM alpine\nLABEL x=\xe9\n");
    expect(statSync(big).size).toBeGreaterThan(1024 * 1024);
    expect(r.stdout).toMatch(/4 errors/);
  });

  it("lists errors in JSON with the contract's field names", async () => {
    file("a/Dockerfile", NPM);
    file("b/Dockerfile", Buffer.from([0, 1, 2]));
    const r = await run(["--format", "json", "."]);
    const report = JSON.parse(r.stdout);
    expect(r.code).toBe(2);
    expect(report.summary).toEqual({ files: 2, changed: 1, findings: 2, errors: 1 });
    const [a, b] = report.files;
    expect(a).toMatchObject({ path: "a/Dockerfile", changed: true, commands: { docker: expect.stringContaining("--secret") } });
    expect(a.findings[0]).toMatchObject({ rule: "secret-arg-env", line: 2, status: "fixed" });
    expect(a.secrets).toEqual([
      { id: "npm_token", source: { type: "env", name: "NPM_TOKEN" }, usage: "build" },
      { id: "npmrc", source: { type: "file", path: ".npmrc" }, usage: "build", target: "/app/.npmrc" },
    ]);
    expect(b).toMatchObject({ path: "b/Dockerfile", changed: false, error: "binary file (contains NUL bytes)" });
  });
});

describe("secret values never reach the output", () => {
  it.each(["text", "diff", "json"])("--format %s hides a hard-coded token, --show-secrets shows it", async (format) => {
    file("Dockerfile", HARDCODED);
    const hidden = await run(["--format", format, "."]);
    expect(hidden.stdout + hidden.stderr).not.toContain(CANARY);
    expect(hidden.stdout).toContain(format === "json" ? "\"hardcoded\": true" : "***");
    const shown = await run(["--format", format, "--show-secrets", "."]);
    if (format !== "json") expect(shown.stdout).toContain(CANARY);
  });
});

describe("options", () => {
  it("--exclude skips matching paths", async () => {
    file("keep/Dockerfile", NPM);
    file("testdata/Dockerfile", NPM);
    const r = await run(["--format", "json", "--exclude", "**/testdata/**", "."]);
    expect(JSON.parse(r.stdout).files.map((f: { path: string }) => f.path)).toEqual(["keep/Dockerfile"]);
  });

  it("--context makes the build command and src= paths relative to it", async () => {
    file("svc/api/Dockerfile", "FROM node:22\nCOPY svc/api/.npmrc /root/.npmrc\nRUN npm ci\n");
    const r = await run(["--format", "json", "--context", ".", "svc/api/Dockerfile"]);
    expect(JSON.parse(r.stdout).files[0].commands.docker).toBe(
      "docker build -f svc/api/Dockerfile --secret id=npmrc,src=svc/api/.npmrc .",
    );
  });

  it("--mount-style file uses file mounts only", async () => {
    file("Dockerfile", "FROM alpine\nARG API_TOKEN\nRUN curl -H \"X: $API_TOKEN\" https://x\n");
    const r = await run(["--format", "diff", "--mount-style", "file", "."]);
    expect(r.stdout).toContain(
      '+RUN --mount=type=secret,id=api_token export API_TOKEN="$(cat /run/secrets/api_token)" && curl -H "X: $API_TOKEN" https://x',
    );
  });

  it("--emit gives each builder's configuration, in text and JSON", async () => {
    file("Dockerfile", NPM);
    const r = await run(["--format", "json", "--emit", "docker,bake,compose,gha,podman", "."]);
    const commands = JSON.parse(r.stdout).files[0].commands;
    expect(Object.keys(commands)).toEqual(["docker", "bake", "compose", "gha", "podman"]);
    expect(commands.bake).toContain('secret     = ["id=npm_token,env=NPM_TOKEN", "id=npmrc,src=.npmrc"]');
    expect(commands.compose).toContain("environment: NPM_TOKEN");
    const text = (await run(["--emit", "compose", "."])).stdout;
    expect(text).toContain("  compose (in .):\n    services:\n");
    expect((await run(["--emit", "docker,kaniko", "."])).code).toBe(2);
  });

  it("--report writes a Markdown report of the batch, naming hard-coded secrets but never their values", async () => {
    file("a/Dockerfile", NPM);
    file("b/Dockerfile", HARDCODED);
    file("c/Dockerfile", CLEAN);
    const r = await run(["--report", "migration.md", "."]);
    expect(r.stdout).toContain("migration report written to migration.md");
    const md = readFileSync(join(dir, "migration.md"), "utf8");
    expect(md).toContain("## `a/Dockerfile`");
    expect(md).toContain("## `b/Dockerfile`");
    expect(md).toContain("GITHUB_TOKEN");
    expect(md).not.toContain(CANARY);
  });

  it("a secret left in place (used by LABEL) is listed as unfixed and in no build command", async () => {
    file("Dockerfile", "FROM alpine\nARG DEPLOY_TOKEN\nLABEL token=$DEPLOY_TOKEN\nRUN ./deploy $DEPLOY_TOKEN\n");
    const report = JSON.parse((await run(["--format", "json", "."])).stdout).files[0];
    expect(report.changed).toBe(false);
    expect(report.secrets).toEqual([{ id: "deploy_token", source: { type: "env", name: "DEPLOY_TOKEN" }, usage: "build", unfixed: true }]);
    expect(report.commands).toEqual({});
  });

  it("rejects a bad option with exit 2", async () => {
    expect((await run(["--format", "yaml"])).code).toBe(2);
    expect((await run(["--bogus"])).code).toBe(2);
  });
});

describe("the README's first command", () => {
  it("previews a change for every bundled example and writes nothing", async () => {
    const examples = join(import.meta.dirname, "..", "examples");
    const before = ["seed-python", "seed-node", "npm-token"].map((d) => readFileSync(join(examples, d, "Dockerfile"), "utf8"));
    const r = await run(["--format", "json", examples], join(import.meta.dirname, ".."));
    const report = JSON.parse(r.stdout);
    expect(report.files.map((f: { path: string; changed: boolean }) => [f.path, f.changed])).toEqual([
      ["examples/npm-token/Dockerfile", true],
      ["examples/seed-node/Dockerfile", true],
      ["examples/seed-python/Dockerfile", true],
    ]);
    expect(["seed-python", "seed-node", "npm-token"].map((d) => readFileSync(join(examples, d, "Dockerfile"), "utf8"))).toEqual(before);
  });
});

describe("bin/unbake.js", () => {
  it("runs from the built package", () => {
    const bin = join(import.meta.dirname, "..", "bin", "unbake.js");
    const version = spawnSync(process.execPath, [bin, "--version"], { encoding: "utf8" });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8")).version);
    file("Dockerfile", NPM);
    const r = spawnSync(process.execPath, [bin, dir], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("npm_token");
  });
});
