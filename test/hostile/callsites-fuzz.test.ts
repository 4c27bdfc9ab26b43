/**
 * Call-site files from a hostile repository: random bytes and mangled real build files (compose,
 * workflows, GitLab CI, Jenkinsfiles, Makefiles, scripts, bake HCL and JSON).
 * - In process (fast-check, PROPERTY_RUNS cases per property): the rewrite never throws; what parsed
 *   still parses; lines that say nothing of a build stay; the spans of hard-coded values lie in the
 *   text; rewriting the output again changes nothing.
 * - Through the CLI: hard-coded values of removed arguments in every kind of call-site file, in
 *   every spelling, appear in no output (text, diff, json, --emit, check formats, --report),
 *   before and after --write; a call site linked outside is not read; mangled files end as
 *   per-file results at worst; crafted 1 MiB call-site files end within a bound (time and peak
 *   memory printed for the record).
 */
import { readdirSync, readFileSync, symlinkSync } from "node:fs";
import { join, relative } from "node:path";
import fc from "fast-check";
import { parseDocument } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { callSiteKind, rewriteCallSites, type Migration } from "../../src/callsites/index.js";
import { canary, everyOutput, hostileTree, REPO_ROOT, runCli, type CliRun, type HostileTree } from "./harness.js";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
/** A few milliseconds a case on a loaded machine; more cases, more time. */
const FUZZ_TIMEOUT_MS = Math.max(60_000, RUNS * 20);
const BOUND_MS = 20_000;
/** A crafted 1 MiB file is parsed several times (YAML: ~1 s a parse on an idle core); the bound leaves room for a loaded machine. */
const CRAFTED_BOUND_MS = 60_000;

// ------------------------------------------------------------------------------------------
// Seeds: the monorepo fixture's call sites and one of each other kind.

const FIX = join(REPO_ROOT, "__fixtures__", "monorepo");
const ROOT = join(FIX, "before");
const MIGRATIONS: Migration[] = (JSON.parse(readFileSync(join(FIX, "migrations.json"), "utf8")) as Migration[]).map((m) => ({
  ...m,
  dockerfile: join(ROOT, m.dockerfile),
  context: join(ROOT, m.context),
}));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

const SEEDS: { path: string; text: string }[] = [
  ...filesUnder(ROOT)
    .filter((f) => callSiteKind(f, readFileSync(f, "utf8")) !== null)
    .map((f) => ({ path: f, text: readFileSync(f, "utf8") })),
  {
    path: join(ROOT, "docker-bake.json"),
    text: `{\n  "target": {\n    "api": { "context": "services/api", "args": { "NPM_TOKEN": "\${NPM_TOKEN}", "X": "1" } },\n    "web": { "context": "services/web", "args": { "SENTRY_AUTH_TOKEN": "lit3ral" } }\n  }\n}\n`,
  },
  {
    path: join(ROOT, ".gitlab-ci.yml"),
    text: `build:\n  script:\n    - cd services/api\n    - docker build --build-arg NPM_TOKEN=$CI_NPM_TOKEN -t api .\n    - |\n      docker build \\\n        --build-arg NPM_TOKEN \\\n        services/web\n`,
  },
  {
    path: join(ROOT, "Jenkinsfile"),
    text: `pipeline {\n  environment { NPM_TOKEN = credentials('npm') }\n  stages { stage('b') { steps {\n    sh "docker build --build-arg NPM_TOKEN=\${NPM_TOKEN} services/api"\n    sh '''T=$(cat t); docker build --build-arg NPM_TOKEN=$T services/web'''\n  } } }\n}\n`,
  },
  {
    path: join(ROOT, "ci", "build.sh"),
    text: `#!/bin/sh\nset -eu\ncd "$(dirname "$0")/.."\nT=$(cat .token); docker build --build-arg NPM_TOKEN="$T" services/api\nsudo docker build --build-arg NPM_TOKEN services/api\ndocker build --build-arg NPM_TOKEN=$A --build-arg NPM_TOKEN=lit3ral -t x services/web\n(cd services/web && docker build --build-arg SENTRY_AUTH_TOKEN .)\n`,
  },
];

/** Fragments a mangled file gets: the syntax of every kind, and what the rewrite looks for. */
const FRAGMENTS = [
  "--build-arg NPM_TOKEN=",
  "--build-arg SENTRY_AUTH_TOKEN ",
  "docker build ",
  "sudo ",
  "env -i ",
  "NPM_TOKEN=",
  "export ",
  "$(cat x)",
  "${NPM_TOKEN:-d3fault}",
  '"',
  "'",
  "`",
  "\\\n",
  "\r\n",
  "\n",
  "\t",
  " ",
  "#",
  ";",
  "&&",
  "(",
  ")",
  "{",
  "}",
  "[",
  "]",
  ":",
  "- ",
  "  args:\n",
  "    NPM_TOKEN: ",
  "build:\n",
  "secrets:\n",
  "run: |\n",
  "with:\n",
  "build-args: |\n",
  'target "t" {',
  "args = {",
  "\u0000",
  "\uFFFD",
  "é",
  "😀",
  "cd ..",
  "cd services/api",
  "$$",
  "$(NPM_TOKEN)",
];

type Op = { kind: "insert"; at: number; text: string } | { kind: "delete"; at: number; len: number } | { kind: "copy"; at: number; len: number; to: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 8, unit: "binary" })) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("copy" as const), at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.integer({ min: 1, max: 200 }), to: fc.double({ min: 0, max: 1, noNaN: true }) }),
);

function mangle(text: string, ops: Op[]): string {
  let t = text;
  for (const o of ops) {
    const at = Math.floor(o.at * t.length);
    if (o.kind === "insert") t = t.slice(0, at) + o.text + t.slice(at);
    else if (o.kind === "delete") t = t.slice(0, at) + t.slice(at + o.len);
    else {
      const to = Math.floor(o.to * t.length);
      t = t.slice(0, to) + t.slice(at, at + o.len) + t.slice(to);
    }
  }
  return t;
}

const mangled = fc.record({ seed: fc.constantFrom(...SEEDS), ops: fc.array(op, { minLength: 1, maxLength: 8 }) }).map(({ seed, ops }) => ({ path: seed.path, text: mangle(seed.text, ops) }));

const randomBytes = fc
  .record({ seed: fc.constantFrom(...SEEDS), bytes: fc.uint8Array({ maxLength: 600 }), encoding: fc.constantFrom("utf8" as const, "latin1" as const) })
  .map(({ seed, bytes, encoding }) => ({ path: seed.path, text: Buffer.from(bytes).toString(encoding) }));

// ------------------------------------------------------------------------------------------
// What every rewrite must hold to.

const parsesAs = (path: string, text: string): boolean => {
  const kind = callSiteKind(path, text);
  if (kind === "compose" || kind === "workflow" || kind === "gitlab") return parseDocument(text).errors.length === 0;
  if (kind === "bake-json") {
    try {
      JSON.parse(text.replace(/^\uFEFF/, ""));
      return true;
    } catch {
      return false;
    }
  }
  return true;
};

/** Words a line must not have for it to be certain to stay: what a rewrite edits, adds or removes. */
const BUILD_WORDS = /NPM_TOKEN|SENTRY_AUTH_TOKEN|build|args|secret|docker|podman|buildah|npmrc|context|env|\$/;

function holds(path: string, text: string): void {
  const r = rewriteCallSites(path, text, MIGRATIONS, ROOT);
  if (r === null) return;
  expect(r.before).toBe(text);
  for (const l of r.literals) {
    expect(l.start).toBeGreaterThanOrEqual(0);
    expect(l.end).toBeLessThanOrEqual(text.length);
    expect(l.start).toBeLessThanOrEqual(l.end);
  }
  if (r.after === text) return;
  if (parsesAs(path, text)) expect(parsesAs(path, r.after), `${path} no longer parses:\n${r.after}`).toBe(true);
  // Outside what a rewrite touches, every line stays (bake JSON is written back whole: its values, not lines, stay).
  if (callSiteKind(path, text) !== "bake-json") {
    const count = (lines: string[]) => lines.reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map<string, number>());
    // Logical lines: a line continued with `\` belongs to the command it continues.
    const logical = (t: string) => t.split(/(?<!\\)\r?\n/);
    const after = count(logical(r.after));
    for (const [line, n] of count(logical(text))) {
      if (!/[A-Za-z0-9]/.test(line) || BUILD_WORDS.test(line)) continue;
      expect(after.get(line) ?? 0, `line lost: ${JSON.stringify(line)}`).toBeGreaterThanOrEqual(n);
    }
  }
  const again = rewriteCallSites(path, r.after, MIGRATIONS, ROOT);
  if (again !== null) expect(again.after, `not idempotent:\n${text}\n---\n${r.after}`).toBe(r.after);
}

describe("call-site files with random bytes and mangled syntax (in process)", () => {
  it("every seed holds", () => {
    for (const s of SEEDS) holds(s.path, s.text);
    // The seeds exercise every kind that rewrites.
    expect(SEEDS.filter((s) => rewriteCallSites(s.path, s.text, MIGRATIONS, ROOT)?.changes.length).length).toBeGreaterThanOrEqual(6);
  });

  it("mangled real call-site files", () => {
    fc.assert(
      fc.property(mangled, ({ path, text }) => holds(path, text)),
      { numRuns: RUNS },
    );
  }, FUZZ_TIMEOUT_MS);

  it("random bytes under every call-site file name", () => {
    fc.assert(
      fc.property(randomBytes, ({ path, text }) => holds(path, text)),
      { numRuns: RUNS },
    );
  }, FUZZ_TIMEOUT_MS);
});

// ------------------------------------------------------------------------------------------
// Through the CLI.

let tree: HostileTree;
afterEach(() => tree?.cleanup());

function record(name: string, run: CliRun): void {
  console.log(`hostile/callsites ${name}: ${Math.round(run.ms)} ms, ${run.maxRssMb === null ? "?" : run.maxRssMb.toFixed(0)} MB`);
}

function expectBounded(run: CliRun, ms = BOUND_MS): void {
  expect(run.timedOut).toBe(false);
  expect(run.signal).toBeNull();
  expect(run.ms).toBeLessThan(ms);
  // A per-file problem is an exit status, never a crash.
  expect([0, 1, 2]).toContain(run.code);
  expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
}

const DOCKERFILE = "FROM node:22\nARG NPM_TOKEN\nRUN npm ci\n";

/** One call-site file of each kind, each with hard-coded values of the removed argument in several spellings. */
function literalRepository(t: HostileTree, c: (tag: string) => string): string[] {
  const values = ["sh1", "sh2a", "sh2b", "sh3", "sh4", "sh5", "mk1", "mk2", "co1", "co2", "wf1", "wf2", "hc1", "hc2", "js1", "gl1", "jk1"].map((tag) => c(tag));
  const [sh1, sh2a, sh2b, sh3, sh4, sh5, mk1, mk2, co1, co2, wf1, wf2, hc1, hc2, js1, gl1, jk1] = values as [string, ...string[]];
  t.file("svc/Dockerfile", DOCKERFILE);
  t.file(
    "build.sh",
    `#!/bin/sh
docker build --build-arg NPM_TOKEN=${sh1} -t a svc
docker build --build-arg "NPM_TOKEN=${sh2a}\\"${sh2b}" -t b svc
sudo docker build --build-arg NPM_TOKEN='${sh3}' -t c svc
# was: docker build --build-arg NPM_TOKEN=${sh4} svc
docker build --build-arg NPM_TOKEN=\${X:-${sh5}} -t e svc
`,
  );
  t.file("Makefile", `TOKEN ?= ${mk2}\na:\n\tdocker build --build-arg NPM_TOKEN=${mk1} svc\n\tdocker build --build-arg NPM_TOKEN=$(TOKEN) -t t svc\n`);
  t.file(
    "compose.yaml",
    `services:\n  a:\n    build:\n      context: svc\n      args:\n        NPM_TOKEN: "${co1}"\n  b:\n    build:\n      context: svc\n      args:\n        - NPM_TOKEN=\${NPM_TOKEN:-${co2}}\n  c:\n    build:\n      context: svc\n      args:\n        NPM_TOKEN: \${NPM_TOKEN}\n`,
  );
  t.file(
    ".github/workflows/b.yml",
    `on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: svc\n          build-args: |\n            NPM_TOKEN=${wf1}\n      - run: docker build --build-arg NPM_TOKEN=${wf2} svc\n`,
  );
  t.file(
    "docker-bake.hcl",
    `target "a" {\n  context = "svc"\n  args = { NPM_TOKEN = "${hc1}" }\n}\nvariable "TOK" { default = "${hc2}" }\ntarget "b" {\n  context = "svc"\n  args = {\n    NPM_TOKEN = "\${TOK}"\n  }\n}\ntarget "c" {\n  context = "svc"\n  args = {\n    NPM_TOKEN = "\${NPM_TOKEN}"\n  }\n}\n`,
  );
  t.file("docker-bake.json", JSON.stringify({ target: { a: { context: "svc", args: { NPM_TOKEN: js1 } }, b: { context: "svc", args: { NPM_TOKEN: "${NPM_TOKEN}" } } } }, null, 2));
  t.file(".gitlab-ci.yml", `b:\n  script:\n    - docker build --build-arg NPM_TOKEN=${gl1} svc\n`);
  t.file("Jenkinsfile", `node {\n  sh "docker build --build-arg NPM_TOKEN=${jk1} svc"\n  sh "docker build --build-arg NPM_TOKEN=\${NPM_TOKEN} svc"\n}\n`);
  return values;
}

/** A 1 MiB file of `unit` repeated after `head`, with a canary literal near the start. */
function fill(head: string, unit: (i: number) => string, tail = ""): string {
  const parts = [head];
  let n = head.length + tail.length;
  for (let i = 0; ; i++) {
    const u = unit(i);
    if (n + u.length > 1024 * 1024 - 1) break;
    parts.push(u);
    n += u.length;
  }
  parts.push(tail);
  return parts.join("");
}

describe("hostile call-site files through the CLI", () => {
  it("hard-coded values in every kind and spelling are in no output, before and after --write", () => {
    tree = hostileTree();
    const outsideSecret = canary("out");
    tree.outsideFile("Makefile", `a:\n\tdocker build --build-arg NPM_TOKEN=${outsideSecret} svc\n`);
    const values = literalRepository(tree, (tag) => canary(tag));
    symlinkSync(join(tree.outside, "Makefile"), join(tree.repo, "svc", "Makefile"));
    const before = tree.snapshotOutside();

    const out = everyOutput(["."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    for (const { args, run } of out.runs) {
      record(`literals ${args.slice(0, -1).join(" ") || "(text)"}`, run);
      expectBounded(run);
    }
    // The outputs are about the call sites (so a leak would show), but none holds a value.
    expect(out.all).toContain("build.sh");
    expect(out.all).toContain("--secret id=npm_token,env=NPM_TOKEN");
    for (const v of [...values, outsideSecret]) expect(out.all, v).not.toContain(v);
    // --show-secrets proves the same grep would see them.
    const shown = runCli(["--show-secrets", "."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    expect(shown.stdout).toContain(values[0]);

    const write = runCli(["--write", "."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    record("literals --write", write);
    expectBounded(write);
    for (const v of [...values, outsideSecret]) expect(write.stdout + write.stderr, v).not.toContain(v);
    expect(readFileSync(join(tree.repo, "build.sh"), "utf8")).toContain(`NPM_TOKEN=${values[0]} docker build --secret id=npm_token,env=NPM_TOKEN -t a svc`);
    // A second run has nothing left to change in the call sites.
    const again = runCli(["--write", "."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    expectBounded(again);
    expect(again.stdout).not.toMatch(/^\+\+\+ b\//m);
    expect(tree.snapshotOutside()).toEqual(before);
  }, 20 * BOUND_MS);

  it("mangled and random call-site files: per-file results at worst, nothing outside touched", () => {
    tree = hostileTree();
    const secret = canary("mg");
    tree.outsideFile("secret.txt", secret);
    tree.file("services/api/Dockerfile", "FROM node:22\nARG NPM_TOKEN\nARG SENTRY_AUTH_TOKEN\nRUN npm ci\n");
    tree.file("services/web/Dockerfile", "FROM node:22\nARG NPM_TOKEN\nARG SENTRY_AUTH_TOKEN\nCOPY .npmrc ./\nRUN npm ci\n");
    tree.file("services/web/.npmrc", "//registry.npmjs.org/:_authToken=stand-in\n");
    const samples = fc.sample(fc.oneof(mangled, randomBytes), { numRuns: 40, seed: 42 });
    samples.forEach((s, i) => {
      const rel = relative(ROOT, s.path);
      const dir = `m${i}`;
      tree.file(join(dir, rel), s.text);
    });
    const before = tree.snapshotOutside();
    for (const args of [["."], ["--format", "json", "."], ["--write", "."]]) {
      const run = runCli(args, { cwd: tree.repo, timeoutMs: BOUND_MS });
      record(`mangled ${args.join(" ")}`, run);
      expectBounded(run);
      expect(run.stdout + run.stderr).not.toContain(secret);
      if (args[0] === "--format") expect(() => JSON.parse(run.stdout)).not.toThrow();
    }
    expect(tree.snapshotOutside()).toEqual(before);
  }, 4 * BOUND_MS);

  const CRAFTED: Record<string, [string, (c: string) => string]> = {
    "script: builds on one line": ["build.sh", (c) => fill(`#!/bin/sh\ndocker build --build-arg NPM_TOKEN=${c} svc\n`, () => "docker build --build-arg NPM_TOKEN=$T svc; ")],
    "script: builds on their lines": ["build.sh", (c) => fill(`#!/bin/sh\ndocker build --build-arg NPM_TOKEN=${c} svc\n`, (i) => `T${i}=$(cat t); docker build --build-arg NPM_TOKEN="$T${i}" svc\n`)],
    "script: cd before every build": ["build.sh", (c) => fill(`#!/bin/sh\ndocker build --build-arg NPM_TOKEN=${c} svc\n`, () => "cd svc; docker build --build-arg NPM_TOKEN .\n")],
    "script: quotes left open": ["build.sh", (c) => fill(`#!/bin/sh\ndocker build --build-arg NPM_TOKEN=${c} svc\n`, () => 'x "docker build --build-arg NPM_TOKEN=a ')],
    "Makefile: one recipe line of cds and builds": ["Makefile", (c) => fill(`a:\n\tdocker build --build-arg NPM_TOKEN=${c} svc\n\t`, () => "cd svc && docker build --build-arg NPM_TOKEN=$(T) . && ")],
    "compose: thousands of services": ["compose.yaml", (c) => fill(`services:\n  s:\n    build:\n      context: svc\n      args:\n        NPM_TOKEN: ${c}\n`, (i) => `  s${i}:\n    build:\n      context: svc\n      args:\n        NPM_TOKEN: \${NPM_TOKEN}\n`)],
    "workflow: thousands of steps": [".github/workflows/b.yml", (c) => fill(`jobs:\n  b:\n    steps:\n      - run: docker build --build-arg NPM_TOKEN=${c} svc\n`, () => "      - run: docker build --build-arg NPM_TOKEN=$T svc\n")],
    "gitlab: thousands of cd items": [".gitlab-ci.yml", (c) => fill(`b:\n  script:\n    - docker build --build-arg NPM_TOKEN=${c} svc\n`, () => "    - cd svc\n    - docker build --build-arg NPM_TOKEN .\n")],
    "Jenkinsfile: thousands of sh steps": ["Jenkinsfile", (c) => fill(`node {\n  sh "docker build --build-arg NPM_TOKEN=${c} svc"\n`, () => '  sh "docker build --build-arg NPM_TOKEN=${NPM_TOKEN} svc"\n', "}\n")],
    "bake HCL: thousands of targets": ["docker-bake.hcl", (c) => fill(`target "c" {\n  context = "svc"\n  args = { NPM_TOKEN = "${c}" }\n}\n`, (i) => `target "t${i}" {\n  context = "svc"\n  args = {\n    NPM_TOKEN = "\${NPM_TOKEN}"\n  }\n}\n`)],
    "bake JSON: thousands of targets": ["docker-bake.json", (c) => fill(`{"target": {"c": {"context": "svc", "args": {"NPM_TOKEN": "${c}"}}`, (i) => `, "t${i}": {"context": "svc", "args": {"NPM_TOKEN": "\${NPM_TOKEN}"}}`, "}}\n")],
  };

  it.each(Object.keys(CRAFTED))("crafted 1 MiB call-site file: %s", (name) => {
    tree = hostileTree();
    const c = canary("cr");
    const [file, make] = CRAFTED[name]!;
    tree.file("svc/Dockerfile", DOCKERFILE);
    tree.file(file, make(c));
    const before = tree.snapshotOutside();
    // The dry run prints the diff (where a value would show); --write edits the file. JSON and the
    // other formats are proven on the small repository above.
    for (const args of [["."], ["--write", "."]]) {
      const run = runCli(args, { cwd: tree.repo, timeoutMs: CRAFTED_BOUND_MS });
      record(`crafted ${name} ${args.join(" ")}`, run);
      expectBounded(run, CRAFTED_BOUND_MS);
      expect(run.stdout + run.stderr).not.toContain(c);
    }
    expect(tree.snapshotOutside()).toEqual(before);
  }, 4 * CRAFTED_BOUND_MS);
});

describe("bytes around a call-site edit stay as they were, whatever the encoding", () => {
  it("random bytes (not UTF-8 too) in comment lines of scripts, Makefiles and compose files", () => {
    tree = hostileTree();
    tree.file("svc/Dockerfile", DOCKERFILE);
    // Bytes on a comment line of their own: no line break, no backslash (a make comment would continue); YAML only printable ones.
    const bytes = (yaml: boolean) => fc.uint8Array({ minLength: 1, maxLength: 80 }).map((a) => Buffer.from(a.filter((b) => b !== 0x0a && b !== 0x0d && b !== 0x5c && (!yaml || b >= 0x20))));
    const kinds = [
      { file: "build.sh", yaml: false, head: "#!/bin/sh\n", before: "docker build --build-arg NPM_TOKEN ../svc\n", after: "docker build --secret id=npm_token,env=NPM_TOKEN ../svc\n" },
      { file: "Makefile", yaml: false, head: "a:\n", before: "\tdocker build --build-arg NPM_TOKEN ../svc\n", after: "\tdocker build --secret id=npm_token,env=NPM_TOKEN ../svc\n" },
      {
        file: "compose.yaml",
        yaml: true,
        head: "services:\n",
        before: "  a:\n    build:\n      context: ../svc\n      args:\n        NPM_TOKEN: ${NPM_TOKEN}\n",
        after: "  a:\n    build:\n      context: ../svc\n      secrets:\n        - npm_token\n",
      },
    ];
    const expected = new Map<string, Buffer>();
    kinds.forEach((k, n) => {
      fc.sample(fc.tuple(bytes(k.yaml), bytes(k.yaml)), { numRuns: 15, seed: n }).forEach(([a, b], i) => {
        const rel = `b${n}-${i}/${k.file}`;
        const part = (s: string) => Buffer.from(s, "utf8");
        tree.file(rel, Buffer.concat([part(`${k.head}# `), a, part(`\n${k.before}# `), b, part("\n")]));
        const tail = k.yaml ? "secrets:\n  npm_token:\n    environment: NPM_TOKEN\n" : "";
        expected.set(rel, Buffer.concat([part(`${k.head}# `), a, part(`\n${k.after}# `), b, part(`\n${tail}`)]));
      });
    });
    const before = tree.snapshotOutside();
    const write = runCli(["--write", "."], { cwd: tree.repo, timeoutMs: BOUND_MS });
    record("random bytes around edits --write", write);
    expectBounded(write);
    for (const [rel, want] of expected) expect(readFileSync(join(tree.repo, rel)).equals(want), `${rel}:\n${readFileSync(join(tree.repo, rel)).toString("latin1")}`).toBe(true);
    expect(tree.snapshotOutside()).toEqual(before);
  }, 4 * BOUND_MS);
});

describe("hard-coded values of any spelling never reach a call site's printed diff or messages (property)", () => {
  /** Token-like values with the characters quoting is about. */
  const value = fc
    .tuple(fc.string({ minLength: 4, maxLength: 12, unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") }), fc.array(fc.tuple(fc.nat(), fc.constantFrom(..." \"'\\!#%&*()[]{}<>|;,.:=+-_~?^"))))
    .map(([base, inserts]) => inserts.reduce((v, [at, c]) => v.slice(0, at % (v.length + 1)) + c + v.slice(at % (v.length + 1)), base));
  const dq = (v: string) => v.replace(/[\\"$`]/g, "\\$&");
  const sq = (v: string) => `'${v.replace(/'/g, "'\\''")}'`;
  const bs = (v: string) => v.replace(/[^A-Za-z0-9]/g, "\\$&");
  const mk = (v: string) => v.replace(/[#$\\]/g, "x");
  /** Each spelling: the file, and the value as the file spells it. */
  const spellings: Record<string, (v: string) => { file: string; text: string; spelled: string; value: string }> = {
    "shell, double quotes": (v) => ({ file: "build.sh", text: `#!/bin/sh\ndocker build --build-arg "NPM_TOKEN=${dq(v)}" svc\n`, spelled: dq(v), value: v }),
    "shell, single quotes": (v) => ({ file: "build.sh", text: `#!/bin/sh\ndocker build --build-arg NPM_TOKEN=${sq(v)} svc\n`, spelled: sq(v), value: v }),
    "shell, backslashes": (v) => ({ file: "build.sh", text: `#!/bin/sh\ndocker build --build-arg NPM_TOKEN=${bs(v)} svc\n`, spelled: bs(v), value: v }),
    "shell, left for a person": (v) => ({ file: "build.sh", text: `#!/bin/sh\nsudo docker build --build-arg "NPM_TOKEN=${dq(v)}" svc\ndocker build --build-arg NPM_TOKEN svc\n`, spelled: dq(v), value: v }),
    "Makefile, make variable": (v) => ({ file: "Makefile", text: `TOK := ${mk(v)}\na:\n\tdocker build --build-arg NPM_TOKEN=$(TOK) svc\n`, spelled: mk(v).trim(), value: mk(v).trim() }),
    // Service a's value sits in the context lines of b's edit.
    "compose, double-quoted YAML": (v) => ({
      file: "compose.yaml",
      text: `services:\n  a:\n    build: { context: svc, args: { NPM_TOKEN: ${JSON.stringify(v)} } }\n  b:\n    build:\n      args:\n        NPM_TOKEN: \${NPM_TOKEN}\n      context: svc\n`,
      spelled: JSON.stringify(v).slice(1, -1),
      value: v,
    }),
    // On one line: the diff removes the line that holds the value and adds it back re-serialised.
    "bake JSON": (v) => ({ file: "docker-bake.json", text: JSON.stringify({ target: { a: { context: "svc", args: { NPM_TOKEN: v } }, b: { context: "svc", args: { NPM_TOKEN: "${NPM_TOKEN}" } } } }), spelled: JSON.stringify(v).slice(1, -1), value: v }),
  };

  it.each(Object.keys(spellings))("%s", async (name) => {
    const { mkdtempSync, writeFileSync, mkdirSync, rmSync, realpathSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { migrateCallSites } = await import("../../src/cli/call-sites.js");
    const { rootsOf } = await import("../../src/cli/safe-file.js");
    const dir = realpathSync(mkdtempSync(join(tmpdir(), "unbake-mask-")));
    try {
      mkdirSync(join(dir, ".git"));
      const migration: Migration = { dockerfile: join(dir, "svc", "Dockerfile"), context: join(dir, "svc"), args: [{ name: "NPM_TOKEN", id: "npm_token" }], files: [] };
      await fc.assert(
        fc.asyncProperty(value, async (v) => {
          const { file, text, spelled, value: parsed } = spellings[name]!(v);
          const path = join(dir, file);
          writeFileSync(path, text);
          const [o] = await migrateCallSites([path], [migration], { write: false, color: false, cwd: dir, roots: rootsOf([dir]) });
          expect(o, "the file is a call site that concerns the migration").toBeDefined();
          const printed = [o!.diff ?? "", ...o!.changes.map((c) => c.description), ...o!.manual.map((m) => m.reason)].join("\n");
          expect(o!.diff ?? o!.manual.length, "something is printed").toBeTruthy();
          // Neither the value as parsed nor as the file spells it shows.
          for (const shown of [parsed, spelled]) if (shown.trim().length >= 3) expect(printed, `${JSON.stringify(shown)} in:\n${printed}`).not.toContain(shown);
        }),
        { numRuns: Math.max(20, Math.floor(RUNS / 5)) },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
