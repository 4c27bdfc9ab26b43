/**
 * The package as it is published and used: the tarball `npm pack` makes, installed with npm in
 * an empty project (its dependencies come from the registry), run through its bin and imported
 * by name; and the two integration files, .pre-commit-hooks.yaml and action.yml.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { isDockerfileName } from "../src/cli/find-dockerfiles.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const PKG = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string; version: string };
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const INSTALL_TIMEOUT = 600_000;

const SECRET_DOCKERFILE = "FROM node:22\nARG NPM_TOKEN\nWORKDIR /app\nCOPY package.json .npmrc ./\nRUN npm ci && rm -f .npmrc\n";

function npm(args: string[], cwd: string): string {
  return execFileSync(NPM, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    // Plain, quiet npm whatever the user's configuration says.
    env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false", npm_config_loglevel: "error" },
  });
}

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, CI: "1", NO_COLOR: "1" } });
}

// ---------------------------------------------------------------------------------------------
// npm pack, npm install, use

describe("the published package", () => {
  let work: string;
  let tarball: string;
  let files: string[];
  let project: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "unbake-pack-"));
    // `npm test` builds first (pretest). Packing with --ignore-scripts does not rebuild dist/
    // under the other test files that are reading it right now.
    if (!existsSync(join(ROOT, "dist", "index.js"))) npm(["run", "build"], ROOT);
    const [packed] = JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], ROOT)) as {
      filename: string;
      files: { path: string }[];
    }[];
    tarball = join(work, basename(packed.filename));
    files = packed.files.map((f) => f.path).sort();

    project = join(work, "project");
    mkdirSync(project);
    npm(["init", "-y"], project);
    npm(["install", "--no-audit", "--no-fund", tarball], project);
  }, INSTALL_TIMEOUT);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("packs the launcher, the built code, its types and the README", () => {
    expect(basename(tarball)).toBe(`${PKG.name}-${PKG.version}.tgz`);
    for (const file of [
      "package.json",
      "README.md",
      "bin/unbake.js",
      "dist/index.js",
      "dist/index.d.ts",
      "dist/cli/main.js",
      "dist/cli/worker.js",
    ]) {
      expect(files).toContain(file);
    }
  });

  it("packs no sources, tests, fixtures or repository files", () => {
    const unwanted = files.filter(
      (f) =>
        /^(src|test|__fixtures__|examples|scripts|\.ci|\.github|node_modules|\.bench)\//.test(f) ||
        /(^|\/)\.(git|gitignore|npmrc)$/.test(f) ||
        /\.(tgz|tsbuildinfo)$/.test(f) ||
        /^(tsconfig.*|vitest\.config\.ts|package-lock\.json)$/.test(f),
    );
    expect(unwanted).toEqual([]);
    // Only the three folders and files package.json's "files" names (npm adds package.json).
    expect(new Set(files.map((f) => f.split("/")[0]))).toEqual(new Set(["bin", "dist", "README.md", "LICENSE", "package.json"]));
  });

  it("installs into an empty project with its bin", () => {
    const bin = join(project, "node_modules", ".bin", "unbake");
    expect(existsSync(bin)).toBe(true);
    const manifest = JSON.parse(readFileSync(join(project, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).toEqual(["unbake"]);
    // Installed from the tarball: no source, no test, no dev dependency.
    expect(existsSync(join(project, "node_modules", "unbake", "src"))).toBe(false);
    expect(existsSync(join(project, "node_modules", "typescript"))).toBe(false);
    expect(existsSync(join(project, "node_modules", "vitest"))).toBe(false);
  });

  it("unbake --version prints the package version", () => {
    const r = run(join(project, "node_modules", ".bin", "unbake"), ["--version"], project);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(PKG.version);
  });

  it("unbake on a Dockerfile with secrets: exit 1, the diff and the build command", () => {
    const dir = join(project, "svc");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "Dockerfile"), SECRET_DOCKERFILE);
    const r = run(join(project, "node_modules", ".bin", "unbake"), ["svc"], project);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("--- a/svc/Dockerfile");
    expect(r.stdout).toContain("+++ b/svc/Dockerfile");
    expect(r.stdout).toContain("-ARG NPM_TOKEN\n");
    expect(r.stdout).toContain("+RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN --mount=type=secret,id=npmrc,target=/app/.npmrc,required=true npm ci\n");
    expect(r.stdout).toContain("docker build --secret id=npm_token,env=NPM_TOKEN --secret id=npmrc,src=.npmrc .");
    // A dry run writes nothing.
    expect(readFileSync(join(dir, "Dockerfile"), "utf8")).toBe(SECRET_DOCKERFILE);
  });

  it("runs a batch on worker threads from the installed code, and --write rewrites", () => {
    const dir = join(project, "many");
    for (let i = 0; i < 70; i++) {
      mkdirSync(join(dir, `s${i}`), { recursive: true });
      writeFileSync(join(dir, `s${i}`, "Dockerfile"), SECRET_DOCKERFILE);
    }
    const bin = join(project, "node_modules", ".bin", "unbake");
    const dry = run(bin, ["-j", "3", "--format", "json", "many"], project);
    expect(dry.stderr).toBe("unbake: 70 files, 70 to change, 140 findings, 0 errors (dry run: --write applies the changes)\n");
    expect(dry.status).toBe(1);
    expect(JSON.parse(dry.stdout).summary).toMatchObject({ files: 70, changed: 70, errors: 0 });

    const write = run(bin, ["-j", "3", "--write", "many"], project);
    expect(write.status).toBe(0);
    expect(readFileSync(join(dir, "s69", "Dockerfile"), "utf8")).toContain("RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN");
    expect(readFileSync(join(dir, "s0", ".dockerignore"), "utf8")).toBe(".npmrc\n");
  });

  it("imports { analyze, fix } by the package name in a child node process", () => {
    const script = `
      import { analyze, fix, RULES } from "unbake";
      const text = ${JSON.stringify(SECRET_DOCKERFILE)};
      const { findings, secrets } = analyze(text);
      console.log(JSON.stringify({
        rules: findings.map((f) => f.rule),
        ids: secrets.map((s) => s.id),
        changed: fix(text).changed,
        ruleCount: Object.keys(RULES).length,
      }));
    `;
    const r = run(process.execPath, ["--input-type=module", "-e", script], project);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      rules: ["secret-arg-env", "secret-file-copy"],
      ids: ["npm_token", "npmrc"],
      changed: true,
      ruleCount: 7,
    });
    // require() works too: Node >= 20.19 loads the ES module (no top-level await in it) for it.
    const cjs = run(process.execPath, ["-e", 'const u = require("unbake"); console.log(typeof u.fix, u.fix("FROM a\\nARG NPM_TOKEN\\nRUN npm ci\\n").changed)'], project);
    expect(cjs.stderr).toBe("");
    expect(cjs.stdout).toBe("function true\n");
    expect(cjs.status).toBe(0);
  });

  it("gives a TypeScript user its types", () => {
    writeFileSync(
      join(project, "use.ts"),
      [
        'import { analyze, fix, type Finding, type FixResult, type RuleId } from "unbake";',
        'const findings: Finding[] = analyze("FROM alpine\\n").findings;',
        'const result: FixResult = fix("FROM alpine\\n", { mountStyle: "file" });',
        "const rules: RuleId[] = findings.map((f) => f.rule);",
        "const text: string = result.text;",
        "export { rules, text };",
        "",
      ].join("\n"),
    );
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true, noEmit: true, types: [], skipLibCheck: false },
        files: ["use.ts"],
      }),
    );
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const r = run(process.execPath, [tsc, "-p", "tsconfig.json"], project);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// .pre-commit-hooks.yaml

interface Hook {
  id: string;
  name: string;
  entry: string;
  language: string;
  files: string;
  exclude?: string;
  pass_filenames?: boolean;
  require_serial?: boolean;
}

describe(".pre-commit-hooks.yaml", () => {
  const hooks = parse(readFileSync(join(ROOT, ".pre-commit-hooks.yaml"), "utf8")) as Hook[];
  const byId = new Map(hooks.map((h) => [h.id, h]));

  it("defines the unbake (check) and unbake-fix (--write) hooks, run by node", () => {
    expect(hooks.map((h) => h.id)).toEqual(["unbake", "unbake-fix"]);
    expect(byId.get("unbake")).toMatchObject({ entry: "unbake check", language: "node", pass_filenames: true });
    expect(byId.get("unbake-fix")).toMatchObject({ entry: "unbake --write", language: "node", pass_filenames: true, require_serial: true });
    for (const h of hooks) expect(h.name).toMatch(/\S/);
  });

  // pre-commit matches `files` and `exclude` with Python's re.search on the path from the
  // repository root; these patterns use only syntax JavaScript reads the same way.
  const selects = (h: Hook, path: string) => new RegExp(h.files).test(path) && !(h.exclude && new RegExp(h.exclude).test(path));

  it.each(["unbake", "unbake-fix"])("%s selects Dockerfiles, and only them", (id) => {
    const h = byId.get(id)!;
    for (const path of [
      "Dockerfile",
      "api.Dockerfile",
      "Containerfile",
      "Containerfile.prod",
      "services/web/Dockerfile",
      "Dockerfile.dev",
      "docker/Dockerfile-alpine",
      "Dockerfile_ci",
      "worker.dockerfile",
      "dockerfile",
    ]) {
      expect(selects(h, path), path).toBe(true);
    }
    for (const path of [
      "Dockerfile.dockerignore",
      "api.Dockerfile.dockerignore",
      ".dockerignore",
      "README.md",
      "docs/Dockerfile.md/notes.txt",
      "Dockerfiles/README",
      "Dockerfile.orig",
      "Dockerfile~",
      "Dockerfile.",
      "MyDockerfile",
      "docker-compose.yml",
    ]) {
      expect(selects(h, path), path).toBe(false);
    }
  });

  it("selects exactly the names unbake itself searches folders for", () => {
    const names = [
      "Dockerfile", "dockerfile", "Dockerfile.dev", "Dockerfile-x", "Dockerfile_x", "dockerfile.x", "a.Dockerfile", "a.dockerfile",
      "Containerfile", "Containerfile.x", "Containerfilex", "Dockerfile.", "Dockerfilex", ".Dockerfile", "Dockerfile.dockerignore",
      "a.Dockerfile.dockerignore", "Dockerfile.bak", "Dockerfile.swp", "Dockerfile.tmp", "Dockerfile.rej", "Dockerfile~", "README.md",
      "DOCKERFILE", "x.DOCKERFILE", "containerfile",
    ];
    for (const h of hooks) {
      for (const name of names) {
        expect(selects(h, name), name).toBe(isDockerfileName(name));
        expect(selects(h, `deep/er/${name}`), name).toBe(isDockerfileName(name));
      }
    }
  });

  const preCommit = spawnSync("pre-commit", ["--version"], { encoding: "utf8" });
  it.skipIf(preCommit.status !== 0)("passes pre-commit validate-manifest (where pre-commit is installed)", () => {
    const r = spawnSync("pre-commit", ["validate-manifest", join(ROOT, ".pre-commit-hooks.yaml")], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// action.yml

interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

describe("action.yml", () => {
  const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as Action;
  const steps = action.runs.steps;
  const checkIndex = steps.findIndex((s) => s.run !== undefined && /\bcheck --format sarif\b/.test(s.run));
  const uploadIndex = steps.findIndex((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));

  it("is a composite action with the documented inputs", () => {
    expect(action.name).toBe("unbake");
    expect(action.description).toMatch(/\S/);
    expect(action.runs.using).toBe("composite");
    expect(Object.keys(action.inputs).sort()).toEqual(["fail-level", "path", "sarif-file", "version"]);
    expect(action.inputs.path.default).toBe(".");
    expect(action.inputs["fail-level"].default).toBe("error");
    expect(action.inputs["sarif-file"].default).toBe("unbake.sarif");
    for (const input of Object.values(action.inputs)) expect(input.description).toMatch(/\S/);
    expect(action.outputs["exit-code"].value).toBe("${{ steps.check.outputs.exit-code }}");
  });

  it("runs unbake check --format sarif into the sarif-file, with the path and fail level", () => {
    expect(checkIndex).toBeGreaterThanOrEqual(0);
    const check = steps[checkIndex];
    expect(check.id).toBe("check");
    expect(check.shell).toBe("bash");
    expect(check.run).toMatch(/npx --yes "unbake@\$UNBAKE_VERSION" check --format sarif --fail-level "\$UNBAKE_FAIL_LEVEL" -- "\$UNBAKE_PATH" > "\$UNBAKE_SARIF"/);
    expect(check.env).toMatchObject({
      UNBAKE_PATH: "${{ inputs.path }}",
      UNBAKE_FAIL_LEVEL: "${{ inputs.fail-level }}",
      UNBAKE_SARIF: "${{ inputs.sarif-file }}",
    });
  });

  it("uploads the SARIF file even when check found something, then fails with check's status", () => {
    expect(uploadIndex).toBeGreaterThan(checkIndex);
    const upload = steps[uploadIndex];
    expect(upload.uses).toBe("github/codeql-action/upload-sarif@v3");
    expect(upload.with?.sarif_file).toBe("${{ inputs.sarif-file }}");
    // The check step keeps going on a non-zero status; the last step passes it on.
    expect(steps[checkIndex].run).toMatch(/set \+e/);
    const last = steps[steps.length - 1];
    expect(steps.indexOf(last)).toBeGreaterThan(uploadIndex);
    expect(last.if).toContain("steps.check.outputs.exit-code");
    expect(last.run).toMatch(/exit "\$CODE"/);
  });

  it("downloads no Node (no setup-node) and pastes no input into a script", () => {
    expect(steps.filter((s) => s.uses?.includes("setup-node"))).toEqual([]);
    for (const s of steps) if (s.run) expect(s.run).not.toContain("${{");
  });

  /** Runs the action's script steps with bash, as the runner would, npx replaced by `npxScript`. */
  function actionHarness(npxScript: string, inputs: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), "unbake-action-"));
    const binDir = join(dir, "bin");
    mkdirSync(binDir);
    writeFileSync(join(binDir, "npx"), `#!/usr/bin/env bash\n${npxScript}\n`);
    chmodSync(join(binDir, "npx"), 0o755);
    const output = join(dir, "github-output");
    const context: Record<string, string> = {
      "inputs.path": ".",
      "inputs.fail-level": "error",
      "inputs.sarif-file": "unbake.sarif",
      "inputs.version": "",
      "github.action_path": ROOT,
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`inputs.${k}`, v])),
    };
    const expand = (v: string) =>
      v.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, key: string) => {
        if (key in context) return context[key];
        throw new Error(`unexpected expression ${key}`);
      });
    const runStep = (step: Step) => {
      const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${binDir}:${process.env.PATH}`, GITHUB_OUTPUT: output };
      for (const [k, v] of Object.entries(step.env ?? {})) env[k] = expand(v);
      writeFileSync(output, "");
      const r = spawnSync("bash", ["-e", "-c", step.run!], { cwd: dir, env, encoding: "utf8" });
      const outputs: Record<string, string> = Object.fromEntries(
        readFileSync(output, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => l.split(/=(.*)/s).slice(0, 2) as [string, string]),
      );
      for (const [k, v] of Object.entries(outputs)) context[`steps.${step.id}.outputs.${k}`] = v;
      return { ...r, outputs };
    };
    return { dir, context, runStep, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }

  it("its scripts work: version from package.json, status kept, report written (npx stubbed)", () => {
    // A stand-in for npx that records its arguments, prints a SARIF log and exits 1 (findings).
    const h = actionHarness(`printf '%s\\n' "$@" > npx-args\necho '{"version":"2.1.0","runs":[]}'\nexit 1`, {
      path: "services/api",
      "fail-level": "warning",
      "sarif-file": "out.sarif",
    });
    try {
      const version = h.runStep(steps.find((s) => s.id === "version")!);
      expect(version.status).toBe(0);
      expect(version.outputs).toEqual({ version: PKG.version });

      const check = h.runStep(steps[checkIndex]);
      expect(check.status).toBe(0);
      expect(check.outputs).toEqual({ "exit-code": "1", sarif: "true" });
      expect(readFileSync(join(h.dir, "npx-args"), "utf8").trim().split("\n")).toEqual([
        "--yes",
        `unbake@${PKG.version}`,
        "check",
        "--format",
        "sarif",
        "--fail-level",
        "warning",
        "--",
        "services/api",
      ]);
      expect(JSON.parse(readFileSync(join(h.dir, "out.sarif"), "utf8"))).toEqual({ version: "2.1.0", runs: [] });

      const fail = h.runStep(steps[steps.length - 1]);
      expect(fail.status).toBe(1);
      expect(fail.stdout).toContain("::error");

      // An explicit version is used as given.
      h.context["inputs.version"] = "0.0.9";
      expect(h.runStep(steps.find((s) => s.id === "version")!).outputs).toEqual({ version: "0.0.9" });
    } finally {
      h.cleanup();
    }
  });

  it("its check step, with this checkout's unbake behind npx, writes a SARIF log of the findings", () => {
    // npx --yes unbake@<v> <args…> → node bin/unbake.js <args…>
    const h = actionHarness(`shift 2\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, "bin", "unbake.js"))} "$@"`, {
      path: "svc",
    });
    try {
      mkdirSync(join(h.dir, "svc"));
      writeFileSync(join(h.dir, "svc", "Dockerfile"), SECRET_DOCKERFILE);
      h.runStep(steps.find((s) => s.id === "version")!);
      const check = h.runStep(steps[checkIndex]);
      expect(check.stderr).toBe("");
      expect(check.status).toBe(0);
      const sarif = JSON.parse(readFileSync(join(h.dir, "unbake.sarif"), "utf8")) as {
        version: string;
        runs: { results: { ruleId: string }[] }[];
      };
      expect(sarif.version).toBe("2.1.0");
      expect(sarif.runs[0].results.map((r) => r.ruleId).sort()).toEqual(["secret-arg-env", "secret-file-copy"]);
      // Secrets in the shipped image are errors, fixable or not: the default fail level "error" fails.
      expect(check.outputs["exit-code"]).toBe("1");
      // Held only by a build stage they are warnings: below "error", at "warning".
      writeFileSync(join(h.dir, "svc", "Dockerfile"), SECRET_DOCKERFILE + "FROM node:22\nCOPY --from=0 /app/dist /dist\n");
      expect(h.runStep(steps[checkIndex]).outputs["exit-code"]).toBe("0");
      h.context["inputs.fail-level"] = "warning";
      expect(h.runStep(steps[checkIndex]).outputs["exit-code"]).toBe("1");
      writeFileSync(join(h.dir, "svc", "Dockerfile"), SECRET_DOCKERFILE);
      // Nothing was written but the report.
      expect(readFileSync(join(h.dir, "svc", "Dockerfile"), "utf8")).toBe(SECRET_DOCKERFILE);
    } finally {
      h.cleanup();
    }
  });
});
