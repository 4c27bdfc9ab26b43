/**
 * The library as a user uses it: imported by the package's own name. Node resolves a package's
 * own name through its `exports` (self-reference), so this is the built `dist/` that the
 * published package ships, not `src/` (`npm test` builds first, through pretest).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  analyze,
  dockerBuildCommand,
  fix,
  RULES,
  updateDockerignore,
  type AnalyseOptions,
  type AnalyzeResult,
  type Finding,
  type FindingStatus,
  type FixResult,
  type MountStyle,
  type RuleId,
  type RuleMeta,
  type Secret,
  type SecretSource,
  type TextEdit,
} from "unbake";

const ROOT = realpathSync(join(dirname(fileURLToPath(import.meta.url)), ".."));

const NPM = "FROM node:22\nARG NPM_TOKEN\nWORKDIR /app\nCOPY package.json .npmrc ./\nRUN npm ci && rm -f .npmrc\n";
const CANARY = "ghp_" + "C4nary0000000000000000000000000000000A";
const HARDCODED = `FROM alpine\nENV GITHUB_TOKEN=${CANARY}\nRUN wget --header "Authorization: token $GITHUB_TOKEN" https://api.github.com/x\n`;
const URL_PASSWORD = "FROM alpine\nRUN git clone https://deploy:" + "hunter2hunter2" + "@git.example.com/acme/tool.git /src\n";
const OUTSIDE_RUN = 'FROM alpine\nARG API_TOKEN\nLABEL org.example.token="$API_TOKEN"\nRUN wget --header "Authorization: Bearer $API_TOKEN" https://example.com/x\n';
const WRITES = 'FROM node:22\nARG NPM_TOKEN\nRUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci\n';
const CRLF = NPM.replace(/\n/g, "\r\n");
const CLEAN = "FROM alpine\nRUN echo hello\n";
const PRINTS = 'FROM alpine\nARG API_TOKEN\nRUN echo "token: $API_TOKEN" && wget --header "Authorization: Bearer $API_TOKEN" https://example.com/x\n';
const EXAMPLES = readdirSync(join(ROOT, "examples")).map((d) => readFileSync(join(ROOT, "examples", d, "Dockerfile"), "utf8"));

const INPUTS = [NPM, HARDCODED, URL_PASSWORD, OUTSIDE_RUN, WRITES, PRINTS, CRLF, CLEAN, "", ...EXAMPLES];
const STYLES: AnalyseOptions[] = [{}, { mountStyle: "auto" }, { mountStyle: "file" }];

describe("the package's own name resolves to the built library", () => {
  it("imports dist/index.js", () => {
    expect(fileURLToPath(import.meta.resolve("unbake"))).toBe(join(ROOT, "dist", "index.js"));
  });

  it("exports the documented values, and no default export", async () => {
    const api: Record<string, unknown> = await import("unbake");
    for (const name of ["analyze", "fix", "dockerBuildCommand", "updateDockerignore"]) expect(typeof api[name], name).toBe("function");
    expect(Object.keys(api.RULES as object).sort()).toEqual(
      ["build-arg-secret", "hardcoded-secret", "run-writes-secret", "secret-arg-env", "secret-file-copy", "secret-printed", "secret-used-outside-run"],
    );
    expect(api).not.toHaveProperty("default");
  });
});

describe("analyze and fix are pure", () => {
  it("give the same result for the same input, every time", () => {
    for (const text of INPUTS) {
      for (const options of STYLES) {
        expect(analyze(text, options)).toEqual(analyze(text, options));
        expect(fix(text, options)).toEqual(fix(text, options));
      }
    }
  });

  it("do not mutate their options, and return fresh objects", () => {
    const options = Object.freeze({ mountStyle: "file" as const });
    const first = fix(NPM, options);
    expect(options).toEqual({ mountStyle: "file" });
    // A caller that changes a result does not change the next one.
    const snapshot = structuredClone(first);
    first.findings[0].message = "changed";
    first.secrets[0].mountedOn.push(99);
    first.ignorePaths.push("x");
    expect(fix(NPM, options)).toEqual(snapshot);
    const analysed = analyze(NPM);
    analysed.findings.length = 0;
    expect(analyze(NPM).findings.length).toBeGreaterThan(0);
  });

  it("agree: analyze gives the findings and secrets fix reports", () => {
    for (const text of INPUTS) {
      for (const options of STYLES) {
        const { findings, secrets } = fix(text, options);
        expect(analyze(text, options)).toEqual({ findings, secrets });
      }
    }
  });

  it("touch no file: they run under Node's permission model with no access outside the package", () => {
    // A child process that may read only the package's code and may write nothing, run in a
    // temporary folder holding the very files a Dockerfile names: any read or write throws.
    const cwd = realpathSync(mkdtempSync(join(tmpdir(), "unbake-api-")));
    try {
      const files = { Dockerfile: NPM, ".npmrc": "//registry.npmjs.org/:_authToken=x\n", ".dockerignore": "node_modules\n" };
      for (const [name, content] of Object.entries(files)) writeFileSync(join(cwd, name), content);
      const permission = process.allowedNodeEnvironmentFlags.has("--permission") ? "--permission" : "--experimental-permission";
      const script = `
        const { analyze, fix } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "dist", "index.js")).href)});
        const inputs = JSON.parse(process.argv[1]);
        const out = inputs.map((t) => [analyze(t), fix(t), fix(t, { mountStyle: "file" })]);
        process.stdout.write(JSON.stringify(out));
      `;
      const child = spawnSync(
        process.execPath,
        [
          permission,
          // The dependencies, also through their real path when node_modules is a link (each
          // path once: Node 20 aborts on a path given twice).
          ...[...new Set([join(ROOT, "node_modules"), realpathSync(join(ROOT, "node_modules"))])].map((p) => `--allow-fs-read=${p}/*`),
          `--allow-fs-read=${join(ROOT, "package.json")}`,
          `--allow-fs-read=${join(ROOT, "dist")}/*`,
          "--input-type=module",
          "-e",
          script,
          JSON.stringify(INPUTS),
        ],
        { cwd, encoding: "utf8" },
      );
      expect(child.stderr.replace(/.*ExperimentalWarning.*\n|\(Use `node --trace-warnings.*\n/g, "")).toBe("");
      expect(child.status).toBe(0);
      expect(JSON.parse(child.stdout)).toEqual(INPUTS.map((t) => [analyze(t), fix(t), fix(t, { mountStyle: "file" })]));
      // And nothing in the folder changed.
      expect(readdirSync(cwd).sort()).toEqual(Object.keys(files).sort());
      for (const [name, content] of Object.entries(files)) expect(readFileSync(join(cwd, name), "utf8")).toBe(content);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it("the permission model really denies reads there (the test above would notice a read)", () => {
    const permission = process.allowedNodeEnvironmentFlags.has("--permission") ? "--permission" : "--experimental-permission";
    const child = spawnSync(
      process.execPath,
      [permission, `--allow-fs-read=${join(ROOT, "dist")}/*`, "-e", `require("node:fs").readFileSync(${JSON.stringify(join(ROOT, "README.md"))})`],
      { encoding: "utf8" },
    );
    expect(child.status).not.toBe(0);
    expect(child.stderr).toContain("ERR_ACCESS_DENIED");
  });
});

describe("findings and secrets", () => {
  const statuses: FindingStatus[] = ["fixed", "needs-review", "manual"];

  function checkShapes(text: string, options: AnalyseOptions) {
    const { findings, secrets } = analyze(text, options);
    const lines = text.split(/\r?\n/);
    const ids = new Set(secrets.map((s) => s.id));
    for (const f of findings) {
      expect(Object.keys(f).sort()).toEqual(
        [
          ...["rule", "line", "column", "endLine", "endColumn", "message", "status"],
          ...(f.secretId === undefined ? [] : ["secretId"]),
          ...("severity" in f ? ["severity"] : []),
          ...("scope" in f ? ["scope"] : []),
        ].sort(),
      );
      if (f.scope !== undefined) expect(["image", "build-stages"]).toContain(f.scope);
      expect(Object.keys(RULES)).toContain(f.rule);
      expect(statuses).toContain(f.status);
      expect(f.line).toBeGreaterThanOrEqual(1);
      expect(f.column).toBeGreaterThanOrEqual(1);
      expect(f.endLine).toBeGreaterThanOrEqual(f.line);
      if (f.endLine === f.line) expect(f.endColumn).toBeGreaterThanOrEqual(f.column);
      expect(f.line).toBeLessThanOrEqual(lines.length);
      expect(f.message).toMatch(/\S/);
      if (f.secretId !== undefined) expect(ids).toContain(f.secretId);
    }
    // Findings come in file order.
    const order = findings.map((f) => f.line * 1e6 + f.column);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    for (const s of secrets) {
      expect(s.id).toMatch(/^[a-z0-9][a-z0-9_.-]*$/);
      expect(["build", "runtime"]).toContain(s.usage);
      if (s.source.type === "env") expect(s.source.name).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
      else expect(s.source.type === "file" && s.source.path.length > 0).toBe(true);
      // mountedOn: lines of the input's RUN instructions.
      for (const line of s.mountedOn) expect(lines[line - 1]).toMatch(/^\s*RUN\s/i);
    }
    expect(new Set(secrets.map((s) => s.id)).size).toBe(secrets.length);
  }

  it("have the documented shapes", () => {
    for (const text of INPUTS) for (const options of STYLES) checkShapes(text, options);
  });

  it("describe the README's example exactly", () => {
    const r = analyze(NPM);
    expect(r.findings.map((f) => [f.rule, f.line, f.column, f.status, f.secretId])).toEqual([
      ["secret-arg-env", 2, 1, "fixed", "npm_token"],
      ["secret-file-copy", 4, 1, "fixed", "npmrc"],
    ]);
    expect(r.secrets).toEqual([
      { id: "npm_token", source: { type: "env", name: "NPM_TOKEN" }, usage: "build", mountedOn: [5], buildArgs: ["NPM_TOKEN"] },
      { id: "npmrc", source: { type: "file", path: ".npmrc" }, usage: "build", target: "/app/.npmrc", mountedOn: [5], buildArgs: [] },
    ]);
    expect(dockerBuildCommand({ dockerfile: "Dockerfile", secrets: r.secrets })).toBe(
      "docker build --secret id=npm_token,env=NPM_TOKEN --secret id=npmrc,src=.npmrc .",
    );
  });

  it("report every rule, and never a hard-coded value in a message", () => {
    const rules = new Set(INPUTS.flatMap((t) => analyze(t).findings.map((f) => f.rule)));
    // Every rule about a Dockerfile (build-arg-secret is about the build files that call one: unbake check).
    const dockerfileRules = Object.keys(RULES).filter((r) => RULES[r as keyof typeof RULES].scope === undefined);
    expect([...rules].sort()).toEqual(dockerfileRules.sort());
    for (const text of [HARDCODED, URL_PASSWORD]) {
      for (const f of analyze(text).findings) {
        expect(f.message).not.toContain(CANARY);
        expect(f.message).not.toContain("hunter2");
      }
    }
    expect(analyze(HARDCODED).secrets[0].hardcoded).toBe(true);
  });

  it("find nothing in a clean file, which fix leaves as it is", () => {
    expect(analyze(CLEAN)).toEqual({ findings: [], secrets: [] });
    expect(fix(CLEAN)).toEqual({ text: CLEAN, changed: false, findings: [], secrets: [], ignorePaths: [] });
  });
});

describe("fix", () => {
  it("rewrites to env mounts by default, and reports the paths for the .dockerignore", () => {
    const r = fix(NPM);
    expect(r.changed).toBe(true);
    expect(r.text).toBe(
      "# syntax=docker/dockerfile:1\nFROM node:22\nWORKDIR /app\nCOPY package.json ./\n" +
        "RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN --mount=type=secret,id=npmrc,target=/app/.npmrc,required=true npm ci\n",
    );
    expect(r.ignorePaths).toEqual([".npmrc"]);
    expect(updateDockerignore(null, r.ignorePaths)).toBe(".npmrc\n");
  });

  it('with mountStyle "file" uses file mounts only, and reads variables from /run/secrets', () => {
    const r = fix(NPM, { mountStyle: "file" });
    expect(r.changed).toBe(true);
    expect(r.text).not.toContain("env=");
    expect(r.text).toContain("--mount=type=secret,id=npm_token ");
    expect(r.text).toContain('NPM_TOKEN="$(cat /run/secrets/npm_token)"');
    expect(r.text).toContain("--mount=type=secret,id=npmrc,target=/app/.npmrc");
    expect(r.findings.map((f) => f.rule)).toEqual(fix(NPM).findings.map((f) => f.rule));
    for (const text of INPUTS) expect(fix(text, { mountStyle: "file" }).text).not.toMatch(/--mount=type=secret[^ ]*,env=/);
  });

  it("keeps CRLF line endings", () => {
    const r = fix(CRLF);
    expect(r.changed).toBe(true);
    expect(r.text.replace(/\r\n/g, "")).not.toContain("\n");
  });

  it("changes nothing in its own output", () => {
    for (const text of INPUTS) {
      for (const options of STYLES) {
        const once = fix(text, options);
        const twice = fix(once.text, options);
        expect(twice.text).toBe(once.text);
        expect(twice.changed).toBe(false);
        expect(twice.ignorePaths).toEqual([]);
        expect(twice.findings.filter((f) => f.status === "fixed")).toEqual([]);
      }
    }
  });

  it("leaves what it cannot fix, and says so", () => {
    for (const text of [URL_PASSWORD]) {
      const r = fix(text);
      expect(r.text).toBe(text);
      expect(r.changed).toBe(false);
      expect(r.findings.every((f) => f.status === "manual")).toBe(true);
    }
    expect(fix(OUTSIDE_RUN).findings.map((f) => [f.rule, f.status])).toContainEqual(["secret-used-outside-run", "manual"]);
    expect(fix(WRITES).findings.map((f) => [f.rule, f.status])).toContainEqual(["run-writes-secret", "manual"]);
  });
});

describe("types", () => {
  it("this file type-checks against the built declarations (so the expectTypeOf lines below are enforced by npm test)", () => {
    // expectTypeOf checks nothing at run time: the compiler does, on this very file.
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const flags = ["--ignoreConfig", "--noEmit", "--strict", "--module", "NodeNext", "--moduleResolution", "NodeNext"];
    const r = spawnSync(
      process.execPath,
      [tsc, ...flags, "--target", "ES2022", "--lib", "ES2023", "--types", "node", "--skipLibCheck", fileURLToPath(import.meta.url)],
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("are exported with the documented shapes", () => {
    expectTypeOf(analyze).parameters.toEqualTypeOf<[text: string, options?: AnalyseOptions]>();
    expectTypeOf(analyze).returns.toEqualTypeOf<AnalyzeResult>();
    expectTypeOf(fix).parameters.toEqualTypeOf<[text: string, options?: AnalyseOptions]>();
    expectTypeOf(fix).returns.toEqualTypeOf<FixResult>();

    expectTypeOf<AnalyzeResult>().toEqualTypeOf<{ findings: Finding[]; secrets: Secret[] }>();
    expectTypeOf<FixResult>().toMatchTypeOf<AnalyzeResult>();
    expectTypeOf<FixResult["text"]>().toEqualTypeOf<string>();
    expectTypeOf<FixResult["changed"]>().toEqualTypeOf<boolean>();
    expectTypeOf<FixResult["ignorePaths"]>().toEqualTypeOf<string[]>();

    expectTypeOf<AnalyseOptions["mountStyle"]>().toEqualTypeOf<MountStyle | undefined>();
    expectTypeOf<{ mountStyle: "file" }>().toMatchTypeOf<AnalyseOptions>();
    expectTypeOf<{}>().toMatchTypeOf<AnalyseOptions>();
    expectTypeOf<MountStyle>().toEqualTypeOf<"auto" | "file">();
    expectTypeOf<FindingStatus>().toEqualTypeOf<"fixed" | "needs-review" | "manual">();
    expectTypeOf<RuleId>().toEqualTypeOf<
      "secret-file-copy" | "secret-arg-env" | "hardcoded-secret" | "run-writes-secret" | "secret-used-outside-run" | "secret-printed" | "build-arg-secret"
    >();
    expectTypeOf<Finding["rule"]>().toEqualTypeOf<RuleId>();
    expectTypeOf<Finding["status"]>().toEqualTypeOf<FindingStatus>();
    expectTypeOf<Finding["line"]>().toEqualTypeOf<number>();
    expectTypeOf<Finding["secretId"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Secret["source"]>().toEqualTypeOf<SecretSource>();
    expectTypeOf<SecretSource>().toEqualTypeOf<{ type: "env"; name: string } | { type: "file"; path: string }>();
    expectTypeOf<Secret["usage"]>().toEqualTypeOf<"build" | "runtime">();
    expectTypeOf<TextEdit>().toEqualTypeOf<{ start: number; end: number; text: string }>();

    expectTypeOf(RULES).toEqualTypeOf<Record<RuleId, RuleMeta>>();
    expectTypeOf<RuleMeta["fix"]>().toEqualTypeOf<"safe" | "unsafe" | "none">();
    expectTypeOf(dockerBuildCommand).returns.toEqualTypeOf<string>();
    expectTypeOf(updateDockerignore).toEqualTypeOf<(existing: string | null, paths: string[]) => string | null>();

    // Type errors only: never called.
    const wrongUses = () => {
      // @ts-expect-error: a mount style the library does not know
      fix(NPM, { mountStyle: "tmpfs" });
      // @ts-expect-error: the text is required
      analyze();
    };
    expectTypeOf(wrongUses).toBeFunction();
  });
});
