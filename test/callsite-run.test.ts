/**
 * Migrated call sites still hand docker the value. A stand-in `docker` on PATH records, for each
 * build (told apart by its `-t` tag), the value each `--build-arg NPM_TOKEN…` passes and the value
 * each `--secret id=…` supplies (the variable named by `env=`, the file named by `src=`). The
 * original script and Makefile run first; `unbake --write` rewrites them with the Dockerfile; the
 * rewritten ones run in the same environment; every secret must get the value the build argument
 * had. A stand-in `sudo` resets the environment as sudo's env_reset does, so a build it wraps must
 * be left alone (and reported), not rewritten.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./hostile/harness.js";

const hasMake = spawnSync("make", ["--version"]).status === 0;

/** The stand-in docker: one JSON line per `docker build` into $RECORD. */
const STAND_IN = `#!${process.execPath}
const fs = require("node:fs");
const args = process.argv.slice(2);
const rec = { args, tag: null, buildArgs: {}, secrets: {} };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const value = () => (a.includes("=") && a.startsWith("--") ? a.slice(a.indexOf("=") + 1) : args[++i]);
  if (a === "-t" || a.startsWith("--tag")) rec.tag = value();
  else if (a === "--build-arg" || a.startsWith("--build-arg=")) {
    const v = value();
    const eq = v.indexOf("=");
    // docker: a later --build-arg of the same name wins; NAME alone takes docker's own environment.
    if (eq < 0) rec.buildArgs[v] = process.env[v] ?? null;
    else rec.buildArgs[v.slice(0, eq)] = v.slice(eq + 1);
  } else if (a === "--secret" || a.startsWith("--secret=")) {
    const o = Object.fromEntries(value().split(",").map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
    rec.secrets[o.id] = o.env !== undefined ? (process.env[o.env] ?? "") : fs.readFileSync(o.src, "utf8");
  }
}
fs.appendFileSync(process.env.RECORD, JSON.stringify(rec) + "\\n");
`;

/** sudo's env_reset: the command runs with PATH and RECORD only. */
const SUDO = `#!/bin/sh
exec env -i PATH="$PATH" RECORD="$RECORD" "$@"
`;

const DOCKERFILE = `FROM alpine
ARG NPM_TOKEN
RUN echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > /dev/null && npm ci
`;

const rand = () => Math.random().toString(36).slice(2, 10);
const FILE_TOKEN = `fromfile-${rand()}`;
const CI_TOKEN = `ci-${rand()}`;
const FIRST_TOKEN = `first-${rand()}`;
const LITERAL = `lit3r4l-${rand()}`;

const SCRIPT = `#!/bin/sh
set -eu
docker build --build-arg NPM_TOKEN=$CI_TOKEN -t exported svc
T=$(cat token.txt); docker build --build-arg NPM_TOKEN="$T" -t unexported svc
U=$(cat token.txt)
docker build --build-arg "NPM_TOKEN=$U" -t unexported-earlier svc
docker build --build-arg NPM_TOKEN="$(cat token.txt)" -t catfile svc
docker build --build-arg NPM_TOKEN=${LITERAL} -t literal svc
docker build --build-arg NPM_TOKEN=$FIRST_TOKEN --build-arg NPM_TOKEN=$CI_TOKEN -t duplicate svc
docker build --build-arg NPM_TOKEN=$U --build-arg NPM_TOKEN="$FIRST_TOKEN" -t duplicate-unexported svc
docker build --build-arg NPM_TOKEN -t novalue svc
sudo docker build --build-arg NPM_TOKEN=$CI_TOKEN -t sudo svc
`;

const MAKEFILE = `TOKEN := $(shell cat token.txt)
export EXPORTED := $(shell cat token.txt)

all: mk-make-var mk-shell-var mk-env-shell mk-env-make mk-exported mk-literal mk-sudo

mk-make-var:
\tdocker build --build-arg NPM_TOKEN=$(TOKEN) -t mk-make-var svc
mk-shell-var:
\tT=$$(cat token.txt); docker build --build-arg NPM_TOKEN=$$T -t mk-shell-var svc
mk-env-shell:
\t@docker build --build-arg NPM_TOKEN=$$CI_TOKEN -t mk-env-shell svc
mk-env-make:
\tdocker build --build-arg NPM_TOKEN=$(CI_TOKEN) -t mk-env-make svc
mk-exported:
\tdocker build --build-arg NPM_TOKEN=$(EXPORTED) -t mk-exported svc
mk-literal:
\tdocker build --build-arg NPM_TOKEN=${LITERAL} -t mk-literal svc
mk-sudo:
\tsudo docker build --build-arg NPM_TOKEN=$(TOKEN) -t mk-sudo svc
`;

interface Rec {
  args: string[];
  tag: string;
  buildArgs: Record<string, string | null>;
  secrets: Record<string, string>;
}

let base: string;
let repo: string;
let bin: string;

function run(cmd: string, args: string[], record: string): Map<string, Rec> {
  const r = spawnSync(cmd, args, {
    cwd: repo,
    encoding: "utf8",
    timeout: 30_000,
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: base, RECORD: record, CI_TOKEN, FIRST_TOKEN, NPM_TOKEN: CI_TOKEN },
  });
  expect(r.status, `${cmd} ${args.join(" ")}: ${r.stderr}`).toBe(0);
  const recs = readFileSync(record, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Rec);
  return new Map(recs.map((x) => [x.tag, x]));
}

let before: { script: Map<string, Rec>; make: Map<string, Rec> };
let after: { script: Map<string, Rec>; make: Map<string, Rec> };
let cli: ReturnType<typeof runCli>;
const scriptAfter = (): string => readFileSync(join(repo, "build.sh"), "utf8");
const makeAfter = (): string => readFileSync(join(repo, "Makefile"), "utf8");

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "unbake-run-"));
  repo = join(base, "repo");
  bin = join(base, "bin");
  mkdirSync(join(repo, ".git"), { recursive: true });
  mkdirSync(join(repo, "svc"), { recursive: true });
  mkdirSync(bin);
  writeFileSync(join(bin, "docker"), STAND_IN);
  writeFileSync(join(bin, "sudo"), SUDO);
  chmodSync(join(bin, "docker"), 0o755);
  chmodSync(join(bin, "sudo"), 0o755);
  writeFileSync(join(repo, "svc", "Dockerfile"), DOCKERFILE);
  writeFileSync(join(repo, "token.txt"), FILE_TOKEN);
  writeFileSync(join(repo, "build.sh"), SCRIPT);
  writeFileSync(join(repo, "Makefile"), MAKEFILE);
  before = { script: run("sh", ["build.sh"], join(base, "before-script.jsonl")), make: hasMake ? run("make", ["-s", "all"], join(base, "before-make.jsonl")) : new Map() };
  cli = runCli(["--write", "."], { cwd: repo, timeoutMs: 30_000 });
  after = { script: run("sh", ["build.sh"], join(base, "after-script.jsonl")), make: hasMake ? run("make", ["-s", "all"], join(base, "after-make.jsonl")) : new Map() };
}, 120_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe("a rewritten script hands docker the value the build argument had", () => {
  it("the CLI rewrote the Dockerfile and the script, and left the sudo build for a person", () => {
    expect(cli.timedOut).toBe(false);
    expect(readFileSync(join(repo, "svc", "Dockerfile"), "utf8")).toContain("--mount=type=secret,id=npm_token,env=NPM_TOKEN");
    expect(scriptAfter()).not.toBe(SCRIPT);
    expect(scriptAfter()).toContain("sudo docker build --build-arg NPM_TOKEN=$CI_TOKEN -t sudo svc\n");
    expect(cli.stdout).toMatch(/sudo resets the environment/);
    // The hard-coded value is moved, never printed.
    expect(cli.stdout + cli.stderr).not.toContain(LITERAL);
    expect(cli.stdout).toMatch(/NPM_TOKEN is hard-coded here/);
  });

  const tags = ["exported", "unexported", "unexported-earlier", "catfile", "literal", "duplicate", "duplicate-unexported", "novalue"];
  it.each(tags)("%s: no --build-arg left, the secret gets the value", (tag) => {
    const was = before.script.get(tag)!;
    const now = after.script.get(tag)!;
    expect(was.buildArgs.NPM_TOKEN).toBeTruthy();
    expect(now.buildArgs).toEqual({});
    expect(now.secrets.npm_token).toBe(was.buildArgs.NPM_TOKEN);
  });

  it("the values are the ones the script meant (docker's last --build-arg wins)", () => {
    const v = (tag: string) => after.script.get(tag)!.secrets.npm_token;
    expect([v("exported"), v("unexported"), v("unexported-earlier"), v("catfile"), v("literal"), v("duplicate"), v("duplicate-unexported"), v("novalue")]).toEqual([
      CI_TOKEN,
      FILE_TOKEN,
      FILE_TOKEN,
      FILE_TOKEN,
      LITERAL,
      CI_TOKEN,
      FIRST_TOKEN,
      CI_TOKEN,
    ]);
  });

  it("the unexported variable is exported for the one command", () => {
    expect(scriptAfter()).toContain('T=$(cat token.txt); NPM_TOKEN="$T" docker build --secret id=npm_token,env=NPM_TOKEN -t unexported svc\n');
    expect(scriptAfter()).toContain("docker build --secret id=npm_token,env=CI_TOKEN -t exported svc\n");
  });

  it("the sudo build still passes its build argument, unchanged", () => {
    expect(after.script.get("sudo")).toEqual(before.script.get("sudo"));
    expect(after.script.get("sudo")!.buildArgs.NPM_TOKEN).toBe(CI_TOKEN);
  });
});

// Under CI the Makefile half must run, not skip (Debian package `make`).
it.runIf(!hasMake && process.env.CI === "true")("make is installed (Debian package make)", () => {
  expect(hasMake).toBe(true);
});

describe.skipIf(!hasMake)("a rewritten Makefile hands docker the value the build argument had", () => {
  const tags = ["mk-make-var", "mk-shell-var", "mk-env-shell", "mk-env-make", "mk-exported", "mk-literal"];
  it.each(tags)("%s", (tag) => {
    const was = before.make.get(tag)!;
    const now = after.make.get(tag)!;
    expect(was.buildArgs.NPM_TOKEN).toBeTruthy();
    expect(now.buildArgs).toEqual({});
    expect(now.secrets.npm_token).toBe(was.buildArgs.NPM_TOKEN);
  });

  it("uses make's own quoting: $(VAR) for make variables, $$VAR for the recipe's shell", () => {
    expect(makeAfter()).toContain("\tNPM_TOKEN=$(TOKEN) docker build --secret id=npm_token,env=NPM_TOKEN -t mk-make-var svc\n");
    expect(makeAfter()).toContain("\tT=$$(cat token.txt); NPM_TOKEN=$$T docker build --secret id=npm_token,env=NPM_TOKEN -t mk-shell-var svc\n");
    expect(makeAfter()).toContain("\t@docker build --secret id=npm_token,env=CI_TOKEN -t mk-env-shell svc\n");
    expect(makeAfter()).toContain("\tdocker build --secret id=npm_token,env=EXPORTED -t mk-exported svc\n");
  });

  it("leaves the sudo recipe as it was", () => {
    expect(makeAfter()).toContain("\tsudo docker build --build-arg NPM_TOKEN=$(TOKEN) -t mk-sudo svc\n");
    expect(after.make.get("mk-sudo")).toEqual(before.make.get("mk-sudo"));
  });
});
