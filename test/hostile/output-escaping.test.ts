/**
 * Paths that speak to the terminal or the CI log: a Dockerfile in a folder named
 * "\n::error file=x::pwned" (a GitHub Actions workflow command on a line of its own), "\x1b[31m"
 * (an escape sequence), "\r" (a line break for the runner), a bidi override, a line separator,
 * a C1 control; a secret ARG whose name holds an escape sequence; a credential file whose name
 * holds one. Every output format, --report and --write: no raw control character but the
 * format's own line breaks and tabs, no line starting with `::` but unbake's own annotations, a
 * diff that git still applies, nothing outside touched, a time bound.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { escapeText } from "../../src/emit/escape.js";
import { github } from "../../src/emit/formats/github.js";
import { createProgress } from "../../src/cli/progress.js";
import { main } from "../../src/cli/main.js";
import { everyOutput, hostileTree, runCli, type CliRun, type HostileTree } from "./harness.js";

const BOUND_MS = 20_000;

/** Anything a terminal, a log reader or a bidi-aware viewer acts on; \n and \t are the formats' own. */
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

const FOLDERS = ["n\n::error file=x::pwned", "e\x1b[31m", "r\rx", "b\u202eidi", "s\u2028ep", "c1\u009b2J"];

const NPM = "FROM node:22\nARG NPM_TOKEN\nCOPY package.json .npmrc ./\nRUN npm ci\n";
/** A secret-named ARG whose name holds an escape sequence, and a credential file whose name does. */
const ODD_NAMES = 'FROM node:22\nARG \x1b[2J_TOKEN\nCOPY ["credentials\\u001b[2J.json", "/root/creds.json"]\nRUN ./deploy $\x1b[2J_TOKEN /root/creds.json\n';

let tree: HostileTree;
afterEach(() => tree?.cleanup());

function record(name: string, run: CliRun): void {
  console.log(`hostile/output-escaping ${name}: ${Math.round(run.ms)} ms, ${run.maxRssMb === null ? "?" : run.maxRssMb.toFixed(0)} MB`);
}

/**
 * The output without the body lines of its diffs: those are the files' own bytes, which a patch
 * must carry as they are (what is checked here is every path and message around them).
 */
function withoutDiffBodies(s: string): string {
  const out: string[] = [];
  let left = 0;
  for (const line of s.split("\n")) {
    if (left > 0 && /^[ +\-\\]/.test(line)) {
      if (!line.startsWith("\\")) left--;
      continue;
    }
    left = 0;
    const hunk = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
    if (hunk) left = Number(hunk[1] ?? 1) + Number(hunk[2] ?? 1);
    out.push(line);
  }
  return out.join("\n");
}

function firstRawControl(output: string): string | null {
  const s = withoutDiffBodies(output);
  const m = RAW_CONTROL.exec(s);
  return m ? JSON.stringify(s.slice(Math.max(0, m.index - 30), m.index + 10)) : null;
}

/** Lines the GitHub runner would read as a workflow command (it trims leading blanks; CR ends a line too). */
function commandLines(s: string): string[] {
  return s.split(/\r\n|\r|\n/).filter((l) => l.trimStart().startsWith("::"));
}

describe("hostile repositories: paths and names that speak to the terminal or the CI log", () => {
  it("every output escapes them, GitHub sees only unbake's annotations, git applies the diff", () => {
    tree = hostileTree();
    tree.outsideFile("token.txt", "never-read\n");
    for (const f of FOLDERS) {
      tree.file(`${f}/Dockerfile`, NPM);
      tree.file(`${f}/.npmrc`, "//registry.npmjs.org/:_authToken=stand-in\n");
    }
    tree.file("odd/Dockerfile", ODD_NAMES);
    tree.file("bad\x1b]0;title\x07/Dockerfile", Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x00, 0x0a])); // binary: an error line names it
    const before = tree.snapshotOutside();

    const out = everyOutput(["."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    for (const { args, run } of out.runs) {
      expect(run.timedOut, args.join(" ")).toBe(false);
      expect(run.ms).toBeLessThan(BOUND_MS);
      expect(firstRawControl(run.stdout + run.stderr), args.join(" ")).toBeNull();
      const own = args[0] === "check" && args.includes("github") ? run.stdout : "";
      expect(commandLines(run.stdout + run.stderr).length, args.join(" ")).toBe(commandLines(own).length);
    }
    record("control characters in paths (text)", out.runs[0].run);
    expect(firstRawControl(out.all)).toBeNull();

    // GitHub: one annotation per problem the JSON report counts, each a well-formed command.
    const json = JSON.parse(out.runs.find((r) => r.args.join(" ") === "check --format json .")!.run.stdout);
    const problems = json.files.reduce((n: number, f: { findings: unknown[]; error?: string }) => n + f.findings.length + (f.error ? 1 : 0), 0);
    const gh = out.runs.find((r) => r.args.includes("github"))!.run.stdout;
    const annotations = gh.split("\n").filter((l) => l !== "");
    expect(annotations.length).toBe(problems);
    for (const l of annotations) expect(l).toMatch(/^::(error|warning|notice) file=[^:,]+(,[a-zA-Z]+=[^:,]*)*::[^\n]*$/);
    expect(problems).toBeGreaterThan(FOLDERS.length * 2);

    // Shown escaped, not dropped: a reader can still find the file.
    expect(out.all).toContain("n\\n::error file=x::pwned/Dockerfile");
    expect(out.all).toContain("e\\x1b[31m/Dockerfile");
    expect(out.all).toContain("b\\u{202e}idi/Dockerfile");
    expect(out.all).toContain("\\x1b[2J_TOKEN");

    // The patch still applies: names in git's quoted form.
    const diff = out.runs.find((r) => r.args.join(" ") === "--format diff .")!.run.stdout;
    expect(diff).toContain('--- "a/n\\n::error file=x::pwned/Dockerfile"\tbefore');
    const copy = mkdtempSync(join(tmpdir(), "unbake-escaping-apply-"));
    try {
      cpSync(tree.repo, copy, { recursive: true });
      execFileSync("git", ["init", "-q"], { cwd: copy });
      execFileSync("git", ["apply", "--check", "-"], { cwd: copy, input: diff });
      execFileSync("git", ["apply", "-"], { cwd: copy, input: diff });
      expect(readFileSync(join(copy, FOLDERS[0], "Dockerfile"), "utf8")).toContain("--mount=type=secret,id=npm_token,env=NPM_TOKEN");
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }

    const write = runCli(["--write", "."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    record("control characters in paths --write", write);
    expect(write.timedOut).toBe(false);
    expect(write.ms).toBeLessThan(BOUND_MS);
    expect(firstRawControl(write.stdout + write.stderr)).toBeNull();
    expect(commandLines(write.stdout + write.stderr)).toEqual([]);
    expect(readFileSync(join(tree.repo, FOLDERS[1], "Dockerfile"), "utf8")).toContain("--mount=type=secret,id=npmrc");
    expect(tree.snapshotOutside()).toEqual(before);
  });
});

describe("the printers' escaping", () => {
  it("escapeText: controls by name or \\xNN, separators and bidi controls as \\u{…}, the rest untouched", () => {
    expect(escapeText("a\nb\tc\rd\x1b[31m\x7f\x85\u2028\u202e\u2066é/ü")).toBe("a\\nb\\tc\\rd\\x1b[31m\\x7f\\x85\\u{2028}\\u{202e}\\u{2066}é/ü");
  });

  it("a GitHub annotation for a file named like a workflow command stays one command", () => {
    const file = { path: "d\n::error file=x::pwned\r::warning::y/Dockerfile", changed: false, error: "cannot read\n::notice::z", findings: [], secrets: [], commands: {}, diffs: [] };
    const out = github([file], { color: false, cwd: "/", toolVersion: "0" });
    expect(commandLines(out)).toHaveLength(1);
    expect(out).toBe("::error file=d\\n%3A%3Aerror file=x%3A%3Apwned\\r%3A%3Awarning%3A%3Ay/Dockerfile,title=unbake::cannot read%0A::notice::z\n");
  });

  it("a usage error quotes what was typed escaped", async () => {
    let err = "";
    const sink = { write: (s: string) => (err += s) };
    const code = await main(["--bogus\x1b]0;owned\x07", "explain", "x\ny"], { stdout: sink, stderr: sink, cwd: "/", env: {} });
    expect(code).toBe(2);
    expect(err).toContain("--bogus\\x1b]0;owned\\x07");
    expect(firstRawControl(err.replace(/\n$/, ""))).toBeNull();
  });

  it("the progress line shows the current path escaped", () => {
    let written = "";
    let now = 0;
    const progress = createProgress({ write: (s: string) => (written += s), isTTY: true, columns: 200 }, 10, { enabled: true, now: () => now });
    now = 2_000;
    progress.update(3, "x\x1b]0;owned\x07\n/Dockerfile");
    expect(written.startsWith("\r\x1b[K")).toBe(true);
    expect(firstRawControl(written.slice("\r\x1b[K".length))).toBeNull();
    expect(written).toContain("x\\x1b]0;owned\\x07\\n/Dockerfile");
  });
});

/**
 * What GitHub's runner takes for a workflow command (actions/runner ActionCommand.TryParseV2 and
 * the legacy TryParse, then stop-commands): the names of the commands it would run, line by line.
 * Each stream is read on its own, with no stop-commands carried over from the other (the runner
 * may read them in any order).
 */
const REGISTERED = new Set(["error", "warning", "notice", "debug", "group", "endgroup", "add-mask", "stop-commands", "set-output", "save-state", "add-matcher", "remove-matcher", "echo", "add-path", "set-env"]);
function workflowCommands(log: string): string[] {
  const out: string[] = [];
  let stopToken: string | null = null;
  for (const raw of log.split(/\r?\n|\r/)) {
    const line = raw.trimStart();
    let name: string | null = null;
    if (line.startsWith("::") && line.indexOf("::", 2) > 0) name = line.slice(2, line.indexOf("::", 2)).split(" ")[0];
    else if (raw.includes("##[") && raw.indexOf("]", raw.indexOf("##[")) > 0) name = raw.slice(raw.indexOf("##[") + 3, raw.indexOf("]", raw.indexOf("##["))).split(" ")[0];
    if (stopToken !== null) {
      if (name === stopToken) stopToken = null;
      continue;
    }
    if (name === null) continue;
    if (name === "stop-commands") stopToken = line.slice(line.indexOf("::", 2) + 2);
    else if (REGISTERED.has(name) || /^[0-9a-f]{32}$/.test(name)) out.push(name);
  }
  return out;
}

describe("hostile repositories: text a CI runner would take for a command", () => {
  it("a folder named ::error …, ##[error] in a folder and in a Dockerfile line: no command in any output under GITHUB_ACTIONS", () => {
    tree = hostileTree();
    tree.file("::error title=x::pwned/Dockerfile", "FROM alpine\nARG NPM_TOKEN\nRUN npm ci\n");
    tree.file("a##[error]b/Dockerfile", 'FROM alpine\nARG NPM_TOKEN\nRUN echo "##[error]hi" && npm ci\n::warning::in a heredoc-free line\n');
    tree.file("c##vso[task.setvariable variable=x]y/Dockerfile", "FROM alpine\nARG NPM_TOKEN\nRUN npm ci\n");
    const out = everyOutput(["."], { cwd: tree.repo, timeoutMs: BOUND_MS, env: { GITHUB_ACTIONS: "true" } });
    for (const { args, run } of out.runs) {
      expect(run.timedOut).toBe(false);
      const github = args.includes("github");
      // The github format is annotations by design (warning/error/notice), the rest none at all.
      const allowed = (name: string) => github && ["warning", "error", "notice"].includes(name);
      expect(workflowCommands(run.stdout).filter((n) => !allowed(n)), `${args.join(" ")} stdout`).toEqual([]);
      expect(workflowCommands(run.stderr), `${args.join(" ")} stderr`).toEqual([]);
      // Azure's form, in what unbake prints of paths and messages (a diff prints the file's own text and path).
      expect(args[0] === "check" ? run.stdout + run.stderr : run.stderr, args.join(" ")).not.toContain("##vso[");
    }
    // Without GITHUB_ACTIONS the diff is the files' own text: the same check finds the commands it holds.
    const plain = runCli(["."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    expect(workflowCommands(plain.stdout)).toContain("error");
    // Guarded, the diff still applies: git skips the stop and resume lines.
    const guarded = runCli(["--format", "diff", "."], { cwd: tree.repo, timeoutMs: BOUND_MS, env: { GITHUB_ACTIONS: "true" } });
    expect(guarded.stdout.startsWith("::stop-commands::")).toBe(true);
    execFileSync("git", ["init", "-q"], { cwd: tree.repo });
    execFileSync("git", ["apply", "--check", "-"], { cwd: tree.repo, input: guarded.stdout });
  });
});
