import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import AjvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";
import type * as Sarif from "sarif";
import { describe, expect, it } from "vitest";
import { RULES } from "../src/analyse/rules.js";
import type { FileReport } from "../src/emit/file-report.js";
import { github, markdown, sarif, stylish, type FormatOptions, type Severity } from "../src/emit/formats/index.js";
import { replacements } from "../src/emit/formats/sarif.js";
import { fix } from "../src/index.js";
import type { Finding } from "../src/types.js";

// ---------------------------------------------------------------------------------------------
// The official SARIF 2.1.0 schema, as the SARIF SDK (microsoft/sarif-js-sdk) ships it in
// @microsoft/jest-sarif: JSON Schema draft-04, so Ajv's draft-04 class, plus the formats it uses
// (uri, uri-reference, date-time). `unicodeRegExp: false`: the schema's `language` pattern has a
// stray `]` (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`, also in the OASIS copy) that is a syntax
// error only under the `u` flag; JSON Schema patterns are ECMA-262 without it.
const require = createRequire(import.meta.url);
const SCHEMA_PATH = path.join(path.dirname(require.resolve("@microsoft/jest-sarif/package.json")), "lib/schemas/sarif-2.1.0-rtm.5.json");
const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as Record<string, unknown>;
// Both are CommonJS with `exports.default`: under NodeNext the default import is module.exports.
const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
ajvFormats.default(ajv);
const validateSarif = ajv.compile(schema);

function expectValidSarif(text: string): Sarif.Log {
  const log = JSON.parse(text) as Sarif.Log;
  const ok = validateSarif(log);
  expect(ok ? [] : validateSarif.errors).toEqual([]);
  return log;
}

// ---------------------------------------------------------------------------------------------
const CWD = path.resolve("/repo");
const OPTS: FormatOptions = { color: false, cwd: CWD, toolVersion: "1.2.3" };

function finding(rule: Finding["rule"], line: number, status: Finding["status"], message: string, extra: Partial<Finding> = {}): Finding {
  return { rule, line, column: 1, endLine: line, endColumn: 12, message, status, ...extra };
}

function report(p: string, partial: Partial<FileReport> = {}): FileReport {
  return { path: p, changed: false, findings: [], secrets: [], commands: {}, diffs: [], ...partial };
}

/** Several findings of every status, a file that failed and a clean file. */
function batch(): FileReport[] {
  return [
    report("services/api/Dockerfile", {
      changed: true,
      findings: [
        finding("secret-arg-env", 2, "fixed", "ARG NPM_TOKEN carries a secret", { secretId: "npm_token", endColumn: 14 }),
        finding("secret-file-copy", 4, "fixed", "COPY puts .npmrc into a layer", { secretId: "npmrc", column: 3, endColumn: 30 }),
        finding("secret-arg-env", 5, "needs-review", "ENV DB_PASSWORD is used by no build step", { secretId: "db_password" }),
        finding("secret-arg-env", 6, "needs-review", "ENV API_KEY is used by no build step", { secretId: "api_key", endLine: 8, endColumn: 4 }),
        finding("hardcoded-secret", 10, "manual", "ENV contains a hard-coded AWS key (value not shown)"),
        finding("run-writes-secret", 12, "manual", "writes $NPM_TOKEN into /root/.npmrc"),
        finding("secret-used-outside-run", 14, "manual", "LABEL uses the secret $NPM_TOKEN", { secretId: "npm_token" }),
      ],
    }),
    report("broken/Dockerfile", { error: "not UTF-8" }),
    report("clean/Dockerfile"),
    report("web/Dockerfile.dev", {
      findings: [finding("secret-file-copy", 3, "fixed", "ADD puts credentials.json into a layer", { secretId: "credentials.json" })],
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
describe("sarif", () => {
  it("the schema validator is live: it rejects a broken log", () => {
    const log = JSON.parse(sarif(batch(), OPTS)) as Sarif.Log;
    expect(validateSarif(log)).toBe(true);
    const broken = structuredClone(log) as any;
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0; // minimum is 1
    expect(validateSarif(broken)).toBe(false);
    const noMessage = structuredClone(log) as any;
    delete noMessage.runs[0].results[0].message;
    expect(validateSarif(noMessage)).toBe(false);
    const badFix = structuredClone(log) as any;
    badFix.runs[0].results[0].fixes = [{ artifactChanges: [{ artifactLocation: { uri: "x" }, replacements: [] }] }]; // minItems 1
    expect(validateSarif(badFix)).toBe(false);
  });

  it("is valid SARIF 2.1.0 for a batch with every status, a failed file, a clean file and fixes", () => {
    const before = "FROM node\nARG NPM_TOKEN\nWORKDIR /app\nCOPY .npmrc package.json ./\nRUN npm ci\n";
    const after = "# syntax=docker/dockerfile:1\nFROM node\nWORKDIR /app\nCOPY package.json ./\nRUN --mount=type=secret,id=npmrc,target=/app/.npmrc npm ci\n";
    const log = expectValidSarif(sarif(batch(), { ...OPTS, fixes: new Map([["services/api/Dockerfile", { before, after }]]) }));
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0];
    expect(run.results).toHaveLength(8);
    expect(run.invocations?.[0].executionSuccessful).toBe(false);
    const withFixes = run.results!.filter((r) => r.fixes);
    expect(withFixes.map((r) => (r.properties as { status: string }).status)).toEqual(["fixed", "fixed", "needs-review", "needs-review"]);
  });

  it("is valid SARIF for zero files, and for a clean batch", () => {
    for (const files of [[], [report("Dockerfile")]]) {
      const log = expectValidSarif(sarif(files, OPTS));
      expect(log.runs[0].results).toEqual([]);
      expect(log.runs[0].invocations).toEqual([{ executionSuccessful: true }]);
      expect(log.runs[0].tool.driver.rules).toHaveLength(Object.keys(RULES).length);
    }
  });

  it("describes every rule, and each result's ruleIndex points at its rule", () => {
    const log = JSON.parse(sarif(batch(), OPTS)) as Sarif.Log;
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe("unbake");
    expect(driver.version).toBe("1.2.3");
    expect(driver.informationUri).toBeUndefined();
    expect(driver.rules!.map((r) => r.id)).toEqual(Object.keys(RULES));
    for (const r of driver.rules!) {
      const meta = RULES[r.id as keyof typeof RULES];
      expect(r.shortDescription?.text).toBe(meta.description);
      expect(r.fullDescription?.text).toContain(meta.description);
      expect(r.help?.text).toBeTruthy();
      expect(r.help?.markdown).toBeTruthy();
      expect(r.name).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(r.defaultConfiguration?.level).toBe(meta.fix === "none" ? "error" : "warning");
      expect(r.properties?.tags).toEqual(["security", "secrets", "docker"]);
    }
    const results = log.runs[0].results!;
    expect(results.map((r) => r.ruleId)).toEqual(batch().flatMap((f) => f.findings.map((x) => x.rule)));
    for (const r of results) expect(driver.rules![r.ruleIndex!].id).toBe(r.ruleId);
    expect(new Set(results.map((r) => r.ruleIndex)).size).toBe(5);
  });

  it("maps status to level, and lets the caller choose", () => {
    const levels = (o: FormatOptions) => (JSON.parse(sarif(batch(), o)) as Sarif.Log).runs[0].results!.map((r) => r.level);
    expect(levels(OPTS)).toEqual(["warning", "warning", "warning", "warning", "error", "error", "error", "warning"]);
    const severity = (f: Finding): Severity => (f.rule === "hardcoded-secret" ? "error" : "note");
    expect(levels({ ...OPTS, severity })).toEqual(["note", "note", "note", "note", "error", "note", "note", "note"]);
  });

  it("locates results relative to %SRCROOT%, the cwd's file URL", () => {
    const files = [
      report("services/api/Dockerfile", { findings: [finding("secret-arg-env", 6, "fixed", "m", { column: 2, endLine: 8, endColumn: 4 })] }),
      report(path.join(CWD, "my app", "Dockerfile#1"), { findings: [finding("secret-arg-env", 1, "fixed", "m")] }),
      report("../elsewhere/Dockerfile", { findings: [finding("secret-arg-env", 1, "fixed", "m")] }),
    ];
    const log = expectValidSarif(sarif(files, OPTS));
    const run = log.runs[0];
    expect(run.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: pathToFileURL(CWD).href + "/" } });
    const locs = run.results!.map((r) => r.locations![0].physicalLocation!);
    expect(locs[0]).toEqual({
      artifactLocation: { uri: "services/api/Dockerfile", uriBaseId: "%SRCROOT%" },
      region: { startLine: 6, startColumn: 2, endLine: 8, endColumn: 4 },
    });
    expect(locs[1].artifactLocation).toEqual({ uri: "my%20app/Dockerfile%231", uriBaseId: "%SRCROOT%" });
    expect(locs[2].artifactLocation).toEqual({ uri: pathToFileURL(path.resolve(CWD, "../elsewhere/Dockerfile")).href });
  });

  it("reports a failed file as a tool execution notification with its location", () => {
    const log = expectValidSarif(sarif([report("a/Dockerfile"), report("broken/Dockerfile", { error: "not UTF-8" })], OPTS));
    const inv = log.runs[0].invocations![0];
    expect(inv.executionSuccessful).toBe(false);
    expect(inv.toolExecutionNotifications).toEqual([
      {
        level: "error",
        message: { text: "not UTF-8" },
        locations: [{ physicalLocation: { artifactLocation: { uri: "broken/Dockerfile", uriBaseId: "%SRCROOT%" } } }],
      },
    ]);
    expect(log.runs[0].results).toEqual([]);
  });

  it("fingerprints are stable when lines move and distinct between findings", () => {
    const prints = (files: FileReport[]) =>
      (JSON.parse(sarif(files, OPTS)) as Sarif.Log).runs[0].results!.map((r) => r.partialFingerprints!["unbake/v1"]);
    const a = prints(batch());
    expect(prints(batch())).toEqual(a);
    const shifted = batch().map((f) => ({ ...f, findings: f.findings.map((x) => ({ ...x, line: x.line + 3, endLine: x.endLine + 3 })) }));
    expect(prints(shifted)).toEqual(a);
    expect(new Set(a).size).toBe(a.length);
    for (const p of a) expect(p).toMatch(/^[0-9a-f]{32}$/);
  });

  it("attaches the real rewrite as a fix whose replacements turn the old text into the new", () => {
    const before = [
      "# syntax=docker/dockerfile:1",
      "FROM node:22-slim AS build",
      "ARG NPM_TOKEN",
      "ENV AWS_ACCESS_KEY_ID=AKIAZ7QX3RT5WLMN2PQV",
      "WORKDIR /app",
      "COPY package.json .npmrc ./",
      "RUN npm ci && rm -f .npmrc",
      'RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > /root/.npmrc',
      "LABEL token=$NPM_TOKEN",
      'CMD ["node", "server.js"]',
      "",
    ].join("\r\n");
    const r = fix(before);
    expect(r.changed).toBe(true);
    const statuses = new Set(r.findings.map((f) => f.status));
    expect(statuses).toEqual(new Set(["fixed", "needs-review", "manual"]));
    const file = report("Dockerfile", { changed: true, findings: r.findings });
    const text = sarif([file], { ...OPTS, fixes: new Map([["Dockerfile", { before, after: r.text }]]) });
    const log = expectValidSarif(text);
    for (const res of log.runs[0].results!) {
      const status = (res.properties as { status: string }).status;
      if (status === "manual") {
        expect(res.fixes).toBeUndefined();
        continue;
      }
      expect(res.fixes).toHaveLength(1);
      const change = res.fixes![0].artifactChanges[0];
      expect(change.artifactLocation).toEqual({ uri: "Dockerfile", uriBaseId: "%SRCROOT%" });
      expect(apply(before, change.replacements)).toBe(r.text);
    }
    // The removed hard-coded value is deleted by offset: its text is not printed.
    expect(text).not.toContain("AKIAZ7QX3RT5WLMN2PQV");
  });

  it("replacements cover insertions at the start and the end, deletions, and no final newline", () => {
    const cases: [string, string][] = [
      ["a\nb\nc\n", "x\na\nb\nc\n"],
      ["a\nb\nc\n", "a\nb\nc\nd\n"],
      ["a\nb\nc\n", "a\nc\n"],
      ["a\nb\nc", "a\nB\nc"],
      ["a\nb", "a\nb\n"],
      ["", "a\n"],
      ["a\n", ""],
      ["a\r\nb\r\n", "a\r\nX\r\nb\r\n"],
    ];
    for (const [before, after] of cases) expect(apply(before, replacements(before, after))).toBe(after);
    expect(replacements("a\nb\nc\n", "a\nc\n")).toEqual([{ deletedRegion: { charOffset: 2, charLength: 2 } }]);
    expect(replacements("a\nb\n", "a\nX\nb\n")).toEqual([{ deletedRegion: { charOffset: 2, charLength: 0 }, insertedContent: { text: "X\n" } }]);
    expect(replacements("same\n", "same\n")).toEqual([]);
  });

  it("attaches no fix when the texts are equal or the file is not in the map", () => {
    const log = JSON.parse(sarif(batch(), { ...OPTS, fixes: new Map([["services/api/Dockerfile", { before: "x\n", after: "x\n" }]]) })) as Sarif.Log;
    expect(log.runs[0].results!.some((r) => r.fixes)).toBe(false);
  });
});

/** Applies SARIF replacements (character regions of the original text) in order. */
function apply(text: string, reps: Sarif.Replacement[]): string {
  let out = "";
  let at = 0;
  for (const rep of reps) {
    const { charOffset = 0, charLength = 0 } = rep.deletedRegion;
    expect(charOffset).toBeGreaterThanOrEqual(at);
    out += text.slice(at, charOffset) + (rep.insertedContent?.text ?? "");
    at = charOffset + charLength;
  }
  return out + text.slice(at);
}

// ---------------------------------------------------------------------------------------------
describe("github", () => {
  it("escapes %, CR and LF in the message and also : and , in properties", () => {
    const file = report("odd, dir:x/Dockerfile", {
      findings: [finding("secret-arg-env", 3, "manual", "100% bad: a, b\r\nnext line", { column: 2, endColumn: 9 })],
    });
    expect(github([file], OPTS)).toBe(
      "::error file=odd%2C dir%3Ax/Dockerfile,line=3,col=2,endLine=3,endColumn=9,title=unbake/secret-arg-env::100%25 bad: a, b%0D%0Anext line\n",
    );
  });

  it("prints one exact line per finding, a failed file, nothing for a clean file", () => {
    expect(github(batch(), OPTS).split("\n")).toEqual([
      "::warning file=services/api/Dockerfile,line=2,col=1,endLine=2,endColumn=14,title=unbake/secret-arg-env::ARG NPM_TOKEN carries a secret",
      "::warning file=services/api/Dockerfile,line=4,col=3,endLine=4,endColumn=30,title=unbake/secret-file-copy::COPY puts .npmrc into a layer",
      "::warning file=services/api/Dockerfile,line=5,col=1,endLine=5,endColumn=12,title=unbake/secret-arg-env::ENV DB_PASSWORD is used by no build step",
      // col/endColumn cannot be sent for a finding over several lines
      "::warning file=services/api/Dockerfile,line=6,endLine=8,title=unbake/secret-arg-env::ENV API_KEY is used by no build step",
      "::error file=services/api/Dockerfile,line=10,col=1,endLine=10,endColumn=12,title=unbake/hardcoded-secret::ENV contains a hard-coded AWS key (value not shown)",
      "::error file=services/api/Dockerfile,line=12,col=1,endLine=12,endColumn=12,title=unbake/run-writes-secret::writes $NPM_TOKEN into /root/.npmrc",
      "::error file=services/api/Dockerfile,line=14,col=1,endLine=14,endColumn=12,title=unbake/secret-used-outside-run::LABEL uses the secret $NPM_TOKEN",
      "::error file=broken/Dockerfile,title=unbake::not UTF-8",
      "::warning file=web/Dockerfile.dev,line=3,col=1,endLine=3,endColumn=12,title=unbake/secret-file-copy::ADD puts credentials.json into a layer",
      "",
    ]);
  });

  it("uses ::notice for notes, paths relative to cwd, and prints nothing for nothing", () => {
    const file = report(path.join(CWD, "a", "Dockerfile"), { findings: [finding("secret-arg-env", 1, "fixed", "m")] });
    expect(github([file], { ...OPTS, severity: () => "note" })).toBe(
      "::notice file=a/Dockerfile,line=1,col=1,endLine=1,endColumn=12,title=unbake/secret-arg-env::m\n",
    );
    expect(github([], OPTS)).toBe("");
    expect(github([report("Dockerfile")], OPTS)).toBe("");
  });
});

// ---------------------------------------------------------------------------------------------
describe("stylish", () => {
  const small = (): FileReport[] => [
    report("Dockerfile", {
      findings: [
        finding("secret-arg-env", 2, "fixed", "ARG NPM_TOKEN carries a secret", { secretId: "npm_token" }),
        finding("hardcoded-secret", 12, "manual", "hard-coded token (value not shown)", { column: 10 }),
      ],
    }),
    report("clean/Dockerfile"),
    report("bad/Dockerfile", { error: "not UTF-8" }),
    report("b/Dockerfile", { findings: [finding("secret-file-copy", 3, "needs-review", "COPY puts .npmrc into a layer")] }),
  ];

  it("prints the exact table and summary", () => {
    expect(stylish(small(), OPTS)).toBe(
      [
        "Dockerfile",
        "   2:1   warning  ARG NPM_TOKEN carries a secret      secret-arg-env",
        "  12:10  error    hard-coded token (value not shown)  hardcoded-secret",
        "",
        "bad/Dockerfile",
        "  error  not UTF-8",
        "",
        "b/Dockerfile",
        "  3:1  warning  COPY puts .npmrc into a layer  secret-file-copy",
        "",
        "\u2716 4 problems (2 errors, 2 warnings)",
        "",
      ].join("\n"),
    );
  });

  it("counts the summary over every file and names notes only when there are some", () => {
    expect(stylish(batch(), OPTS).trimEnd().split("\n").at(-1)).toBe("\u2716 9 problems (4 errors, 5 warnings)");
    const one = [report("D", { findings: [finding("secret-arg-env", 1, "fixed", "m")] })];
    expect(stylish(one, OPTS).trimEnd().split("\n").at(-1)).toBe("\u2716 1 problem (0 errors, 1 warning)");
    expect(stylish(one, { ...OPTS, severity: () => "note" }).trimEnd().split("\n").at(-1)).toBe(
      "\u2716 1 problem (0 errors, 0 warnings, 1 note)",
    );
  });

  it("prints nothing without problems, and colours keep the layout", () => {
    expect(stylish([], OPTS)).toBe("");
    expect(stylish([report("Dockerfile")], OPTS)).toBe("");
    const coloured = stylish(small(), { ...OPTS, color: true });
    expect(coloured).toContain("\x1b[31merror\x1b[0m");
    expect(coloured).toContain("\x1b[4mDockerfile\x1b[0m");
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, "")).toBe(stylish(small(), OPTS));
  });

  it("keeps a multi-line message on its row", () => {
    const out = stylish([report("D", { findings: [finding("secret-arg-env", 1, "manual", "a\nb")] })], OPTS);
    expect(out.split("\n")[1]).toBe("  1:1  error  a b  secret-arg-env");
  });
});

// ---------------------------------------------------------------------------------------------
describe("markdown", () => {
  it("prints a summary and one table per file with problems", () => {
    const out = markdown(batch(), OPTS);
    expect(out.startsWith("## unbake\n\n**9 problems (4 errors, 5 warnings)** in 3 of 4 files.\n")).toBe(true);
    expect(out.match(/^\| Line \| Rule \| Severity \| Message \|$/gm)).toHaveLength(2);
    expect(out.match(/^### /gm)).toHaveLength(3);
    expect(out).not.toContain("clean/Dockerfile");
    expect(out).toContain("### broken/Dockerfile\n\n**error**: not UTF-8\n");
    expect(out).toContain("| 4:3 | `secret-file-copy` | warning | COPY puts .npmrc into a layer |");
    expect(out).toContain("| 14:1 | `secret-used-outside-run` | error | LABEL uses the secret \\$NPM\\_TOKEN |");
  });

  it("escapes pipes and other Markdown so a message stays in its cell", () => {
    const file = report("a|b/Dockerfile_x", {
      findings: [finding("run-writes-secret", 7, "manual", "echo $T | tee *.npmrc <b>\nnext `x`")],
    });
    const out = markdown([file], OPTS);
    expect(out).toBe(
      [
        "## unbake",
        "",
        "**1 problem (1 error, 0 warnings)** in 1 of 1 file.",
        "",
        "### a\\|b/Dockerfile\\_x",
        "",
        "| Line | Rule | Severity | Message |",
        "| ---: | --- | --- | --- |",
        "| 7:1 | `run-writes-secret` | error | echo \\$T \\| tee \\*.npmrc \\<b\\><br>next \\`x\\` |",
        "",
      ].join("\n"),
    );
    // every row has exactly the table's 5 unescaped pipes
    const row = out.split("\n").find((l) => l.startsWith("| 7:1"))!;
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(5);
  });

  it("says so when there is nothing", () => {
    expect(markdown([], OPTS)).toBe("## unbake\n\nNo problems in 0 files.\n");
    expect(markdown([report("Dockerfile")], OPTS)).toBe("## unbake\n\nNo problems in 1 file.\n");
  });
});

// ---------------------------------------------------------------------------------------------
describe("no format prints what the findings do not say", () => {
  const CANARY = "CANARY-9b1e77-hunter2";
  it("keeps diffs, secrets, commands, runtime hints and the context out of every format", () => {
    const file = {
      ...report("Dockerfile", {
        changed: true,
        findings: [
          finding("secret-arg-env", 2, "fixed", "ARG NPM_TOKEN carries a secret", { secretId: "npm_token" }),
          finding("hardcoded-secret", 3, "manual", "hard-coded token (value not shown)"),
        ],
        secrets: [
          { id: "npm_token", source: { type: "env", name: `NPM_${CANARY}` }, usage: "build", mountedOn: [4], buildArgs: [CANARY] },
          { id: "npmrc", source: { type: "file", path: `.npmrc-${CANARY}` }, usage: "runtime", target: `/app/${CANARY}`, mountedOn: [] },
        ],
        commands: { docker: `docker build --secret id=npm_token,env=${CANARY} .` } as FileReport["commands"],
        context: `ctx-${CANARY}`,
        diffs: [`--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1 +1 @@\n-ENV TOKEN=${CANARY}\n+ENV TOKEN=***\n`],
      }),
      runtime: { docker: `docker run -e ${CANARY}`, compose: `secrets: ${CANARY}` },
    } as FileReport;
    const failed = { ...report("bad/Dockerfile", { error: "not UTF-8", diffs: [CANARY] }), runtime: { docker: CANARY } } as FileReport;
    const files = [file, failed];
    const outputs = {
      stylish: stylish(files, OPTS),
      stylishColour: stylish(files, { ...OPTS, color: true }),
      sarif: sarif(files, OPTS),
      sarifWithFixes: sarif(files, { ...OPTS, fixes: new Map([["Dockerfile", { before: "FROM a\nARG NPM_TOKEN\n", after: "FROM a\n" }]]) }),
      github: github(files, OPTS),
      markdown: markdown(files, OPTS),
    };
    for (const [name, out] of Object.entries(outputs)) {
      expect(out.length, name).toBeGreaterThan(0);
      expect(out, name).toContain("carries a secret");
      expect(out, name).not.toContain(CANARY);
      expect(out, name).not.toContain("CANARY");
    }
  });
});

describe("scope: the shipped image or only build stages", () => {
  const scoped = [
    report("Dockerfile", {
      findings: [
        finding("secret-arg-env", 2, "fixed", "ARG NPM_TOKEN carries a secret into the image", { secretId: "npm_token", scope: "image" }),
        finding("secret-file-copy", 4, "manual", "COPY puts .npmrc into a build stage", { secretId: "npmrc", scope: "build-stages" }),
        finding("build-arg-secret", 7, "manual", "--build-arg NPM_TOKEN"),
      ],
    }),
  ];

  it("sets the default severity: image → error, build stages → warning, whatever the status; no scope → by status", () => {
    const log = expectValidSarif(sarif(scoped, OPTS));
    const results = log.runs[0].results!;
    expect(results.map((r) => r.level)).toEqual(["error", "warning", "error"]);
    expect(results.map((r) => r.properties)).toEqual([
      { status: "fixed", secretId: "npm_token", scope: "image", "security-severity": "8.0" },
      { status: "manual", secretId: "npmrc", scope: "build-stages", "security-severity": "5.5" },
      { status: "manual" },
    ]);
    expect(github(scoped, OPTS).split("\n").filter(Boolean).map((l) => l.split(" ")[0])).toEqual(["::error", "::warning", "::error"]);
    expect(stylish(scoped, OPTS)).toContain("3 problems (2 errors, 1 warning)");
    expect(markdown(scoped, OPTS)).toContain("| 4:1 | `secret-file-copy` | warning |");
  });

  it("a configured severity wins", () => {
    const log = expectValidSarif(sarif(scoped, { ...OPTS, severity: () => "note" }));
    expect(log.runs[0].results!.map((r) => r.level)).toEqual(["note", "note", "note"]);
  });

  it("every rule's SARIF figure is high in the image", () => {
    const log = expectValidSarif(sarif(scoped, OPTS));
    for (const rule of log.runs[0].tool.driver.rules!) expect(Number(rule.properties!["security-severity"])).toBeGreaterThanOrEqual(6.5);
  });
});
