/**
 * Real-Docker proof (REFERENCE §1, §4, §8b): Docker 28 with BuildKit, buildx bake and compose,
 * started privately for this run (test/docker/daemon.ts; test/docker/fetch.sh fetches it).
 *
 * 1. Every real-builder case (test/real-builder/cases), in both forms — `--mount-style auto`
 *    (`env=` mounts, the default) and `file`:
 *    - the ORIGINAL, built with the secrets supplied the old way (--build-arg, the file in the
 *      context), leaks its canary into the saved image — so the search can see a leak;
 *    - the real CLI rewrites it; the rewritten file is built with exactly the command it printed
 *      (`commands.docker`, run by bash in the context folder, a new canary in the variables and
 *      files it names). The only change: the `# syntax=docker/dockerfile:1` line is dropped, as
 *      its frontend image cannot be pulled here (the built-in frontend of Docker 28 has `env=`
 *      mounts; the directive itself is covered by the fixture tests). Extra stages of a case are
 *      built with that command plus `--target <stage>`;
 *    - every build step that read a secret got the value (it wrote the value's sha256 into the
 *      image), and no canary is anywhere in the rewritten images: `docker save` (every layer, the
 *      config, the manifests), `docker history --no-trunc`, `docker image inspect`; nor, at the
 *      end, anywhere in dockerd's and containerd's state (build cache, build history, images).
 * 2. The migrated call sites are run, not read: __fixtures__/monorepo/before, rewritten by
 *    `unbake --write .`, is built with `docker compose build`, `docker buildx bake`, `make`, the
 *    release script and the workflow's `run:` step; each build's readers get the value, and no
 *    image holds it. The base images are local stand-ins tagged with the names the Dockerfiles
 *    use (node:22-slim, nginx:1.27-alpine); the app files the Dockerfiles COPY are added.
 * 3. Run-time hints are run: for a run-time secret, the printed `docker run …` and the compose
 *    snippet give the running container the value.
 * Builds have no network: the daemons run in a network namespace of their own.
 *
 * Skipped, with a loud warning, where the private Docker cannot run; with CI=true it fails instead.
 */
import { createHash, randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exec, type Output } from "./real-builder/buildah.js";
import { BASE_DIR, copyCase, heredocBodies, loadCases, type Case } from "./real-builder/cases.js";
import { flatten, type OciImage } from "./real-builder/oci.js";
import { DockerDaemon, dockerUnavailable, run, staticBusybox } from "./docker/daemon.js";
import { builtImageId, findInSaved, saveImage, savedDir, type SavedImage } from "./docker/image.js";

const REPO = join(import.meta.dirname, "..");
/** The CLI under test: this checkout's (built into dist/), or $UNBAKE_CLI, e.g. a build of another commit. */
const CLI = process.env.UNBAKE_CLI ?? join(REPO, "bin", "unbake.js");
const HERE = join(import.meta.dirname, "docker");
const MONOREPO = join(REPO, "__fixtures__", "monorepo");
const BASE_IMAGE = "localhost/unbake-base";
const IN_CI = process.env.CI === "true";
/** The directive unbake writes (its version is the fixture tests' business): BuildKit would pull that frontend image. */
const SYNTAX = /^# syntax=docker\/dockerfile:[0-9][^\r\n]*\r?\n/;
const NO_SYNTAX = "built without its `# syntax=` line (no registry here)";

const unavailable = dockerUnavailable();
if (unavailable) {
  const banner = "!".repeat(100);
  console.warn(
    `\n${banner}\n!!! Docker tests ${IN_CI ? "FAIL (CI=true: they must run in CI)" : "SKIPPED"}: ${unavailable}\n` +
      `!!! They prove with real Docker/BuildKit, compose and bake that rewritten Dockerfiles and migrated call sites build and leak no secret.\n` +
      `!!! Set up (Debian 12, as root): test/docker/fetch.sh  (or run .ci/run)\n${banner}\n`,
  );
  if (IN_CI) {
    describe("real Docker", () => {
      it("is available: CI=true must run the Docker tests", () => {
        throw new Error(`Docker tests cannot run: ${unavailable}`);
      });
    });
  }
}

const canary = () => `canary-${randomBytes(16).toString("hex")}`;
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const seconds = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)}s`;

type Form = "auto" | "file";
const FORMS: Form[] = ["auto", "file"];
/** Which printed build configuration builds the rewrite: the docker command (the default output), a bake target or a compose service. */
type Via = "docker" | "bake" | "compose";

interface ReportSecret {
  id: string;
  source: { type: "env"; name: string } | { type: "file"; path: string };
  usage: "build" | "runtime";
  target?: string;
}
interface FileReport {
  path: string;
  changed: boolean;
  error?: string;
  findings: { rule: string; line: number; status: string; message: string }[];
  secrets: ReportSecret[];
  commands: { docker?: string; bake?: string; compose?: string };
  runtime?: { docker?: string; compose?: string };
}
interface Report {
  files: FileReport[];
  summary: { errors: number };
}

/** The digest a proof file holds (`sha256sum` output: "<hex>  <name>"). */
function proofDigest(image: OciImage, path: string): string {
  const entry = flatten(image).get(path.replace(/^\/+/, ""));
  if (!entry) throw new Error(`${path} is not in the image: the build step that reads the secret did not run`);
  const digest = entry.content.toString("utf8").trim().split(/\s+/)[0];
  if (!/^[0-9a-f]{64}$/.test(digest)) throw new Error(`${path} holds no sha256: ${JSON.stringify(entry.content.toString("utf8"))}`);
  return digest;
}

function leaks(images: SavedImage[], values: string[]): string[] {
  return images.flatMap((image) => values.flatMap((v) => findInSaved(image, v).map((w) => `${image.ref}: ${v} at ${w}`)));
}

/** Runs the CLI on a folder; its JSON report. */
async function unbake(dir: string, args: string[]): Promise<Report> {
  const cli = await run(process.execPath, [CLI, "--write", "--format", "json", ...args, "."], { ...process.env }, dir, undefined, 120_000);
  if (cli.code === 2 || cli.code === null) throw new Error(`unbake failed (${cli.code}) in ${dir}: ${cli.stderr}`);
  return JSON.parse(cli.stdout) as Report;
}

/** A Dockerfile as this machine can build it: the `# syntax=` line (first line) dropped. */
function dropSyntax(path: string): void {
  const text = readFileSync(path, "utf8");
  expect(text, `${path} starts with the syntax directive unbake writes`).toMatch(SYNTAX);
  writeFileSync(path, text.replace(SYNTAX, ""));
}

/**
 * One build at a time, each from an empty build cache. BuildKit keys a RUN step by its text and
 * its parents, not by the secrets mounted (REFERENCE §8): the two forms of a case with only file
 * secrets are the same Dockerfile, and a cached step would hand one build the other's canary.
 * (The digest proofs would catch that, as a failure.) Right after the build — before the next
 * one prunes its cache — dockerd's and containerd's state (build cache with every stage's
 * layers, build history, images) is searched for `search`. Everything else — the CLI, `docker
 * save`, the image searches — runs in parallel.
 */
let buildQueue: Promise<unknown> = Promise.resolve();
function serialBuild(docker: DockerDaemon, build: () => Promise<Output>, search: string[]): Promise<Output & { inState: string[] }> {
  const turn = buildQueue.then(async () => {
    await docker.must(["builder", "prune", "--all", "--force"]);
    const out = await build();
    return { ...out, inState: out.code === 0 ? await docker.grepState(search) : [] };
  });
  buildQueue = turn.catch(() => undefined);
  return turn;
}

const timings: string[] = [];
/** Canaries of rewritten builds: none may be anywhere in Docker's state at the end. */
const buildCanaries: string[] = [];

describe.skipIf(!!unavailable)("real Docker (BuildKit, compose, bake)", () => {
  let docker: DockerDaemon;
  const suiteStart = performance.now();

  beforeAll(async () => {
    if (!process.env.UNBAKE_CLI && !existsSync(join(REPO, "dist", "cli", "main.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does it first)");
    const t0 = performance.now();
    docker = await DockerDaemon.start();
    timings.push(`dockerd ${docker.version} (${docker.storageDriver}) + containerd start: ${seconds(t0)}`);
    const t1 = performance.now();
    // The real-builder base, once per run (cached for every case): busybox, passwd, a fake npm.
    const ctx = join(docker.dir, "base-context");
    cpSync(BASE_DIR, ctx, { recursive: true });
    cpSync(staticBusybox()!, join(ctx, "busybox"));
    await docker.must(["build", "-q", "-f", join(ctx, "Containerfile"), "-t", BASE_IMAGE, ctx]);
    // node:22-slim and nginx:1.27-alpine stand-ins for the monorepo (nothing can be pulled).
    await docker.must(["build", "-q", "-f", join(HERE, "node", "Containerfile"), "-t", "localhost/unbake-node", join(HERE, "node")]);
    await docker.must(["tag", "localhost/unbake-node", "node:22-slim"]);
    await docker.must(["tag", BASE_IMAGE, "nginx:1.27-alpine"]);
    timings.push(`base images: ${seconds(t1)}`);
  }, 300_000);

  afterAll(async () => {
    await docker?.stop();
    timings.push(`whole Docker suite: ${seconds(suiteStart)}`);
    console.log(`Docker suite timings (${docker?.version ?? "?"}):\n  ${timings.join("\n  ")}`);
  }, 120_000);

  describe.concurrent("real-builder cases, both mount styles", () => {
    const cases = loadCases();
    const originals = new Map<string, Promise<void>>();
    const variants: [Form, Via][] = [["auto", "docker"], ["file", "docker"], ["auto", "bake"], ["auto", "compose"]];
    for (const c of cases) {
      for (const [form, via] of variants) {
        const how = via === "docker" ? "" : ` built from the printed ${via === "bake" ? "bake target (--emit bake, `docker buildx bake <target>`)" : "compose service (--emit compose, `docker compose build`)"},`;
        it(`${c.name} [--mount-style ${form}],${how} ${NO_SYNTAX}: ${c.about}`, async () => {
          const t0 = performance.now();
          if (!originals.has(c.name)) originals.set(c.name, provesLeak(c));
          await originals.get(c.name);
          const work = mkdtempSync(join(docker.dir, `dk-${c.name}-${form}-${via}-`));
          try {
            await runCase(c, form, via, work);
          } finally {
            rmSync(work, { recursive: true, force: true });
            timings.push(`${c.name} [${form}${via === "docker" ? "" : `, ${via}`}]: ${seconds(t0)}`);
          }
        }, 600_000);
      }
    }
  });

  const tagOf = (c: Case, kind: string, target?: string) => `localhost/dk-${c.name}-${kind}${target ? `-${target}` : ""}`;

  /** The original, with the secrets supplied the old way, leaks: the search can see a leak. */
  async function provesLeak(c: Case): Promise<void> {
    const work = mkdtempSync(join(docker.dir, `dk-${c.name}-orig-`));
    try {
      const ctx = join(work, "context");
      copyCase(c, ctx);
      const keys = Object.keys(c.secrets);
      const before = Object.fromEntries(keys.map((k) => [k, canary()]));
      for (const [k, s] of Object.entries(c.secrets)) if (s.type === "file") writeFileSync(join(ctx, k), before[k]);
      const buildArgs = keys.filter((k) => c.secrets[k].type === "arg").flatMap((k) => ["--build-arg", `${k}=${before[k]}`]);
      const images: SavedImage[] = [];
      for (const target of [...(c.targets ?? []), undefined]) {
        const tag = tagOf(c, "orig", target);
        const out = await serialBuild(docker, () => docker.docker(["build", ...buildArgs, "-t", tag, ...(target ? ["--target", target] : []), "."], { cwd: ctx }), Object.values(before));
        if (out.code !== 0) throw new Error(`the original Dockerfile of ${c.name} does not build:\n${out.stderr}`);
        expect(out.inState, "the state search sees the original build's leak (else it proves nothing)").not.toEqual([]);
        images.push(await saveImage(docker, tag, savedDir(work, tag)));
      }
      const final = images[images.length - 1];
      for (const [path, key] of Object.entries(c.proofs)) {
        expect(proofDigest(final.oci, path), `original build: ${path} is the digest of ${key}`).toBe(sha256(before[key]));
      }
      for (const k of keys) expect(leaks(images, [before[k]]), `the original build must leak ${k} (else this case proves nothing)`).not.toEqual([]);
      await docker.docker(["rmi", "-f", ...images.map((i) => i.ref)]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  async function runCase(c: Case, form: Form, via: Via, work: string): Promise<void> {
    const ctx = join(work, "context");
    copyCase(c, ctx);
    const keys = Object.keys(c.secrets);
    const value = Object.fromEntries(keys.map((k) => [k, canary()]));
    buildCanaries.push(...Object.values(value));
    // The secret files stay where they were, in the context: the printed command reads them
    // from there (src=<path>), and the .dockerignore unbake writes keeps them out of COPY . .
    for (const [k, s] of Object.entries(c.secrets)) if (s.type === "file") writeFileSync(join(ctx, k), value[k]);
    const original = readFileSync(join(ctx, "Dockerfile"), "utf8");

    // The real CLI rewrites the case in place.
    const report = await unbake(ctx, [...(form === "file" ? ["--mount-style", "file"] : []), ...(via === "docker" ? [] : ["--emit", via])]);
    expect(report.summary.errors).toBe(0);
    expect(report.files.map((f) => f.path)).toEqual(["Dockerfile"]);
    const file = report.files[0];
    expect(file.changed, "unbake rewrote the Dockerfile").toBe(true);
    expect(file.findings.filter((f) => f.rule.startsWith("secret-") && f.status === "manual"), "every secret finding is fixed").toEqual([]);
    const rewritten = readFileSync(join(ctx, "Dockerfile"), "utf8");
    expect(heredocBodies(rewritten), "heredoc bodies stay byte for byte").toEqual(heredocBodies(original));
    const build = file.secrets.filter((s) => s.usage === "build");
    expect(build.map((s) => (s.source.type === "env" ? s.source.name : s.source.path)).sort(), "the report lists every secret of the case, as a build secret").toEqual([...keys].sort());
    if (form === "file") expect(rewritten, "--mount-style file: no env= mount").not.toMatch(/--mount=\S*env=/);
    for (const s of build) {
      const envMount = new RegExp(`--mount=type=secret,id=${s.id.replace(/[.]/g, "\\.")},env=`);
      if (form === "auto" && s.source.type === "env") expect(rewritten, `--mount-style auto: ${s.id} is an env= mount`).toMatch(envMount);
    }
    for (const [k, s] of Object.entries(c.secrets)) {
      if (s.type === "file") expect(readFileSync(join(ctx, ".dockerignore"), "utf8").split(/\r?\n/), `.dockerignore lists ${k}`).toContain(k);
    }
    dropSyntax(join(ctx, "Dockerfile"));

    // Exactly the printed command, in the context folder, with the variables it names set. A
    // printed bake target or compose service is saved as the context's docker-bake.hcl or
    // compose.yaml and built with `docker buildx bake` / `docker compose build` there; their
    // extra stages are not built as images (the state search sees every stage's layers).
    const env: Record<string, string> = Object.fromEntries(keys.filter((k) => c.secrets[k].type === "arg").map((k) => [k, value[k]]));
    let command: string;
    let targets = [...(c.targets ?? []), undefined];
    if (via === "docker") {
      command = file.commands.docker!;
      expect(command, "unbake printed a docker build command").toMatch(/^docker build /);
    } else {
      const config = file.commands[via];
      expect(config, `unbake printed a ${via} configuration`).toBeTruthy();
      writeFileSync(join(ctx, via === "bake" ? "docker-bake.hcl" : "compose.yaml"), `${config}\n`);
      // the printed bake file has one target (no "default" group): built by name, as a user would
      const bakeTarget = /^target "([^"]+)"/m.exec(config ?? "")?.[1];
      command = via === "bake" ? `docker buildx bake ${bakeTarget}` : "docker compose build";
      // one compose project per build (COMPOSE_PROJECT_NAME, from the environment): the image is <project>-<service>
      env.COMPOSE_PROJECT_NAME = `dk-${c.name}-${form}`.toLowerCase().replace(/[^a-z0-9_-]/g, "-");
      targets = [undefined];
    }
    const images: SavedImage[] = [];
    for (const target of targets) {
      const line = target ? `${command} --target ${target}` : command;
      const out = await serialBuild(docker, () => docker.sh(line, { cwd: ctx, env }), Object.values(value));
      if (out.code !== 0) {
        throw new Error(`the REWRITTEN Dockerfile of ${c.name} [${form}] does not build:\n$ ${line}\n--- Dockerfile\n${readFileSync(join(ctx, "Dockerfile"), "utf8")}--- output\n${out.stderr}`);
      }
      expect(out.inState, `LEAK: right after \`${line}\`, Docker's state (build cache, history, images) holds a canary, in:\n  ${out.inState.join("\n  ")}\n`).toEqual([]);
      const id = builtImageId(out.stderr + out.stdout);
      images.push(await saveImage(docker, id, savedDir(work, `${c.name}-${form}-${via}-${target ?? "final"}`)));
    }

    // Every build step still got its secret …
    const final = images[images.length - 1];
    for (const [path, key] of Object.entries(c.proofs)) {
      expect(proofDigest(final.oci, path), `rewritten build: ${path} is the digest of the ${key} supplied by \`${command}\``).toBe(sha256(value[key]));
    }
    // … and no trace of it is in any layer, config, manifest, history or inspect output.
    const found = leaks(images, Object.values(value));
    expect(found, `LEAK in the rewritten ${c.name} [${form}] images:\n  ${found.join("\n  ")}\n`).toEqual([]);
    const paths = new Set([...(c.absentAfter ?? []), ...file.secrets.flatMap((s) => (s.target ? [s.target] : []))].map((p) => p.replace(/^\/+/, "")));
    for (const image of images) {
      expect(image.oci.config.history?.length ?? 0, "the rewritten image has a history to search").toBeGreaterThan(0);
      const present = image.oci.layers.flatMap((l, i) => l.entries.filter((e) => paths.has(e.path)).map((e) => `layer ${i}: /${e.path}`));
      expect(present, `the rewritten image still has the secret's path: ${present.join(", ")}`).toEqual([]);
    }
    await docker.docker(["rmi", "-f", ...images.map((i) => i.ref)]);
    if (c.withoutSecrets && via === "docker") await buildBare(c, form, ctx, work);
  }

  /**
   * The rewrite given no secret at all behaves as the original given none (test/real-builder.test.ts
   * builds both with buildah): a required mount fails the build; an optional env= mount sets the
   * variable to "" (REFERENCE §1), and the ARG's default still reaches the RUN.
   */
  async function buildBare(c: Case, form: Form, ctx: string, work: string): Promise<void> {
    const tag = tagOf(c, `${form}-bare`);
    const out = await serialBuild(docker, () => docker.docker(["build", "--no-cache", "-t", tag, "."], { cwd: ctx }), []);
    const expectation = c.withoutSecrets!;
    if ("fails" in expectation) {
      expect(out.code, `[${form}] without the secret the rewritten build must fail, as the original did without its file:\n${out.stderr}`).not.toBe(0);
      expect(out.stderr).toMatch(/secret .*not found|secret required/i);
      return;
    }
    expect(out.code, `[${form}] without the secret the rewritten build must still work:\n${out.stderr}`).toBe(0);
    const image = await saveImage(docker, tag, savedDir(work, `${c.name}-${form}-bare`));
    const files = flatten(image.oci);
    for (const [path, text] of Object.entries(expectation.proofs)) {
      expect(files.get(path.replace(/^\/+/, ""))?.content.toString("utf8"), `[${form}] ${path} without the secret`).toBe(text);
    }
    await docker.docker(["rmi", "-f", image.ref]);
  }

  describe("migrated call sites of the monorepo fixture, run for real", () => {
    let repo: string;
    let report: Report;
    const sha = "0123456789abcdef0123456789abcdef01234567";

    /** The fixture's before/ tree, with the app files its Dockerfiles COPY (the fixture has only the build files). */
    function appTree(dir: string): string {
      cpSync(join(MONOREPO, "before"), dir, { recursive: true });
      for (const svc of ["api", "web"]) {
        writeFileSync(join(dir, "services", svc, "package.json"), `{ "name": "${svc}", "version": "1.0.0", "private": true }\n`);
        writeFileSync(join(dir, "services", svc, "package-lock.json"), `{ "name": "${svc}", "lockfileVersion": 3, "packages": {} }\n`);
      }
      writeFileSync(join(dir, "services", "api", "server.js"), "console.log('api');\n");
      // The .npmrc each build takes from its context (two files, two secrets); each test writes its value.
      for (const svc of ["api", "web"]) writeFileSync(join(dir, "services", svc, ".npmrc"), "placeholder\n");
      return dir;
    }

    beforeAll(async () => {
      const t0 = performance.now();
      repo = appTree(join(docker.dir, "monorepo"));
      // What it writes is __fixtures__/monorepo/after (test/monorepo.test.ts holds it to that byte
      // for byte); built here is what it wrote.
      report = await unbake(repo, []);
      expect(report.summary.errors).toBe(0);
      expect(report.files.filter((f) => f.changed).map((f) => f.path).sort()).toEqual(["services/api/Dockerfile", "services/web/Dockerfile"]);
      for (const svc of ["api", "web"]) dropSyntax(join(repo, "services", svc, "Dockerfile"));
      timings.push(`monorepo: unbake --write . : ${seconds(t0)}`);
    }, 120_000);

    interface Expect {
      ref: string;
      kind: "api" | "web";
      /** The bake file never passed SENTRY_AUTH_TOKEN to web, before the rewrite either: the mount is empty, as the ARG was. */
      sentry?: "given" | "empty";
    }

    async function callSite(
      name: string,
      commandLine: string | ((v: Record<string, string>) => string),
      o: { cwd?: string; images: Expect[]; env?: (v: Record<string, string>, home: string) => Record<string, string>; original?: string },
    ) {
      const t0 = performance.now();
      const root = o.original ?? repo;
      const v = { NPM_TOKEN: canary(), SENTRY_AUTH_TOKEN: canary(), npmrc: canary(), apiNpmrc: canary() };
      if (!o.original) buildCanaries.push(...Object.values(v));
      writeFileSync(join(root, "services", "web", ".npmrc"), v.npmrc);
      writeFileSync(join(root, "services", "api", ".npmrc"), v.apiNpmrc);
      const home = mkdtempSync(join(docker.dir, "home-"));
      writeFileSync(join(home, ".npm-token"), v.NPM_TOKEN);
      const env = o.env ? o.env(v, home) : { NPM_TOKEN: v.NPM_TOKEN, SENTRY_AUTH_TOKEN: v.SENTRY_AUTH_TOKEN, HOME: home };
      const refs = o.images.map((i) => i.ref);
      const command = typeof commandLine === "string" ? commandLine : commandLine(v);
      await docker.docker(["rmi", "-f", ...refs]);
      // For the original, only the .npmrc: the web build stage COPYs it and no image keeps that stage.
      const out = await serialBuild(docker, () => docker.sh(command, { cwd: o.cwd ?? root, env }), o.original ? [v.npmrc] : Object.values(v));
      if (out.code !== 0) throw new Error(`${name}: \`${command}\` failed (${out.code}):\n--- stdout\n${out.stdout}\n--- stderr\n${out.stderr.slice(-6000)}`);
      // Every stage's layers are in the build cache: the web build stage, which no image keeps, too.
      if (o.original) expect(out.inState, "the state search sees the .npmrc in the original web build stage (else it proves nothing)").not.toEqual([]);
      else expect(out.inState, `LEAK: right after ${name}, Docker's state holds a canary, in:\n  ${out.inState.join("\n  ")}\n`).toEqual([]);
      const saved: SavedImage[] = [];
      for (const i of o.images) {
        const image = await saveImage(docker, i.ref, savedDir(docker.dir, `${name}-${i.ref}`));
        saved.push(image);
        const want: Record<string, string> =
          i.kind === "api"
            ? // api's own .npmrc, not web's: the two files got two secret ids (npmrc_api, npmrc_web)
              { "/proof/npm-ci-env.sha": v.NPM_TOKEN, "/proof/npm-ci-npmrc.sha": v.apiNpmrc }
            : {
                "/usr/share/nginx/html/proof/npm-ci-env.sha": v.NPM_TOKEN,
                "/usr/share/nginx/html/proof/npm-ci-npmrc.sha": v.npmrc,
                "/usr/share/nginx/html/proof/npm-run-env.sha": v.NPM_TOKEN,
                "/usr/share/nginx/html/proof/sentry.sha": i.sentry === "empty" ? "" : v.SENTRY_AUTH_TOKEN,
              };
        for (const [path, value] of Object.entries(want)) {
          const got = proofDigest(image.oci, path);
          const which = Object.entries({ ...v, "(empty)": "" }).find(([, x]) => sha256(x) === got)?.[0] ?? "none of the values given";
          expect(got, `${name}: ${i.ref} ${path} is the digest of the value given (it is the digest of ${which})`).toBe(sha256(value));
        }
      }
      const found = leaks(saved, Object.values(v));
      if (o.original) expect(leaks(saved, [v.NPM_TOKEN]), "the original api image holds NPM_TOKEN (else this proves nothing)").not.toEqual([]);
      else expect(found, `LEAK in the images ${name} built:\n  ${found.join("\n  ")}\n`).toEqual([]);
      await docker.docker(["rmi", "-f", ...refs]);
      rmSync(home, { recursive: true, force: true });
      timings.push(`call site ${name}: ${seconds(t0)}`);
    }

    it("before the migration, the original repository's `docker compose build` leaks (so the searches below can see a leak)", async () => {
      const original = appTree(mkdtempSync(join(docker.dir, "monorepo-before-")));
      await callSite("original compose", "docker compose build", { original, images: [{ ref: "shop-api", kind: "api" }, { ref: "shop-web", kind: "web" }] });
    }, 300_000);

    it(`compose.yaml: \`docker compose build\` (the migrated build.secrets and top-level secrets), ${NO_SYNTAX}`, async () => {
      await callSite("compose", "docker compose build", { images: [{ ref: "shop-api", kind: "api" }, { ref: "shop-web", kind: "web" }] });
    }, 300_000);

    it(`docker-bake.hcl alone: \`docker buildx bake -f docker-bake.hcl\` (the migrated secret = [...]), ${NO_SYNTAX}`, async () => {
      await callSite("bake -f docker-bake.hcl", "docker buildx bake -f docker-bake.hcl", { images: [{ ref: "api:dev", kind: "api" }, { ref: "web:dev", kind: "web", sentry: "empty" }] });
    }, 300_000);

    it(`\`docker buildx bake\` in the repository: bake merges compose.yaml and docker-bake.hcl (both migrated), ${NO_SYNTAX}`, async () => {
      // Without -f, bake reads compose.yaml and docker-bake.hcl and merges targets of the same
      // name: web gets compose's sentry_auth_token secret too.
      await callSite("bake (compose.yaml + docker-bake.hcl)", "docker buildx bake", { images: [{ ref: "api:dev", kind: "api" }, { ref: "web:dev", kind: "web" }] });
    }, 300_000);

    it(`Makefile: \`make api web\` (real docker build with the migrated --secret flags), ${NO_SYNTAX}`, async () => {
      await callSite("make", "make api web", { images: [{ ref: "api:dev", kind: "api" }, { ref: "web:dev", kind: "web" }] });
    }, 300_000);

    it(`scripts/release.sh: the token from $HOME/.npm-token reaches the build, ${NO_SYNTAX}`, async () => {
      // NPM_TOKEN is not in the environment: the script's own NPM_TOKEN="$(cat …)" must carry it.
      await callSite("release.sh", "bash scripts/release.sh", { images: [{ ref: "api:release", kind: "api" }], env: (v, home) => ({ SENTRY_AUTH_TOKEN: v.SENTRY_AUTH_TOKEN, HOME: home }) });
    }, 300_000);

    it(`.github/workflows/build.yml: the "Build web" run: step, with its working-directory and env (secrets.* given), ${NO_SYNTAX}`, async () => {
      const wf = parseYaml(readFileSync(join(repo, ".github", "workflows", "build.yml"), "utf8")) as {
        jobs: Record<string, { steps: { name?: string; run?: string; "working-directory"?: string; env?: Record<string, string> }[] }>;
      };
      const step = wf.jobs.images.steps.find((s) => s.name === "Build web")!;
      expect(step.run).toBeTruthy();
      // What the runner does with ${{ … }}: secrets.X and github.sha substituted as text.
      const expand = (s: string, v: Record<string, string>) =>
        s.replace(/\$\{\{\s*secrets\.(\w+)\s*\}\}/g, (_, k: string) => (k === "NPM_TOKEN" ? v.NPM_TOKEN : k === "SENTRY_AUTH_TOKEN" ? v.SENTRY_AUTH_TOKEN : "")).replace(/\$\{\{\s*github\.sha\s*\}\}/g, sha);
      const stepEnv = (v: Record<string, string>, home: string) => ({ HOME: home, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, x]) => [k, expand(x, v)])) });
      // GitHub's default shell for run: is bash -e {0} (with pipefail when bash is named).
      await callSite("workflow run step", (v) => `set -e\n${expand(step.run!, v)}`, {
        cwd: join(repo, step["working-directory"] ?? "."),
        images: [{ ref: `web:${sha}`, kind: "web" }],
        env: stepEnv,
      });
    }, 300_000);
  });

  describe("run-time hints, run for real (test/docker/runtime: DB_PASSWORD and credentials.json are read only by the running container)", () => {
    for (const form of FORMS) {
      it(`[--mount-style ${form}] the printed \`docker run …\` and the compose snippet give the container the value; the image holds none, ${NO_SYNTAX}`, async () => {
        const t0 = performance.now();
        const work = mkdtempSync(join(docker.dir, `runtime-${form}-`));
        const ctx = join(work, "context");
        cpSync(join(HERE, "runtime"), ctx, { recursive: true });
        const before = { NPM_TOKEN: canary(), DB_PASSWORD: canary(), cred: canary() };
        const after = { NPM_TOKEN: canary(), DB_PASSWORD: canary(), cred: canary() };
        buildCanaries.push(after.NPM_TOKEN);
        const appOutput = (v: { DB_PASSWORD: string; cred: string }) => `env ${sha256(v.DB_PASSWORD)}\nfile ${sha256(v.cred)}`;
        const ran: string[] = [];
        try {
          // The original bakes all three in; its container reads DB_PASSWORD and the file from the image.
          writeFileSync(join(ctx, "credentials.json"), before.cred);
          const tag = `localhost/dk-runtime-${form}-orig`;
          const orig = await serialBuild(docker, () => docker.docker(["build", "--build-arg", `NPM_TOKEN=${before.NPM_TOKEN}`, "--build-arg", `DB_PASSWORD=${before.DB_PASSWORD}`, "-t", tag, "."], { cwd: ctx }), []);
          if (orig.code !== 0) throw new Error(`the original runtime Dockerfile does not build:\n${orig.stderr}`);
          const old = await saveImage(docker, tag, savedDir(work, "orig"));
          for (const [k, x] of Object.entries(before)) expect(leaks([old], [x]), `the original image must hold ${k} (else this proves nothing)`).not.toEqual([]);
          expect((await docker.must(["run", "--rm", tag])).stdout.trim(), "the original container reads both from the image").toBe(appOutput(before));
          await docker.docker(["rmi", "-f", tag]);

          writeFileSync(join(ctx, "credentials.json"), after.cred);
          const report = await unbake(ctx, form === "file" ? ["--mount-style", "file"] : []);
          expect(report.summary.errors).toBe(0);
          const file = report.files[0];
          const sources = file.secrets.map((s) => (s.source.type === "env" ? s.source.name : s.source.path));
          expect(sources.sort(), "the report lists the three secrets").toEqual(["DB_PASSWORD", "NPM_TOKEN", "credentials.json"]);
          expect(file.secrets.find((s) => s.source.type === "file")?.usage, "credentials.json is read only at run time").toBe("runtime");
          expect(file.runtime?.docker, "a docker run hint that passes DB_PASSWORD").toMatch(/^docker run .*-e DB_PASSWORD .* IMAGE$/);
          expect(file.runtime?.compose, "a compose hint").toMatch(/^services:\n/);
          dropSyntax(join(ctx, "Dockerfile"));

          // Built with the printed command, the variables of its env secrets set (NPM_TOKEN; DB_PASSWORD
          // too when a build step may read it, as `RUN npm ci` under the old ENV could): npm gets its
          // token, the image holds nothing.
          const byName: Record<string, string> = { NPM_TOKEN: after.NPM_TOKEN, DB_PASSWORD: after.DB_PASSWORD };
          const buildEnv = Object.fromEntries(file.secrets.flatMap((s) => (s.usage === "build" && s.source.type === "env" ? [[s.source.name, byName[s.source.name]]] : [])));
          const out = await serialBuild(docker, () => docker.sh(file.commands.docker!, { cwd: ctx, env: buildEnv }), Object.values(after));
          if (out.code !== 0) throw new Error(`the rewritten runtime Dockerfile does not build:\n$ ${file.commands.docker}\n${out.stderr}`);
          expect(out.inState, `LEAK: Docker's state holds a canary after the rewritten runtime build:\n  ${out.inState.join("\n  ")}`).toEqual([]);
          const id = builtImageId(out.stderr + out.stdout);
          const image = await saveImage(docker, id, savedDir(work, "new"));
          expect(proofDigest(image.oci, "/proof/npm-ci-env.sha")).toBe(sha256(after.NPM_TOKEN));
          const found = leaks([image], [...Object.values(after), ...Object.values(before)]);
          expect(found, `LEAK in the rewritten runtime image:\n  ${found.join("\n  ")}`).toEqual([]);
          expect(flatten(image.oci).has("app/config/credentials.json"), "credentials.json left the image").toBe(false);

          // docker run: exactly the printed line, IMAGE replaced by the image, in the context folder.
          const runLine = file.runtime!.docker!.replace(/ IMAGE$/, ` ${id}`);
          const container = await docker.sh(runLine, { cwd: ctx, env: { DB_PASSWORD: after.DB_PASSWORD } });
          ran.push(...(await docker.must(["ps", "-aq", "--filter", `ancestor=${id}`])).stdout.split("\n").filter(Boolean));
          expect(container.code, `$ ${runLine}\n${container.stderr}`).toBe(0);
          expect(container.stdout.trim(), `\`${runLine}\` gives the container both values`).toBe(appOutput(after));

          // compose: the printed snippet as compose.yaml, plus the service's image (a second file).
          const snippet = file.runtime!.compose!;
          const service = Object.keys((parseYaml(snippet) as { services: Record<string, unknown> }).services)[0];
          writeFileSync(join(ctx, "compose.yaml"), `${snippet}\n`);
          writeFileSync(join(ctx, "compose.image.yaml"), `services:\n  ${JSON.stringify(service)}:\n    image: ${id}\n`);
          const project = `unbake-runtime-${form}`;
          const compose = `docker compose -p ${project} -f compose.yaml -f compose.image.yaml`;
          const up = await docker.sh(`${compose} run --rm ${service}`, { cwd: ctx, env: { DB_PASSWORD: after.DB_PASSWORD } });
          await docker.sh(`${compose} down`, { cwd: ctx });
          expect(up.code, `compose run failed:\n${snippet}\n${up.stderr}`).toBe(0);
          expect(up.stdout.trim(), "the compose snippet gives the container both values").toBe(appOutput(after));
          await docker.docker(["rmi", "-f", id]);
        } finally {
          if (ran.length > 0) await docker.docker(["rm", "-f", ...ran]);
          timings.push(`run-time [${form}]: ${seconds(t0)}`);
        }
      }, 300_000);
    }
  });

  it("no canary of a rewritten build is anywhere in dockerd's or containerd's state (images, build cache, build history)", async () => {
    expect(buildCanaries.length, "the builds above ran").toBeGreaterThan(0);
    const t0 = performance.now();
    const found = await docker.grepState(buildCanaries);
    expect(found, `LEAK: files of Docker's state hold a canary of a rewritten build:\n  ${found.join("\n  ")}`).toEqual([]);
    // The search reads the layers: the base image's busybox is found the same way.
    const control = await exec("grep", ["-r", "-l", "-F", "-a", "-m", "1", "--devices=skip", "-e", "BusyBox v", join(docker.dir, "data")]);
    expect(control.stdout, "the state search sees layer contents").not.toBe("");
    timings.push(`state search (${buildCanaries.length} canaries): ${seconds(t0)}`);
  }, 300_000);
});
