import { describe, expect, it } from "vitest";
import { BUILDER_KINDS, buildConfigs, runtimeConfigs, type BuildTarget } from "../src/emit/build-configs.js";
import type { FileReport } from "../src/emit/file-report.js";
import { migrationReport, type MigrationEntry } from "../src/emit/migration-report.js";
import { createRedactor } from "../src/emit/redact.js";
import type { Finding, Secret } from "../src/types.js";

// Values that must never reach the report, wherever they are passed in.
const CANARY = "hunter2-CANARY-7f3a9";
const TOKEN_CANARY = "ghp_" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c";
const REDACT_CANARY = "s3cr3t-from-the-analysis";

function finding(rule: Finding["rule"], line: number, status: Finding["status"], secretId?: string, message = "x"): Finding {
  return { rule, line, column: 1, endLine: line, endColumn: 10, message, status, ...(secretId ? { secretId } : {}) };
}

function fileReport(partial: Partial<FileReport> & Pick<FileReport, "path">): FileReport {
  return { changed: false, findings: [], secrets: [], commands: {}, diffs: [], ...partial };
}

function entryFor(report: FileReport, name: string, dockerfile = "Dockerfile"): MigrationEntry {
  const target: BuildTarget = { dockerfile, name, secrets: report.secrets, mountStyle: "auto" };
  return { report, configs: buildConfigs(target, [...BUILDER_KINDS]), runtime: runtimeConfigs(target) };
}

const apiSecrets: Secret[] = [
  { id: "npm_token", source: { type: "env", name: "NPM_TOKEN" }, usage: "build", mountedOn: [6, 9], buildArgs: [] },
  { id: "npmrc", source: { type: "file", path: ".npmrc" }, usage: "build", mountedOn: [6], buildArgs: [] },
  { id: "api_key", source: { type: "env", name: "API_KEY" }, usage: "runtime", hardcoded: true, mountedOn: [], buildArgs: [] },
  { id: "sa", source: { type: "file", path: "keys/sa.json" }, usage: "runtime", target: "/app/sa.json", mountedOn: [], buildArgs: [] },
];

function batch(): MigrationEntry[] {
  const api = entryFor(
    fileReport({
      path: "services/api/Dockerfile",
      changed: true,
      context: "services/api",
      secrets: apiSecrets,
      findings: [
        finding("secret-file-copy", 4, "fixed", "npmrc"),
        finding("secret-arg-env", 2, "fixed", "npm_token"),
        finding("secret-arg-env", 3, "needs-review", "api_key", `ENV API_KEY=${CANARY} is not read by any RUN`),
        finding("hardcoded-secret", 11, "manual", undefined, `RUN contains a hard-coded GitHub token ${TOKEN_CANARY} (${CANARY})`),
      ],
      commands: { docker: "docker build --secret id=npm_token,env=NPM_TOKEN --secret id=npmrc,src=.npmrc ." },
      diffs: [`-ENV API_KEY=${CANARY}\n+# removed\n`],
    }),
    "api",
  );
  api.callSites = {
    changed: [{ path: "ci/build.sh", line: 12, description: `--build-arg NPM_TOKEN=${REDACT_CANARY} became --secret id=npm_token,env=NPM_TOKEN` }],
    manual: [
      { path: ".github/workflows/ci.yml", line: 30, reason: "build-args: | passes NPM_TOKEN through a matrix" },
      { path: "Makefile", line: 4, reason: `uses ${TOKEN_CANARY} literally` },
    ],
  };
  const broken = entryFor(fileReport({ path: "broken/Dockerfile", error: `cannot be handled: unexpected text near ${TOKEN_CANARY}` }), "broken");
  const clean = entryFor(fileReport({ path: "clean/Dockerfile" }), "clean");
  const odd = entryFor(fileReport({ path: "odd`name/Dockerfile" }), "odd");
  const weird = entryFor(
    fileReport({
      path: "we|ird/Dockerfile.dev",
      findings: [finding("run-writes-secret", 7, "manual", undefined, `echo ${CANARY} > .netrc`)],
    }),
    "we-ird-dev",
    "Dockerfile.dev",
  );
  return [api, broken, clean, weird, odd];
}

const OPTIONS = { title: "Migration | batch 1", generatedBy: "unbake 0.1.0", redact: createRedactor([REDACT_CANARY]) };

// ---------------------------------------------------------------------------------------------
// Markdown structure helpers

interface Block {
  lang: string;
  body: string;
}

/** Fenced code blocks; throws when one is left open or closed by a shorter fence. */
function codeBlocks(md: string): { blocks: Block[]; outside: string[] } {
  const blocks: Block[] = [];
  const outside: string[] = [];
  let open: { fence: string; lang: string; lines: string[] } | undefined;
  for (const line of md.split("\n")) {
    if (open) {
      if (line === open.fence) {
        blocks.push({ lang: open.lang, body: open.lines.join("\n") });
        open = undefined;
      } else {
        expect(line.startsWith(open.fence)).toBe(false);
        open.lines.push(line);
      }
      continue;
    }
    const m = /^(`{3,})([^`]*)$/.exec(line);
    if (m) open = { fence: m[1], lang: m[2], lines: [] };
    else outside.push(line);
  }
  if (open) throw new Error(`unclosed fence ${open.fence}${open.lang}`);
  return { blocks, outside };
}

/** GFM row cells: split on pipes not escaped by a backslash, then unescape `\|`. */
function cells(row: string): string[] {
  expect(row.startsWith("|") && row.endsWith("|")).toBe(true);
  const out: string[] = [];
  let cur = "";
  for (let i = 1; i < row.length; i++) {
    if (row[i] === "\\" && row[i + 1] === "|") {
      cur += "|";
      i++;
    } else if (row[i] === "|") {
      out.push(cur.trim());
      cur = "";
    } else cur += row[i];
  }
  return out;
}

/** Every table (outside code blocks): consecutive lines starting with `|`, every row as wide as the header. */
function tables(lines: string[]): string[][][] {
  const out: string[][][] = [];
  let cur: string[][] | undefined;
  for (const line of lines) {
    if (line.startsWith("|")) {
      const row = cells(line);
      if (!cur) out.push((cur = []));
      else expect(row.length, line).toBe(cur[0].length);
      cur.push(row);
    } else cur = undefined;
  }
  for (const t of out) expect(t[1].every((c) => /^-{3,}$/.test(c))).toBe(true);
  return out;
}

/** The text of the section under a heading, up to the next heading of the same or a higher level. */
function section(md: string, heading: string): string {
  const lines = md.split("\n");
  const start = lines.indexOf(heading);
  expect(start, `heading ${heading}`).toBeGreaterThanOrEqual(0);
  const level = /^#+/.exec(heading)![0].length;
  let end = start + 1;
  let fence: string | undefined;
  for (; end < lines.length; end++) {
    const line = lines[end];
    if (fence !== undefined) {
      if (line === fence) fence = undefined;
      continue;
    }
    const f = /^`{3,}/.exec(line);
    if (f) fence = f[0];
    else if (/^#+ /.test(line) && /^#+/.exec(line)![0].length <= level) break;
  }
  return lines.slice(start + 1, end).join("\n");
}

/** Headings outside code blocks. */
function headings(md: string, maxLevel = 6): string[] {
  return codeBlocks(md).outside.filter((l) => new RegExp(`^#{1,${maxLevel}} `).test(l));
}

describe("migrationReport", () => {
  const md = migrationReport(batch(), OPTIONS);

  it("has the title, the summary and a section per file with work, in path order", () => {
    expect(headings(md, 2)).toEqual([
      "# Migration | batch 1",
      "## Summary",
      "## `services/api/Dockerfile`",
      "## `we|ird/Dockerfile.dev`",
      "## Files with errors",
      "## Nothing to do",
    ]);
    expect(md).toContain("Generated by unbake 0.1.0.");
    const api = section(md, "## `services/api/Dockerfile`");
    expect(headings(api)).toEqual([
      "### Secrets moved",
      "### Build",
      "#### docker build / docker buildx build",
      "#### docker buildx bake (docker-bake.hcl)",
      "#### Docker Compose (compose.yaml)",
      "#### GitHub Actions (docker/build-push-action)",
      "#### podman build / buildah bud",
      "### Runtime secrets",
      "#### docker run",
      "#### Docker Compose",
      "### Rotate these hard-coded secrets",
      "### Call sites",
      "### Findings to review or fix by hand",
    ]);
    expect(api).toContain("Build context: `services/api`.");
    expect(md.endsWith("\n") && !md.endsWith("\n\n")).toBe(true);
  });

  it("summary table counts per file and in total", () => {
    const { outside } = codeBlocks(md);
    const summary = tables(section(md, "## Summary").split("\n"))[0];
    expect(summary[0]).toEqual(["file", "status", "build secrets", "runtime secrets", "hard-coded", "fixed", "to review", "manual"]);
    expect(summary.slice(2)).toEqual([
      ["`broken/Dockerfile`", "error", "", "", "", "", "", ""],
      ["`clean/Dockerfile`", "clean", "0", "0", "0", "0", "0", "0"],
      ["``odd`name/Dockerfile``", "clean", "0", "0", "0", "0", "0", "0"],
      ["`services/api/Dockerfile`", "changed", "2", "2", "2", "2", "1", "1"],
      ["`we|ird/Dockerfile.dev`", "to do", "0", "0", "0", "0", "0", "1"],
      ["**total**", "1 changed", "2", "2", "2", "2", "1", "2"],
    ]);
    expect(md).toContain("5 files: 1 changed, 1 with work left and not changed, 2 clean, 1 error.");
    // every table in the report is well formed
    expect(tables(outside).length).toBe(5);
  });

  it("escapes | in table cells", () => {
    const row = md.split("\n").find((l) => l.startsWith("| `we"))!;
    expect(row).toContain("`we\\|ird/Dockerfile.dev`");
    expect(md).not.toMatch(/^\| [^\n]*[^\\]\|ird/m);
  });

  it("code blocks are fenced, balanced and hold the configs verbatim", () => {
    const { blocks } = codeBlocks(md);
    const entry = batch()[0];
    const expected = [
      ["sh", entry.configs.docker],
      ["hcl", entry.configs.bake],
      ["yaml", entry.configs.compose],
      ["yaml", entry.configs.gha],
      ["sh", entry.configs.podman],
      ["sh", entry.runtime.docker],
      ["yaml", entry.runtime.compose],
    ];
    expect(blocks.map((b) => [b.lang, b.body])).toEqual(expected);
    expect(blocks[0].body).toBe("docker build --secret id=npm_token,env=NPM_TOKEN --secret id=npmrc,src=.npmrc .");
  });

  it("a body holding backticks gets a longer fence", () => {
    const e = entryFor(fileReport({ path: "x/Dockerfile", changed: true, secrets: [apiSecrets[0]] }), "x");
    e.configs = { docker: "cat <<'EOF'\n```\n````\nEOF\ndocker build ." };
    const { blocks } = codeBlocks(migrationReport([e], {}));
    expect(blocks).toEqual([{ lang: "sh", body: "cat <<'EOF'\n```\n````\nEOF\ndocker build ." }]);
  });

  it("secrets moved: id, source and usage", () => {
    const t = tables(section(md, "### Secrets moved").split("\n"))[0];
    expect(t.slice(2)).toEqual([
      ["`npm_token`", "variable `NPM_TOKEN`", "build: mounted on RUN lines 6, 9"],
      ["`npmrc`", "file `.npmrc`", "build: mounted on RUN line 6"],
      ["`api_key`", "variable `API_KEY`", "runtime: no build step reads it; supply it when the container runs"],
      ["`sa`", "file `keys/sa.json`", "runtime: no build step reads it; supply it when the container runs"],
    ]);
  });

  it("runtime secrets say how the container gets each one", () => {
    const s = section(md, "### Runtime secrets");
    expect(s).toContain("- `api_key`: as variable `API_KEY`");
    expect(s).toContain("- `sa`: as a file at `/app/sa.json`");
    expect(s).toContain("docker run -e API_KEY --mount type=bind,src=./keys/sa.json,dst=/app/sa.json,readonly IMAGE");
  });

  it("hard-coded secrets are named by id, variable and line, never by value", () => {
    const s = section(md, "### Rotate these hard-coded secrets");
    const items = s.split("\n").filter((l) => l.startsWith("- "));
    expect(items).toEqual(["- line 3: secret `api_key` (variable `API_KEY`)", "- line 11: a secret value written in the Dockerfile (column 1)"]);
    expect(md).toContain("**2 hard-coded secrets must be rotated**");
  });

  it("never prints a secret value: not from messages, diffs, errors or call sites", () => {
    expect(md).not.toContain(CANARY);
    expect(md).not.toContain(TOKEN_CANARY);
    expect(md).not.toContain(REDACT_CANARY);
    expect(md).not.toContain(CANARY.slice(0, 12));
    // the masked texts are still there
    expect(md).toContain("unexpected text near \\*\\*\\*");
    expect(md).toContain("--build-arg NPM\\_TOKEN=\\*\\*\\* became");
  });

  it("call sites: changed and left for a person, sorted, free text escaped", () => {
    const s = section(md, "### Call sites");
    expect(s).toContain("Changed:\n\n- `ci/build.sh:12` ");
    const left = s.slice(s.indexOf("Left for a person:")).split("\n").filter((l) => l.startsWith("- "));
    expect(left).toEqual(["- `.github/workflows/ci.yml:30` build-args: | passes NPM\\_TOKEN through a matrix", "- `Makefile:4` uses \\*\\*\\* literally"]);
  });

  it("findings needing review or manual work, with fixed wording", () => {
    const t = tables(section(md, "### Findings to review or fix by hand").split("\n"))[0];
    expect(t.slice(2).map((r) => r.slice(0, 4))).toEqual([
      ["3:1", "`secret-arg-env`", "needs-review", "`api_key`"],
      ["11:1", "`hardcoded-secret`", "manual", ""],
    ]);
    expect(t[2][5]).toMatch(/running container must now get it/);
    expect(t[3][5]).toMatch(/rotate/);
    const weird = tables(section(md, "## `we|ird/Dockerfile.dev`").split("\n"))[0];
    expect(weird.slice(2).map((r) => r.slice(0, 3))).toEqual([["7:1", "`run-writes-secret`", "manual"]]);
    expect(section(md, "## `we|ird/Dockerfile.dev`")).not.toContain("### Build");
  });

  it("files with errors are listed with their error, clean files by name only", () => {
    const t = tables(section(md, "## Files with errors").split("\n"))[0];
    expect(t.slice(2)).toEqual([["`broken/Dockerfile`", "cannot be handled: unexpected text near \\*\\*\\*"]]);
    expect(section(md, "## Nothing to do").trim()).toBe("- `clean/Dockerfile`\n- ``odd`name/Dockerfile``");
    expect(md).not.toContain("## `broken/Dockerfile`");
    expect(md).not.toContain("## `clean/Dockerfile`");
  });

  it("is deterministic: the same report whatever the order of the entries", () => {
    const entries = batch();
    expect(migrationReport([...entries].reverse(), OPTIONS)).toBe(md);
    expect(migrationReport([entries[2], entries[4], entries[0], entries[3], entries[1]], OPTIONS)).toBe(md);
    expect(migrationReport(batch(), OPTIONS)).toBe(md);
  });

  it("falls back to the report's docker command when no configs were made", () => {
    const e: MigrationEntry = {
      report: fileReport({ path: "Dockerfile", changed: true, secrets: [apiSecrets[0]], commands: { docker: "docker build --secret id=npm_token,env=NPM_TOKEN ." } }),
      configs: {},
      runtime: {},
    };
    const out = migrationReport([e], {});
    expect(out.startsWith("# unbake migration report\n")).toBe(true);
    expect(codeBlocks(out).blocks).toEqual([{ lang: "sh", body: "docker build --secret id=npm_token,env=NPM_TOKEN ." }]);
    expect(out).not.toContain("Generated by");
  });

  it("an empty batch still has a summary", () => {
    const out = migrationReport([], {});
    expect(out).toContain("0 files: 0 changed");
    expect(tables(out.split("\n"))[0].slice(2)).toEqual([["**total**", "0 changed", "0", "0", "0", "0", "0", "0"]]);
  });
});
