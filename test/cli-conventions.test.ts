/**
 * What a user of hadolint, ruff, ESLint and Prettier expects from the command line: stdin,
 * closed pipes, colours, configuration flags, rules off on the command line, output to a
 * file, mistyped commands, a build context checked first, and per-Dockerfile call sites in
 * the migration report.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { wantsColor } from "../src/cli/color.js";

const ROOT = join(import.meta.dirname, "..");
const BIN = join(ROOT, "bin", "unbake.js");
const NPM = "FROM node:22\nARG NPM_TOKEN\nWORKDIR /app\nCOPY package.json .npmrc ./\nRUN npm ci && rm -f .npmrc\n";
/** NPM's secrets held only by a build stage (the final image takes dist/ alone): warnings, not errors. */
const NPM_BUILDER = NPM + "FROM node:22\nCOPY --from=0 /app/dist /dist\n";
const LABEL = "FROM alpine\nARG DEPLOY_TOKEN\nLABEL token=$DEPLOY_TOKEN\nRUN ./deploy $DEPLOY_TOKEN\n";
const ESC = "\x1b[";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "unbake-conv-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], opts: { env?: NodeJS.ProcessEnv; tty?: boolean; stdin?: string | Buffer } = {}) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: opts.tty ?? false },
    stderr: { write: (s: string) => (stderr += s) },
    cwd: dir,
    env: opts.env ?? {},
    ...(opts.stdin !== undefined ? { readStdin: async () => Buffer.from(opts.stdin!) } : {}),
  });
  return { code, stdout, stderr };
}

function file(rel: string, content: string) {
  const p = join(dir, rel);
  mkdirSync(join(p, ".."), { recursive: true });
  writeFileSync(p, content);
  return p;
}

describe("mistyped commands and rules", () => {
  it("`unbake chek` is a usage error that suggests check, not a missing path", async () => {
    const r = await run(["chek"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("unbake: unknown command chek (did you mean check?); a path of that name does not exist\n");
  });

  it("a folder of that name is still a path", async () => {
    file("chek/Dockerfile", NPM);
    const r = await run(["chek"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("chek/Dockerfile");
  });

  it("`unbake help` prints the usage; `unbake help check` the command's", async () => {
    const r = await run(["help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: unbake [options] [command] [paths...]");
    const c = await run(["help", "check"]);
    expect(c.stdout).toContain("Usage: unbake check [options] [paths...]");
  });

  it("`unbake explain` with a misspelt rule suggests the rule", async () => {
    const r = await run(["explain", "secret-args-env"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("unbake: no rule named secret-args-env (did you mean secret-arg-env?) (see unbake rules)\n");
  });

  it("--help names the jobs default once", async () => {
    for (const args of [["--help"], ["check", "--help"]]) {
      const help = (await run(args)).stdout.replace(/\s+/g, " ");
      expect(help).toContain("files processed in parallel (default: the number of cores)");
      expect(help.match(/default: the number of cores/g)).toHaveLength(1);
      expect(help).not.toMatch(/cores\) \(default: \d+\)/);
    }
  });
});

describe("colours", () => {
  it("decides by flag, then FORCE_COLOR, then NO_COLOR, then the terminal", () => {
    expect(wantsColor(undefined, { isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
    expect(wantsColor(undefined, { isTTY: true }, { FORCE_COLOR: "0" })).toBe(false);
    expect(wantsColor(undefined, { isTTY: true }, { FORCE_COLOR: "false" })).toBe(false);
    expect(wantsColor(undefined, { isTTY: false }, { FORCE_COLOR: "" })).toBe(true);
    expect(wantsColor(undefined, { isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(wantsColor(undefined, { isTTY: true }, { NO_COLOR: "" })).toBe(true);
    expect(wantsColor(undefined, { isTTY: true }, {})).toBe(true);
    expect(wantsColor(undefined, { isTTY: false }, {})).toBe(false);
    expect(wantsColor(false, { isTTY: true }, { FORCE_COLOR: "1" })).toBe(false);
    expect(wantsColor(true, { isTTY: false }, { NO_COLOR: "1" })).toBe(true);
  });

  it("FORCE_COLOR=1 colours `check` into a pipe; FORCE_COLOR=0 keeps a terminal plain; --color and --no-color win", async () => {
    file("Dockerfile", NPM);
    expect((await run(["check", "."], { env: { FORCE_COLOR: "1" } })).stdout).toContain(ESC);
    expect((await run(["check", "."], { tty: true, env: { FORCE_COLOR: "0" } })).stdout).not.toContain(ESC);
    expect((await run(["check", "--color", "."])).stdout).toContain(ESC);
    expect((await run(["check", "--no-color", "."], { env: { FORCE_COLOR: "1" } })).stdout).not.toContain(ESC);
    expect((await run(["--color", "."])).stdout).toContain(`${ESC}32m+`);
    expect((await run(["--format", "json", "--color", "."])).stdout).not.toContain(ESC);
  });
});

describe("check: severities, --quiet, --max-warnings", () => {
  it("JSON findings carry the severity check reports, the configuration's when it sets one", async () => {
    file("Dockerfile", NPM_BUILDER);
    file(".unbakerc.json", JSON.stringify({ rules: { "secret-file-copy": "error" } }));
    const findings = JSON.parse((await run(["check", "--format", "json", "."])).stdout).files[0].findings;
    expect(findings.map((f: { rule: string; severity: string }) => [f.rule, f.severity])).toEqual([
      ["secret-arg-env", "warning"],
      ["secret-file-copy", "error"],
    ]);
  });

  it("a secret in the shipped image is an error, fixed or not; the same secret held only by a build stage a warning", async () => {
    file("Dockerfile", NPM);
    const severities = async () => JSON.parse((await run(["check", "--format", "json", "."])).stdout).files[0].findings.map((f: { severity: string; scope: string }) => `${f.scope}:${f.severity}`);
    expect(await severities()).toEqual(["image:error", "image:error"]);
    file("Dockerfile", NPM_BUILDER);
    expect(await severities()).toEqual(["build-stages:warning", "build-stages:warning"]);
  });

  it("-q reports errors only, and what it leaves out does not fail the run", async () => {
    file("a/Dockerfile", NPM_BUILDER);
    file("b/Dockerfile", LABEL);
    const all = await run(["check", "."]);
    expect(all.stdout).toContain("  warning  ");
    const quiet = await run(["check", "-q", "."]);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).not.toContain("  warning  ");
    expect(quiet.stdout).not.toContain("a/Dockerfile");
    expect(quiet.stdout).toContain("b/Dockerfile");
    expect(quiet.stdout).toContain("error");
    rmSync(join(dir, "b"), { recursive: true });
    const onlyWarnings = await run(["check", "-q", "."]);
    expect(onlyWarnings).toMatchObject({ code: 0, stdout: "" });
  });

  it("--max-warnings n: up to n warnings pass, one more fails; errors still fail", async () => {
    file("Dockerfile", NPM_BUILDER); // two warnings
    expect((await run(["check", "--max-warnings", "2", "."])).code).toBe(0);
    expect((await run(["check", "--max-warnings", "1", "."])).code).toBe(1);
    expect((await run(["check", "--max-warnings", "0", "."])).code).toBe(1);
    file("b/Dockerfile", LABEL);
    expect((await run(["check", "--max-warnings", "10", "."])).code).toBe(1);
    expect((await run(["check", "--max-warnings", "-1", "."])).code).toBe(2);
  });
});

describe("configuration flags", () => {
  it("--config uses that file alone, --no-config none, for both commands", async () => {
    file("svc/Dockerfile", NPM_BUILDER);
    file("svc/.unbakerc.json", JSON.stringify({ rules: { "secret-arg-env": "off" } }));
    file("strict.json", JSON.stringify({ rules: { "secret-file-copy": "error" } }));
    const rules = async (args: string[]) =>
      JSON.parse((await run(["check", "--format", "json", ...args, "svc"])).stdout).files[0].findings.map((f: { rule: string; severity: string }) => `${f.rule}:${f.severity}`);
    expect(await rules([])).toEqual(["secret-file-copy:warning"]);
    expect(await rules(["--no-config"])).toEqual(["secret-arg-env:warning", "secret-file-copy:warning"]);
    expect(await rules(["--config", "strict.json"])).toEqual(["secret-arg-env:warning", "secret-file-copy:error"]);
    const fix = await run(["--config", "strict.json", "--format", "json", "svc"]);
    expect(JSON.parse(fix.stdout).files[0].findings).toHaveLength(2);
    const bad = await run(["check", "--config", "missing.json", "svc"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("missing.json: cannot read: ENOENT");
  });

  it("--ignore switches a rule off over the configuration, and a misspelt rule is a usage error with a suggestion", async () => {
    file("Dockerfile", NPM);
    file(".unbakerc.json", JSON.stringify({ rules: { "secret-file-copy": "error" } }));
    const r = await run(["check", "--format", "json", "--ignore", "secret-file-copy", "."]);
    expect(JSON.parse(r.stdout).files[0].findings.map((f: { rule: string }) => f.rule)).toEqual(["secret-arg-env"]);
    const w = await run(["--write", "--ignore", "secret-arg-env", "."]);
    expect(w.code).toBe(0);
    expect(readFileSync(join(dir, "Dockerfile"), "utf8")).toContain("ARG NPM_TOKEN");
    const typo = await run(["check", "--ignore", "secret-arg-en", "."]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("unknown rule secret-arg-en (did you mean secret-arg-env?)");
  });

  it("--print-config shows the configuration a file gets and where it comes from; an empty nearer file is warned about", async () => {
    file(".git/HEAD", "ref: refs/heads/main\n");
    file(".unbakerc.json", JSON.stringify({ secretNames: ["ACME_SALT"] }));
    file("svc/Dockerfile", "FROM alpine\nARG ACME_SALT\nRUN make\n");
    const top = await run(["--print-config", "svc/Dockerfile"]);
    expect(top.code).toBe(0);
    expect(JSON.parse(top.stdout)).toEqual({ files: [".unbakerc.json"], config: { secretNames: ["ACME_SALT"] } });

    file("svc/.unbakerc.json", "{}\n");
    const near = await run(["--print-config", "svc/Dockerfile"]);
    expect(JSON.parse(near.stdout)).toEqual({ files: ["svc/.unbakerc.json"], config: {} });
    const warning = "svc/.unbakerc.json: warning: empty configuration: it applies alone, so no configuration file above it is used";
    expect(near.stderr).toContain(warning);
    // The batch says it too, once, and the root's secret name no longer applies.
    const c = await run(["check", "."]);
    expect(c.stderr.split(warning).length - 1).toBe(1);
    expect(c.code).toBe(0);
    // "root": false merges the root's settings again, and is no longer empty.
    file("svc/.unbakerc.json", '{ "root": false }\n');
    const merged = await run(["--print-config", "svc/Dockerfile"]);
    expect(JSON.parse(merged.stdout).files).toEqual(["svc/.unbakerc.json", ".unbakerc.json"]);
    expect(merged.stderr).toBe("");
  });

  it("-o writes stdout to a file, for both commands", async () => {
    file("Dockerfile", NPM);
    const c = await run(["check", "--format", "sarif", "-o", "out/unbake.sarif", "."]);
    expect(c.code).toBe(2); // the folder out/ does not exist: an error, said on stderr
    expect(c.stderr).toContain("out/unbake.sarif: error: cannot write the output");
    const ok = await run(["check", "--format", "sarif", "-o", "unbake.sarif", "."]);
    expect(ok.code).toBe(1);
    expect(ok.stdout).toBe("");
    expect(JSON.parse(readFileSync(join(dir, "unbake.sarif"), "utf8")).runs[0].results).toHaveLength(2);
    const fix = await run(["--output", "plan.diff", "--format", "diff", "."]);
    expect(fix.stdout).toBe("");
    expect(readFileSync(join(dir, "plan.diff"), "utf8")).toContain("-ARG NPM_TOKEN\n");
  });
});

describe("--context", () => {
  it("a context that does not exist is a usage error before anything is written", async () => {
    const p = file("svc/Dockerfile", NPM);
    const r = await run(["--write", "--context", "nope", "svc"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("unbake: --context nope: no such folder\n");
    expect(readFileSync(p, "utf8")).toBe(NPM);
    expect(existsSync(join(dir, "svc/.dockerignore"))).toBe(false);
    file("afile", "x");
    expect((await run(["check", "--context", "afile", "svc"])).stderr).toBe("unbake: --context afile: not a folder\n");
  });
});

describe("stdin", () => {
  it("`unbake -` previews the rewrite of the text on stdin; --stdin-filename names it and finds its configuration", async () => {
    const r = await run(["-"], { stdin: NPM });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("-ARG NPM_TOKEN\n");
    expect(r.stdout).toContain("docker build --secret id=npm_token,env=NPM_TOKEN --secret id=npmrc,src=.npmrc .");
    file("svc/.unbakerc.json", JSON.stringify({ ids: { NPM_TOKEN: "npm" } }));
    const named = await run(["--stdin-filename", "svc/Dockerfile", "--format", "json", "-"], { stdin: NPM });
    const report = JSON.parse(named.stdout).files[0];
    expect(report.path).toBe("svc/Dockerfile");
    expect(report.secrets.map((s: { id: string }) => s.id)).toEqual(["npm", "npmrc"]);
    expect(existsSync(join(dir, "svc/Dockerfile"))).toBe(false);
  });

  it("`unbake --write -` prints the rewritten file alone on stdout, as ruff and Prettier do, and writes nothing", async () => {
    const r = await run(["--write", "-"], { stdin: NPM });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      "# syntax=docker/dockerfile:1\nFROM node:22\nWORKDIR /app\nCOPY package.json ./\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN --mount=type=secret,id=npmrc,target=/app/.npmrc,required=true npm ci\n",
    );
    expect(r.stderr).toContain("unbake: 1 file, 1 changed, 2 findings, 0 errors (written)");
    const again = await run(["--write", "-"], { stdin: r.stdout });
    expect(again.stdout).toBe(r.stdout);
    // A file it cannot handle comes back as it was.
    const bad = await run(["--write", "-"], { stdin: Buffer.from([0x46, 0xff, 0x0a]) });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("-: error: not valid UTF-8");
  });

  it("`unbake check -` reports the text in every format; a hard-coded value stays hidden", async () => {
    const canary = "ghp_" + "C4nary0000000000000000000000000000000A";
    const text = `FROM alpine\nENV GITHUB_TOKEN=${canary}\nRUN wget --header "Authorization: token $GITHUB_TOKEN" https://x\n`;
    for (const format of ["stylish", "json", "sarif", "github", "markdown"]) {
      const r = await run(["check", "--format", format, "--stdin-filename", "web/Dockerfile", "-"], { stdin: text });
      expect(r.code, format).toBe(1);
      expect(r.stdout, format).toContain("web/Dockerfile");
      expect(r.stdout + r.stderr, format).not.toContain(canary);
    }
    const dash = await run(["check", "-"], { stdin: "FROM alpine\n" });
    expect(dash).toMatchObject({ code: 0, stdout: "" });
    expect((await run(["check", "-", "other"], { stdin: "" })).code).toBe(2);
  });

  it("the bin reads stdin, bounded like a file", () => {
    const r = spawnSync(process.execPath, [BIN, "--write", "-"], { input: NPM, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN");
    const big = spawnSync(process.execPath, [BIN, "check", "-"], { input: "# " + "x".repeat(1024 * 1024) + "\nFROM a\n", encoding: "utf8" });
    expect(big.status).toBe(2);
    expect(big.stdout + big.stderr).toContain("larger than 1 MiB");
  });
});

describe("a closed stdout", () => {
  it("`unbake --write . | head -c 1`: no stack trace, the batch finishes, exit 141", () => {
    for (let i = 0; i < 80; i++) file(`s${i}/Dockerfile`, NPM);
    const r = spawnSync("bash", ["-c", `node ${JSON.stringify(BIN)} --write . | head -c 1 >/dev/null; echo "status=\${PIPESTATUS[0]}"`], { cwd: dir, encoding: "utf8" });
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(r.stdout).toBe("status=141\n");
    for (let i = 0; i < 80; i++) expect(readFileSync(join(dir, `s${i}/Dockerfile`), "utf8"), `s${i}`).toContain("--mount=type=secret");
  });
});

describe("--report", () => {
  it("lists under each Dockerfile the call-site changes that concern it, not the whole batch's", async () => {
    file(".git/HEAD", "ref: refs/heads/main\n");
    file("api/Dockerfile", "FROM alpine\nARG API_TOKEN\nRUN ./build $API_TOKEN\n");
    file("web/Dockerfile", "FROM alpine\nARG WEB_TOKEN\nRUN ./build $WEB_TOKEN\n");
    file("build.sh", "#!/bin/sh\ndocker build --build-arg API_TOKEN=$API_TOKEN api\ndocker build --build-arg WEB_TOKEN=$WEB_TOKEN web\n");
    const r = await run(["--report", "report.md", "."]);
    expect(r.code).toBe(1);
    const md = readFileSync(join(dir, "report.md"), "utf8");
    const section = (name: string) => md.split(/^## /m).find((s) => s.startsWith(`\`${name}\``)) ?? "";
    expect(section("api/Dockerfile")).toContain("API_TOKEN");
    expect(section("api/Dockerfile")).not.toContain("WEB_TOKEN");
    expect(section("web/Dockerfile")).toContain("WEB_TOKEN");
    expect(section("web/Dockerfile")).not.toContain("API_TOKEN");
  });
});

describe("runs on part of a repository, and rule build-arg-secret", () => {
  const API = "FROM node:22\nARG NPM_TOKEN\nRUN npm ci\n";
  const SCRIPT = '#!/bin/sh\ndocker build --build-arg NPM_TOKEN="$NPM_TOKEN" -t api services/api\n';
  const COMPOSE = "services:\n  api:\n    build:\n      context: ./services/api\n      args:\n        NPM_TOKEN: ${NPM_TOKEN}   # from the shell\n        NODE_ENV: production\n";
  const WORKFLOW =
    "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: services/api\n          build-args: |\n            NPM_TOKEN=${{ secrets.NPM_TOKEN }}\n";
  const BAKE = 'target "api" {\n  context = "services/api"\n  args = {\n    NPM_TOKEN = "${NPM_TOKEN}"\n  }\n}\n';
  const repo = () => {
    file(".git/HEAD", "ref: refs/heads/main\n");
    file("services/api/Dockerfile", API);
    file("build.sh", SCRIPT);
    file("compose.yaml", COMPOSE);
    file(".github/workflows/build.yml", WORKFLOW);
    file("docker-bake.hcl", BAKE);
  };
  const NOTE = "unbake: call sites also searched in . (the repository above the given paths; --no-call-sites to skip)\n";

  it("`unbake --write services/api` migrates the builds above it, and says it looked there", async () => {
    repo();
    const r = await run(["--write", "services/api"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(NOTE);
    expect(readFileSync(join(dir, "build.sh"), "utf8")).toBe("#!/bin/sh\ndocker build --secret id=npm_token,env=NPM_TOKEN -t api services/api\n");
    expect(readFileSync(join(dir, "compose.yaml"), "utf8")).not.toContain("NPM_TOKEN: ${NPM_TOKEN}");
    expect(readFileSync(join(dir, ".github/workflows/build.yml"), "utf8")).toContain("secret-envs: |\n            npm_token=NPM_TOKEN\n");
    expect(readFileSync(join(dir, "docker-bake.hcl"), "utf8")).toContain('secret = ["id=npm_token,env=NPM_TOKEN"]');
  });

  it("a pre-commit hook's file names work the same; --no-call-sites keeps to the given paths", async () => {
    repo();
    const dry = await run(["services/api/Dockerfile"]);
    expect(dry.stdout).toContain(NOTE);
    expect(dry.stdout).toContain("+++ b/build.sh");
    const only = await run(["--write", "--no-call-sites", "services/api/Dockerfile"]);
    expect(only.stdout).not.toContain("call sites also searched");
    expect(readFileSync(join(dir, "build.sh"), "utf8")).toBe(SCRIPT);
    expect(readFileSync(join(dir, "services/api/Dockerfile"), "utf8")).toContain("--mount=type=secret,id=npm_token,env=NPM_TOKEN");
  });

  it("a link in the repository that leads outside it is refused, never read or written", async () => {
    repo();
    const outside = mkdtempSync(join(tmpdir(), "unbake-outside-"));
    try {
      writeFileSync(join(outside, "deploy.sh"), SCRIPT);
      const { symlinkSync } = await import("node:fs");
      symlinkSync(join(outside, "deploy.sh"), join(dir, "deploy.sh"));
      const r = await run(["--write", "services/api"]);
      // The walk does not follow it out of the repository: not shown, not written.
      expect(r.stdout).toContain("+++ b/build.sh");
      expect(r.stdout).not.toContain("deploy.sh");
      expect(readFileSync(join(outside, "deploy.sh"), "utf8")).toBe(SCRIPT);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("check reports each build that passes the secret, at the argument, in every format", async () => {
    repo();
    const json = await run(["check", "--format", "json", "services/api"]);
    expect(json.code).toBe(1);
    expect(json.stderr).toContain(NOTE);
    const files = JSON.parse(json.stdout).files as { path: string; findings: { rule: string; line: number; column: number; severity: string; status: string; message: string }[] }[];
    const sites = files.filter((f) => f.findings.some((x) => x.rule === "build-arg-secret"));
    const at = sites.map((f) => f.findings.map((x) => `${f.path}:${x.line}:${x.column}:${x.status}:${x.severity}`)).flat().sort();
    expect(at).toEqual([
      ".github/workflows/build.yml:10:13:fixed:warning",
      "build.sh:2:14:fixed:warning",
      "compose.yaml:6:9:fixed:warning",
      "docker-bake.hcl:4:5:fixed:warning",
    ]);
    expect(sites[0].findings[0].message).toMatch(/^build argument NPM_TOKEN passes a secret to services\/api\/Dockerfile; .*--secret id=npm_token,env=NPM_TOKEN/);

    const github = (await run(["check", "--format", "github", "services/api"])).stdout;
    expect(github).toContain("::warning file=build.sh,line=2,col=14,endLine=2,endColumn=48,title=unbake/build-arg-secret::build argument NPM_TOKEN");
    expect(github).toContain("::warning file=compose.yaml,line=6,col=9,endLine=6,endColumn=32,title=unbake/build-arg-secret::");
    const sarif = JSON.parse((await run(["check", "--format", "sarif", "services/api"])).stdout);
    const rules = sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id);
    type Result = { ruleId: string; ruleIndex: number; fixes?: unknown; locations: { physicalLocation: { artifactLocation: { uri: string }; region: unknown } }[] };
    const result = (sarif.runs[0].results as Result[]).find((x) => x.ruleId === "build-arg-secret" && x.locations[0].physicalLocation.artifactLocation.uri === "build.sh")!;
    expect(rules[result.ruleIndex]).toBe("build-arg-secret");
    expect(result.locations[0].physicalLocation.region).toEqual({ startLine: 2, startColumn: 14, endLine: 2, endColumn: 48 });
    expect(result.fixes).toBeUndefined();
    const md = (await run(["check", "--format", "markdown", "services/api"])).stdout;
    expect(md).toContain("### build.sh");
    expect(md).toContain("| 2:14 | `build-arg-secret` | warning |");
    const stylish = (await run(["check", "services/api"])).stdout;
    expect(stylish).toContain("build.sh\n  2:14  warning  build argument NPM_TOKEN");
    expect(stylish).toContain("✖ 5 problems (1 error, 4 warnings)"); // the Dockerfile's ARG is in the shipped image
  });

  it("the rule can be switched off (--ignore, configuration) and given a severity; --no-call-sites skips the repository above", async () => {
    repo();
    const count = async (args: string[]) =>
      (JSON.parse((await run(["check", "--format", "json", ...args])).stdout).files as { findings: { rule: string; severity: string }[] }[])
        .flatMap((f) => f.findings)
        .filter((f) => f.rule === "build-arg-secret")
        .map((f) => f.severity);
    expect(await count(["--ignore", "build-arg-secret", "services/api"])).toEqual([]);
    expect(await count(["--no-call-sites", "services/api"])).toEqual([]);
    expect(await count(["."])).toHaveLength(4);
    file("unbake.config.json", JSON.stringify({ rules: { "build-arg-secret": "error" } }));
    expect(await count(["."])).toEqual(["error", "error", "error", "error"]);
    file("unbake.config.json", JSON.stringify({ rules: { "build-arg-secret": "off" } }));
    expect(await count(["."])).toEqual([]);
  });

  it("a hard-coded value passed as a build argument is never printed", async () => {
    const canary = "npm_" + "C4nary000000000000000000000000000000";
    file(".git/HEAD", "ref: refs/heads/main\n");
    file("services/api/Dockerfile", API);
    file("build.sh", `#!/bin/sh\ndocker build --build-arg NPM_TOKEN=${canary} services/api\n`);
    for (const format of ["stylish", "json", "sarif", "github", "markdown"]) {
      const r = await run(["check", "--format", format, "services/api"]);
      expect(r.stdout, format).toContain("build-arg-secret");
      expect(r.stdout + r.stderr, format).not.toContain(canary);
    }
  });
});

describe("a --build-arg that comes back after the rewrite", () => {
  const MIGRATED = "# syntax=docker/dockerfile:1\nFROM node:22\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n";
  const WORKFLOW =
    "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: services/api\n          build-args: |\n            NPM_TOKEN=${{ secrets.NPM_TOKEN }}\n";

  it("is reported by check (the Dockerfile mounts it; the argument reaches no step), migrated by --write, and then clean", async () => {
    file(".git/HEAD", "ref: refs/heads/main\n");
    file("services/api/Dockerfile", MIGRATED);
    const wf = file(".github/workflows/build.yml", WORKFLOW);
    const check = await run(["check", "--format", "json", "."]);
    expect(check.code).toBe(1);
    const findings = JSON.parse(check.stdout).files.flatMap((f: { findings: { rule: string; message: string; line: number }[] }) => f.findings);
    expect(findings).toEqual([expect.objectContaining({ rule: "build-arg-secret", line: 10, message: expect.stringContaining("takes NPM_TOKEN as a secret mount") })]);
    expect((await run(["--write", "."])).code).toBe(0);
    expect(readFileSync(wf, "utf8")).toContain("secret-envs: |\n            npm_token=NPM_TOKEN");
    expect(readFileSync(wf, "utf8")).not.toContain("build-args");
    expect(readFileSync(join(dir, "services/api/Dockerfile"), "utf8")).toBe(MIGRATED);
    expect((await run(["check", "."])).code).toBe(0);
  });

  it("an ARG of that name still declared is the Dockerfile's own finding, not a mounted secret", async () => {
    file(".git/HEAD", "ref: refs/heads/main\n");
    file("services/api/Dockerfile", "FROM node:22\nARG NPM_TOKEN\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n");
    file(".github/workflows/build.yml", WORKFLOW);
    const check = await run(["check", "--format", "json", "."]);
    const messages = JSON.parse(check.stdout).files.flatMap((f: { findings: { message: string }[] }) => f.findings.map((x) => x.message));
    expect(messages.some((m: string) => m.includes("takes NPM_TOKEN as a secret mount"))).toBe(false);
  });
});

describe("where the printed build configuration runs", () => {
  it("--emit gha writes context, file and secret-files from the repository's top (build-push-action has no working directory)", async () => {
    file(".git/HEAD", "ref: refs/heads/main\n");
    file("services/web/Dockerfile", "FROM node:22\nARG NPM_TOKEN\nCOPY .npmrc /root/.npmrc\nRUN npm ci\n");
    const r = await run(["--emit", "gha,docker", "services/web"]);
    expect(r.stdout).toContain(
      [
        "  gha (from the repository's top):",
        "    # secret-envs reads the runner's environment: set NPM_TOKEN in the step's env:, e.g. from ${{ secrets.NAME }}",
        "    with:",
        "      context: services/web",
        "      file: services/web/Dockerfile",
        "      secret-envs: |",
        "        npm_token=NPM_TOKEN",
        "      secret-files: |",
        "        npmrc=services/web/.npmrc",
      ].join("\n"),
    );
    // The docker command runs in the context, and the JSON says so.
    expect(r.stdout).toContain("  build (in services/web): docker build --secret id=npm_token,env=NPM_TOKEN --secret id=npmrc,src=.npmrc .");
    const json = JSON.parse((await run(["--format", "json", "--emit", "gha,docker", "services/web"])).stdout).files[0];
    expect(json.context).toBe("services/web");
    expect(json.commands.gha).toContain("  context: services/web\n");
    // From inside the folder, the same: paths from the repository's top.
    let out = "";
    await main(["--format", "json", "--emit", "gha", "."], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, cwd: join(dir, "services/web"), env: {} });
    const fromInside = JSON.parse(out).files[0];
    expect(fromInside.context).toBe(".");
    expect(fromInside.commands.gha).toContain("  context: services/web\n  file: services/web/Dockerfile\n");
  });
});
