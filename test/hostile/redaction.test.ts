/**
 * Hard-coded values hidden by where they are written, not by what they parse to: quotes with
 * `\"` inside, single quotes, `\ `, `${X:-value}`, a line continuation inside the value (a 1- or
 * 2-character tail included), the backtick escape, CRLF, a URL password in a RUN or a heredoc,
 * `$$` in a password. Every output (text, diff, json, every check format, --report) is searched
 * for the value, its spelling and every 6-character piece of either.
 *
 * PROPERTY_RUNS (environment) sets the number of generated cases.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { createRedactor, MASK } from "../../src/emit/redact.js";
import { runPipeline } from "../../src/pipeline.js";
import { everyOutput, hostileTree, OUTPUT_RUNS, runCli, type CliRun, type HostileTree } from "./harness.js";

// Each case runs the command ten times: fewer cases than the in-memory properties.
const RUNS = Number(process.env.PROPERTY_RUNS ?? 25);
const BOUND_MS = 20_000;

// ---------------------------------------------------------------------------------------------
// Dockerfiles with a value spelt one way or another

type Spelling =
  | "plain"
  | "double-quoted"
  | "single-quoted"
  | "escaped-space"
  | "default"
  | "continued"
  | "continued-quoted"
  | "url-in-run"
  | "url-in-heredoc"
  | "pid-in-url";

interface Case {
  value: string;
  spelling: Spelling;
  keyword: "ARG" | "ENV";
  name: string;
  /** Where the value is cut (for spellings that cut it). */
  cut: number;
  backtick: boolean;
  crlf: boolean;
  /** `# unbake-ignore` above it: it stays, and the diff prints it as context. */
  ignored: boolean;
}

interface Rendered {
  text: string;
  /** The value as written in the file. */
  raw: string;
  /** The value as the builder reads it. */
  parsed: string;
  /** The source line holding the tail of a continued value, when there is one. */
  tailLine?: string;
}

function render(c: Case): Rendered {
  const e = c.backtick ? "`" : "\\";
  const eol = c.crlf ? "\r\n" : "\n";
  const a = c.value.slice(0, c.cut);
  const b = c.value.slice(c.cut);
  const def = (rawValue: string) => `${c.keyword} ${c.name}=${rawValue}`;
  let lines: string[];
  let raw: string;
  let parsed = c.value;
  let tailLine: string | undefined;
  switch (c.spelling) {
    case "plain":
      raw = c.value;
      lines = [def(raw)];
      break;
    case "double-quoted":
      raw = `"${a}${e}"${b}"`;
      parsed = `${a}"${b}`;
      lines = [def(raw)];
      break;
    case "single-quoted":
      raw = `'${c.value}'`;
      lines = [def(raw)];
      break;
    case "escaped-space":
      raw = `${a}${e} ${b}`;
      parsed = `${a} ${b}`;
      lines = [def(raw)];
      break;
    case "default":
      raw = `\${X:-${c.value}}`;
      lines = [def(raw)];
      break;
    case "continued":
      raw = `${a}${e}${eol}${b}`;
      tailLine = b;
      lines = [def(`${a}${e}`), b];
      break;
    case "continued-quoted":
      raw = `"${a}${e}${eol}${b}"`;
      tailLine = `${b}"`;
      lines = [def(`"${a}${e}`), `${b}"`];
      break;
    case "url-in-run":
      raw = c.value;
      lines = [`RUN curl -fsS https://deploy:${c.value}@example.com/pkg.tgz -o /tmp/pkg.tgz`];
      break;
    case "url-in-heredoc":
      raw = c.value;
      lines = ["RUN <<EOF", `curl -fsS https://deploy:${c.value}@example.com/pkg.tgz -o /tmp/pkg.tgz`, "EOF"];
      break;
    case "pid-in-url":
      raw = `${a}$$${b}`;
      parsed = raw;
      lines = [`RUN curl -fsS https://deploy:${raw}@example.com/pkg.tgz -o /tmp/pkg.tgz`];
      break;
  }
  const text = [
    ...(c.backtick ? ["# escape=`"] : []),
    "FROM node:22",
    "ARG NPM_TOKEN",
    ...(c.ignored ? ["# unbake-ignore"] : []),
    ...lines,
    "RUN npm ci",
    "",
  ].join(eol);
  return { text, raw, parsed, tailLine };
}

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** A random token: letters and digits of both cases, so no 6 characters of it occur by chance. */
const valueArb = fc
  .array(fc.constantFrom(...ALNUM), { minLength: 12, maxLength: 32 })
  .map((cs) => cs.join(""))
  .filter((v) => /[0-9]/.test(v) && /[A-Z]/.test(v) && /[a-z]/.test(v));

const caseArb: fc.Arbitrary<Case> = valueArb.chain((value) =>
  fc.record({
    value: fc.constant(value),
    spelling: fc.constantFrom<Spelling>(
      "plain",
      "double-quoted",
      "single-quoted",
      "escaped-space",
      "default",
      "continued",
      "continued-quoted",
      "url-in-run",
      "url-in-heredoc",
      "pid-in-url",
    ),
    keyword: fc.constantFrom<"ARG" | "ENV">("ARG", "ENV"),
    name: fc.constantFrom("DB_PASSWORD", "API_TOKEN", "GITHUB_TOKEN", "CLIENT_SECRET"),
    // Tails of 1 and 2 characters are the interesting cuts: weighted in.
    cut: fc.oneof(fc.constant(value.length - 1), fc.constant(value.length - 2), fc.constant(1), fc.integer({ min: 1, max: value.length - 1 })),
    backtick: fc.boolean(),
    crlf: fc.boolean(),
    ignored: fc.boolean(),
  }),
);

/** Every piece of s of n characters. */
function pieces(s: string, n = 6): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= s.length; i++) out.push(s.slice(i, i + n));
  return out;
}

/** The first thing of the case that `out` shows, or null. */
function leak(out: string, r: Rendered, value: string): string | null {
  for (const p of [value, ...pieces(r.raw), ...pieces(r.parsed), ...pieces(value)]) if (out.includes(p)) return p;
  if (r.tailLine !== undefined) {
    // The tail of a continued value, however short, is not printed where it stands.
    for (const line of out.split("\n").map((l) => l.replace(/\r$/, ""))) {
      if (line === r.tailLine || ["-", "+", " "].some((m) => line === m + r.tailLine)) return `the line ${JSON.stringify(line)}`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Every output of the in-process command (fast enough for a property)

async function runMain(args: string[], cwd: string): Promise<string> {
  let out = "";
  const sink = { write: (s: string) => (out += s), isTTY: false };
  await main(args, { stdout: sink, stderr: sink, cwd, env: {} });
  return out;
}

/** OUTPUT_RUNS and --report in this process; one job (a worker would only cost start-up for one file). */
async function everyOutputInProcess(dir: string): Promise<string> {
  let all = "";
  for (const variant of OUTPUT_RUNS) all += await runMain([...variant, "-j", "1", "."], dir);
  const report = join(mkdtempSync(join(tmpdir(), "unbake-redaction-report-")), "report.md");
  all += await runMain(["--report", report, "-j", "1", "."], dir);
  all += readFileSync(report, "utf8");
  rmSync(join(report, ".."), { recursive: true, force: true });
  return all;
}

let dir: string | undefined;
let tree: HostileTree | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  tree?.cleanup();
  tree = undefined;
});

describe("redaction by source span (property)", () => {
  it("no output shows a generated value, its spelling or 6 characters of either", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const r = render(c);
        const here = mkdtempSync(join(tmpdir(), "unbake-redaction-"));
        let all: string;
        try {
          writeFileSync(join(here, "Dockerfile"), r.text);
          // The case is one the analysis sees: a value the file prints must be a value it found.
          expect(runPipeline(r.text).changed).toBe(true);
          all = await everyOutputInProcess(here);
        } finally {
          rmSync(here, { recursive: true, force: true });
        }
        expect(all).toContain(MASK);
        expect(leak(all, r, c.value), `${c.spelling} in\n${r.text}`).toBeNull();
      }),
      { numRuns: RUNS },
    );
  }, 900_000);

  it("the same search finds the value when --show-secrets prints it", async () => {
    const c: Case = { value: "Xq7Lm2Pz9Rt4Kw8", spelling: "continued", keyword: "ENV", name: "DB_PASSWORD", cut: 13, backtick: false, crlf: false, ignored: true };
    const r = render(c);
    dir = mkdtempSync(join(tmpdir(), "unbake-redaction-"));
    writeFileSync(join(dir, "Dockerfile"), r.text);
    expect(leak(await runMain(["--show-secrets", "."], dir), r, c.value)).not.toBeNull();
    expect(leak(await runMain(["."], dir), r, c.value)).toBeNull();
  });
});

describe("SARIF fixes", () => {
  const value = "Ab3De6Gh9Jk2Mn5Q";
  const file = (ignored: boolean) =>
    `FROM alpine\nARG NPM_TOKEN\n${ignored ? "# unbake-ignore\n" : ""}ENV API_TOKEN=${value.slice(0, -1)}\\\n${value.slice(-1)}\nRUN npm ci\n`;

  it("carry the rewrite when it removes every byte of the value", async () => {
    dir = mkdtempSync(join(tmpdir(), "unbake-redaction-"));
    writeFileSync(join(dir, "Dockerfile"), file(false));
    const sarif = await runMain(["check", "--format", "sarif", "."], dir);
    expect(sarif).toContain('"fixes"');
    expect(pieces(value).filter((p) => sarif.includes(p))).toEqual([]);
  });

  it("are left out when the rewritten text still shows the value, even split over lines", async () => {
    dir = mkdtempSync(join(tmpdir(), "unbake-redaction-"));
    writeFileSync(join(dir, "Dockerfile"), file(true));
    const sarif = await runMain(["check", "--format", "sarif", "."], dir);
    expect(sarif).toContain("secret-arg-env");
    expect(sarif).not.toContain('"fixes"');
    expect(pieces(value).filter((p) => sarif.includes(p))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// The spellings of the issue, as a repository in CI would hold them (child process, measured)

function record(name: string, run: CliRun): void {
  console.log(`hostile/redaction ${name}: ${Math.round(run.ms)} ms, ${run.maxRssMb === null ? "?" : run.maxRssMb.toFixed(0)} MB`);
}

const CRAFTED: [string, string, string][] = [
  // [name, Dockerfile, the value as it must never be seen]
  ["escaped quote", 'FROM alpine\nARG NPM_TOKEN\nENV DB_PASSWORD="a\\"bS3cretV4lue"\nRUN npm ci\n', 'a"bS3cretV4lue'],
  ["escaped space", "FROM alpine\nARG NPM_TOKEN\nENV X_PASSWORD=a\\ bS3cretV4lue\nRUN npm ci\n", "a bS3cretV4lue"],
  ["default", "FROM alpine\nARG NPM_TOKEN\nARG DB_PASSWORD=${X:-L1teralS3cret}\nRUN npm ci\n", "L1teralS3cret"],
  ["continued, 1-character tail", "FROM alpine\nARG NPM_TOKEN\nENV API_TOKEN=Ab3De6Gh9Jk2Mn5\\\nQ\nRUN npm ci\n", "Ab3De6Gh9Jk2Mn5Q"],
  ["backtick escape, CRLF", "# escape=`\r\nFROM alpine\r\nARG NPM_TOKEN\r\nENV API_TOKEN=\"Zx8Cv7Bn6`\r\nMq\"\r\nRUN npm ci\r\n", "Zx8Cv7Bn6Mq"],
  ["pid in a URL password", "FROM alpine\nARG NPM_TOKEN\nRUN curl https://user:pa$$W0rdZy9@host/x && npm ci\n", "pa$$W0rdZy9"],
  ["heredoc", "FROM alpine\nARG NPM_TOKEN\nRUN <<EOF\ncurl https://user:Hd0cPassW9x@host/x\nnpm ci\nEOF\n", "Hd0cPassW9x"],
  ["chpasswd", "FROM alpine\nARG NPM_TOKEN\nRUN echo 'root:Chp4sswdZq' | chpasswd && npm ci\n", "Chp4sswdZq"],
];

describe("hostile repositories: hard-coded values in every spelling", () => {
  it.each(CRAFTED)("%s: hidden in every output, nothing outside touched, in bounded time", (name, dockerfile, value) => {
    tree = hostileTree();
    tree.outsideFile("secret.txt", `${value}\n`);
    tree.file("Dockerfile", dockerfile);
    const before = tree.snapshotOutside();
    const out = everyOutput(["."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    for (const { run } of out.runs) {
      expect(run.timedOut).toBe(false);
      expect(run.ms).toBeLessThan(BOUND_MS);
    }
    record(name, out.runs[0].run);
    expect(out.all).toContain(MASK);
    const found = [value, ...pieces(value)].find((p) => out.all.includes(p));
    expect(found, `${name}: ${found} printed`).toBeUndefined();
    // The control: the same value is printed on request.
    const shown = runCli(["--show-secrets", "."], { cwd: tree.repo, timeoutMs: BOUND_MS }).stdout;
    expect(pieces(value).some((p) => shown.includes(p))).toBe(true);
    expect(tree.snapshotOutside()).toEqual(before);
  });
});

describe("hostile repositories: a token in a name or path", () => {
  it("is not shown through the secret id made from it (ids are printed unredacted, lower-cased)", () => {
    tree = hostileTree();
    const token = "ghp_" + "Tk9PathSecretAbCdEfGhIjKlMnOpQrStUvWx";
    tree.file(`${token}/credentials`, "[default]\naws_secret_access_key = x\n");
    tree.file("Dockerfile", `FROM alpine\nCOPY ${token}/credentials /root/.aws/credentials\nRUN aws s3 ls\n`);
    const out = everyOutput(["."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    expect(out.all).toContain("--secret id=secret,");
    expect(out.all.toLowerCase()).not.toContain(token.slice(4, 20).toLowerCase());
  });
});

describe("hostile repositories: a 1 MiB file of hard-coded values", () => {
  it("11,000 continued ENV values and 11,000 URL passwords: hidden, in bounded time and memory", () => {
    tree = hostileTree();
    let text = "FROM alpine\nARG NPM_TOKEN\n";
    for (let i = 0; text.length < 1_000_000; i++) {
      text += i % 2 ? `RUN curl https://u:Pw${i}Xq9Zk@h${i}.example.com/x\n` : `ENV DB_PASSWORD_${i}="Vq${i}Zr\\\n8k"\n`;
    }
    tree.file("Dockerfile", `${text}RUN npm ci\n`);
    const before = tree.snapshotOutside();
    for (const args of [["."], ["--format", "json", "."], ["check", "--format", "sarif", "."]]) {
      const run = runCli(args, { cwd: tree.repo, timeoutMs: 60_000 });
      record(`1 MiB of values, ${args.join(" ")}`, run);
      expect(run.timedOut).toBe(false);
      expect(run.ms).toBeLessThan(60_000);
      const out = run.stdout + run.stderr;
      // Either handled (and every value hidden) or refused by the per-file time or memory budget
      // (11,000 secret ENVs no RUN names go on every later RUN: the rewrite itself is quadratic): never printed.
      expect(out).toMatch(/\*\*\*|took longer than|needed more than|"hardcoded"|secret-arg-env/);
      expect(out).not.toMatch(/Pw\d+Xq9Zk|Vq\d+Zr|^[-+ ]8k"$/m);
    }
    expect(tree.snapshotOutside()).toEqual(before);
  }, 240_000);
});

// ---------------------------------------------------------------------------------------------
// The redactor itself

describe("createRedactor", () => {
  const text = "FROM x\nENV TOKEN=abcdefgh\\\nij\nRUN echo ij abcdefgh\n";
  const start = text.indexOf("abcdefgh");
  const span = { start, end: text.indexOf("\nRUN") };

  it("masks each line's piece of a span where the line is printed, a 2-character tail too", () => {
    const redact = createRedactor([], [{ text, spans: [span] }]);
    // The span runs from the value's first character to its last: the continuation is inside.
    expect(redact("-ENV TOKEN=abcdefgh\\\n-ij\n")).toBe("-ENV TOKEN=***\n-***\n");
    expect(redact(" ij\n+ij\nij")).toBe(" ***\n+***\n***");
  });

  it("masks pieces of 3+ characters anywhere, shorter ones only in place", () => {
    const redact = createRedactor([], [{ text, spans: [span] }]);
    expect(redact("RUN echo ij abcdefgh")).toBe("RUN echo ij ***");
    expect(redact("a message about ij")).toBe("a message about ij");
  });

  it("keeps CRLF line ends and masks the line before them", () => {
    const crlf = text.replace(/\n/g, "\r\n");
    const s = { start: crlf.indexOf("abcdefgh"), end: crlf.indexOf("\r\nRUN") };
    const redact = createRedactor([], [{ text: crlf, spans: [s] }]);
    expect(redact("-ENV TOKEN=abcdefgh\\\r\n-ij\r\n")).toBe("-ENV TOKEN=***\r\n-***\r\n");
  });

  it("masks parsed values of 3+ characters anywhere, the longest first", () => {
    const redact = createRedactor(["secret", "secretvalue", "ab"]);
    expect(redact("x secretvalue y secret z ab")).toBe("x *** y *** z ab");
  });

  it("several spans on one line, and a span of another file's text (a call site)", () => {
    const make = "build:\n\tdocker build --build-arg A=Aa1Bb2 --build-arg B=Cc3 .\n";
    const spans = ["Aa1Bb2", "Cc3"].map((v) => ({ start: make.indexOf(v), end: make.indexOf(v) + v.length }));
    const redact = createRedactor([], [{ text: make, spans }]);
    expect(redact("-\tdocker build --build-arg A=Aa1Bb2 --build-arg B=Cc3 .\n")).toBe("-\tdocker build --build-arg A=*** --build-arg B=*** .\n");
  });

  it("stays near-linear: 20,000 values over a 1 MiB output", () => {
    const values = Array.from({ length: 20_000 }, (_, i) => `Tok${i.toString(36)}Zq${i}`);
    const source = values.map((v) => `ENV A_TOKEN=${v}\n`).join("");
    let at = 0;
    const spans = values.map((v) => {
      const s = source.indexOf(v, at);
      at = s + v.length;
      return { start: s, end: s + v.length };
    });
    const output = source.split("\n").map((l) => `-${l}`).join("\n").repeat(2);
    const started = performance.now();
    const masked = createRedactor(values, [{ text: source, spans }])(output);
    const ms = performance.now() - started;
    console.log(`hostile/redaction redactor 20,000 values, ${(output.length / 1024).toFixed(0)} KiB: ${Math.round(ms)} ms`);
    expect(masked).not.toContain(values[12_345]);
    expect(ms).toBeLessThan(5_000);
  });
});
