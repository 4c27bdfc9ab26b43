/** The configuration file, as a user of the command meets it. */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "unbake-config-"));
  mkdirSync(join(dir, ".git"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function file(rel: string, content: string) {
  mkdirSync(join(dir, rel, ".."), { recursive: true });
  writeFileSync(join(dir, rel), content);
}
async function run(args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(["--jobs", "1", ...args], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: dir, env: {} });
  return { code, stdout, stderr };
}
const json = async (args: string[]) => JSON.parse((await run(["--format", "json", ...args])).stdout);

describe("configuration file", () => {
  it("secretNames and secretFiles add secrets the built-in rules do not know", async () => {
    file("unbake.config.json", JSON.stringify({ secretNames: ["ACME_SALT"], secretFiles: ["*.vault"] }));
    file("Dockerfile", "FROM a\nARG ACME_SALT\nCOPY app.vault /etc/app.vault\nRUN ./setup --salt $ACME_SALT --vault /etc/app.vault\n");
    const r = await json(["."]);
    expect(r.files[0].secrets.map((s: { id: string }) => s.id)).toEqual(["acme_salt", "app.vault"]);
  });

  it("allow wins over the built-in rules; ids map names to ids; mountStyle applies; rules set severity", async () => {
    file(
      ".unbakerc.json",
      JSON.stringify({ allow: { names: ["DB_PASSWORD"] }, ids: { NPM_TOKEN: "npm" }, mountStyle: "file", rules: { "secret-arg-env": "error" } }),
    );
    file("Dockerfile", "FROM a\nARG DB_PASSWORD\nARG NPM_TOKEN\nRUN npm ci\n");
    const r = await run(["--format", "diff", "."]);
    expect(r.stdout).toContain("+RUN --mount=type=secret,id=npm export NPM_TOKEN=");
    expect(r.stdout).toContain(" ARG DB_PASSWORD\n");
    const check = await run(["check", "--fail-level", "error", "."]);
    expect(check.code).toBe(1);
    const cli = await run(["--format", "diff", "--mount-style", "auto", "."]);
    expect(cli.stdout).toContain("--mount=type=secret,id=npm,env=NPM_TOKEN");
  });

  it("a rule set to off is off; exclude skips files; the nearest config wins", async () => {
    file("unbake.config.json", JSON.stringify({ rules: { "secret-arg-env": "off" } }));
    file("a/Dockerfile", "FROM a\nARG NPM_TOKEN\nRUN npm ci\n");
    file("b/package.json", JSON.stringify({ name: "b", unbake: { exclude: ["legacy"] } }));
    file("b/legacy/Dockerfile", "FROM a\nARG NPM_TOKEN\nRUN npm ci\n");
    file("b/Dockerfile", "FROM a\nARG NPM_TOKEN\nRUN npm ci\n");
    const r = await json(["."]);
    expect(r.files.map((f: { path: string; findings: unknown[] }) => [f.path, f.findings.length])).toEqual([
      ["a/Dockerfile", 0],
      ["b/Dockerfile", 1],
    ]);
  });

  it("a configuration above the given folder applies too", async () => {
    file("unbake.config.json", JSON.stringify({ rules: { "secret-arg-env": "off" } }));
    file("svc/Dockerfile", "FROM a\nARG NPM_TOKEN\nRUN npm ci\n");
    const r = await json(["svc"]);
    expect(r.files[0].findings).toEqual([]);
    const check = await run(["check", "svc"]);
    expect(check.code).toBe(0);
  });

  it("a wrong configuration is an error naming the file and the key, and its files are not touched", async () => {
    file("unbake.config.json", JSON.stringify({ secretName: ["X"], rules: { "secret-args-env": "warn" } }));
    file("Dockerfile", "FROM a\nARG NPM_TOKEN\nRUN npm ci\n");
    const r = await run(["--write", "."]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('unbake.config.json: secretName: unknown key (did you mean "secretNames"?)');
    expect(r.stdout).toMatch(/unbake\.config\.json: rules\.secret-args-env: unknown rule/);
    expect(readFileSync(join(dir, "Dockerfile"), "utf8")).toBe("FROM a\nARG NPM_TOKEN\nRUN npm ci\n");
  });
});
