/**
 * Real-builder proof (buildah, REFERENCE §1, §4, §8): for every case in test/real-builder/cases,
 *   1. the ORIGINAL Dockerfile, built with a random canary supplied the old way (--build-arg, or
 *      the file in the context), leaks the canary into the pushed image — so the search works;
 *   2. `unbake --write --mount-style file` (the real CLI) rewrites it, and the rewritten file
 *      builds with the secrets its JSON report lists, supplied with `--secret` (a new canary);
 *   3. every build step that read the secret still got it (each writes the value's sha256 into
 *      /proof, compared with the canary's);
 *   4. neither canary is in any blob of the rewritten image(s) (decompressed layers, config with
 *      its history, manifest, index), nor anywhere in the build storage.
 * buildah < 1.44 has no `env=` secret mounts, hence `--mount-style file`.
 *
 * Skipped, with a loud warning, only where buildah cannot run; with CI=true it fails instead.
 */
import { createHash, randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Buildah, exec, isStaticElf, which } from "./real-builder/buildah.js";
import { BASE_DIR, copyCase, heredocBodies, loadCases, lowerHeredocs, type Case } from "./real-builder/cases.js";
import { findInImage, flatten, readOciImage, type OciImage } from "./real-builder/oci.js";

const REPO = join(import.meta.dirname, "..");
const CLI = join(REPO, "bin", "unbake.js");
const BASE_IMAGE = "localhost/unbake-base";
const IN_CI = process.env.CI === "true";

interface Ready {
  ok: true;
  buildah: Buildah;
  version: string;
  busybox: string;
}
type Probe = Ready | { ok: false; reason: string };

async function probe(): Promise<Probe> {
  if (!which("buildah")) return { ok: false, reason: "buildah is not installed (not on PATH)" };
  const busybox = [which("busybox"), "/bin/busybox", "/usr/bin/busybox"].find((p): p is string => !!p && existsSync(p));
  if (!busybox) return { ok: false, reason: "busybox is not installed (Debian package busybox-static)" };
  if (!isStaticElf(busybox)) return { ok: false, reason: `${busybox} is not statically linked (install busybox-static, not busybox)` };
  const buildah = new Buildah(mkdtempSync(join(tmpdir(), "unbake-buildah-")));
  const info = await buildah.run(["info"]);
  if (info.code !== 0) {
    await buildah.cleanup();
    return { ok: false, reason: `\`buildah info\` fails (exit ${info.code}): ${(info.stderr || info.stdout).trim().split("\n").slice(-3).join(" | ")}` };
  }
  const version = (await buildah.run(["--version"])).stdout.trim();
  return { ok: true, buildah, version, busybox };
}

const env = await probe();
if (!env.ok) {
  const banner = "!".repeat(100);
  console.warn(
    `\n${banner}\n!!! real-builder tests ${IN_CI ? "FAIL (CI=true: they must run in CI)" : "SKIPPED"}: ${env.reason}\n` +
      `!!! They prove with a real builder that rewritten Dockerfiles still build and leak no secret.\n` +
      `!!! Install (Debian/Ubuntu, as root): apt-get install -y --no-install-recommends buildah busybox-static  (or run .ci/run)\n${banner}\n`,
  );
  if (IN_CI) {
    describe("real builder (buildah)", () => {
      it("is available: CI=true must run the real-builder tests", () => {
        throw new Error(`real-builder tests cannot run: ${env.reason}`);
      });
    });
  }
}

const canary = () => `canary-${randomBytes(16).toString("hex")}`;
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const fileName = (key: string) => key.replace(/[^A-Za-z0-9._-]/g, "_");

interface ReportSecret {
  id: string;
  source: { type: "env"; name: string } | { type: "file"; path: string };
  usage: "build" | "runtime";
  target?: string;
}
interface Report {
  files: {
    path: string;
    changed: boolean;
    error?: string;
    findings: { rule: string; line: number; status: string; message: string }[];
    secrets: ReportSecret[];
  }[];
  summary: { errors: number };
}

/** The digest a /proof file holds (`sha256sum` output: "<hex>  <name>"). */
function proofDigest(image: OciImage, path: string): string {
  const entry = flatten(image).get(path.replace(/^\/+/, ""));
  if (!entry) throw new Error(`${path} is not in the image: the build step that reads the secret did not run`);
  const digest = entry.content.toString("utf8").trim().split(/\s+/)[0];
  expect(digest, `${path} holds a sha256`).toMatch(/^[0-9a-f]{64}$/);
  return digest;
}

const timings: string[] = [];

describe.skipIf(!env.ok)(`real builder: ${env.ok ? env.version : "buildah"}`, () => {
  const { buildah } = env as Ready;
  let nativeHeredocs = false;
  let heredocProbe = "";

  beforeAll(async () => {
    if (!existsSync(join(REPO, "dist", "cli", "main.js"))) throw new Error("dist/ is missing: run `npm run build` (npm test does it first)");
    const t0 = performance.now();
    const ctx = join(buildah.dir, "base-context");
    cpSync(BASE_DIR, ctx, { recursive: true });
    cpSync((env as Ready).busybox, join(ctx, "busybox"));
    const base = await buildah.bud({ context: ctx, dockerfile: join(ctx, "Containerfile"), tag: BASE_IMAGE });
    if (base.code !== 0) throw new Error(`the base image does not build:\n${base.stdout}\n${base.stderr}`);

    // Does this buildah read Dockerfile heredocs? (1.28 does not: it takes the body for instructions.)
    const probeDir = join(buildah.dir, "heredoc-probe");
    mkdirSync(probeDir);
    writeFileSync(join(probeDir, "Dockerfile"), `FROM ${BASE_IMAGE}\nRUN <<EOF\necho heredoc > /heredoc-ok\nEOF\n`);
    const h = await buildah.bud({ context: probeDir, dockerfile: join(probeDir, "Dockerfile"), tag: "localhost/unbake-heredoc-probe" });
    nativeHeredocs = h.code === 0;
    heredocProbe = nativeHeredocs ? "supported" : (h.stderr.trim().split("\n").pop() ?? "").slice(0, 200);
    if (!nativeHeredocs) console.warn(`real builder: ${(env as Ready).version} has no Dockerfile heredocs (${heredocProbe}); heredoc RUNs are lowered to exec form for it`);
    timings.push(`base image + heredoc probe: ${((performance.now() - t0) / 1000).toFixed(1)}s`);
  }, 180_000);

  afterAll(async () => {
    await buildah.cleanup();
    if (timings.length > 0) console.log(`real-builder timings (${(env as Ready).version}):\n  ${timings.join("\n  ")}`);
  }, 120_000);

  for (const c of loadCases()) {
    it(`${c.name}: ${c.about}`, async () => {
      const t0 = performance.now();
      const work = mkdtempSync(join(tmpdir(), `unbake-rb-${c.name}-`));
      try {
        await runCase(c, work);
      } finally {
        rmSync(work, { recursive: true, force: true });
        await cleanupImages(c);
        timings.push(`${c.name}: ${((performance.now() - t0) / 1000).toFixed(1)}s`);
      }
    }, 300_000);
  }

  const tag = (c: Case, kind: "orig" | "new", target?: string) => `localhost/rb-${c.name}-${kind}${target ? `-${target}` : ""}`;

  async function cleanupImages(c: Case) {
    const tags = (["orig", "new"] as const).flatMap((k) => [undefined, "bare", ...(c.targets ?? [])].map((t) => tag(c, k, t)));
    for (const t of tags) await buildah.run(["rmi", "--force", t]);
    await buildah.run(["rmi", "--prune"]);
  }

  /** Build the final image and every extra target; push each to an OCI layout and read it. */
  async function buildAll(c: Case, kind: "orig" | "new", o: { context: string; dockerfile: string; work: string; buildArgs?: Record<string, string>; secrets?: string[]; env?: Record<string, string> }) {
    const images = new Map<string, OciImage>();
    for (const target of [...(c.targets ?? []), undefined]) {
      const t = tag(c, kind, target);
      const out = await buildah.bud({ ...o, tag: t, target });
      if (out.code !== 0) {
        throw new Error(
          `${kind === "orig" ? "the original" : "the REWRITTEN"} Dockerfile of ${c.name} does not build with ${(env as Ready).version}` +
            `${target ? ` (--target ${target})` : ""}:\n$ buildah ${buildah.budArgs({ ...o, tag: t, target }).join(" ")}\n` +
            `--- Dockerfile\n${readFileSync(o.dockerfile, "utf8")}--- stdout\n${out.stdout}\n--- stderr\n${out.stderr}`,
        );
      }
      const oci = join(o.work, `oci-${kind}-${target ?? "final"}`);
      await buildah.pushOci(t, oci);
      images.set(target ?? "final", readOciImage(oci));
    }
    return images;
  }

  /** The Dockerfile to hand to this buildah: heredocs lowered when it cannot read them. */
  function forBuilder(text: string, path: string): string {
    writeFileSync(path, nativeHeredocs ? text : lowerHeredocs(text));
    return path;
  }

  async function runCase(c: Case, work: string) {
    const ctx = join(work, "context");
    const outside = join(work, "secrets");
    mkdirSync(outside);
    copyCase(c, ctx);
    const keys = Object.keys(c.secrets);
    const before = Object.fromEntries(keys.map((k) => [k, canary()]));
    const after = Object.fromEntries(keys.map((k) => [k, canary()]));
    const allCanaries = [...Object.values(before), ...Object.values(after)];
    const original = readFileSync(join(ctx, "Dockerfile"), "utf8");

    // 1. The original, with the secrets supplied the old way, leaks: the search can see a leak.
    for (const [k, s] of Object.entries(c.secrets)) if (s.type === "file") writeFileSync(join(ctx, k), before[k]);
    const buildArgs = Object.fromEntries(keys.filter((k) => c.secrets[k].type === "arg").map((k) => [k, before[k]]));
    const old = await buildAll(c, "orig", { context: ctx, dockerfile: forBuilder(original, join(work, "Dockerfile.orig")), work, buildArgs });
    for (const [path, key] of Object.entries(c.proofs)) {
      expect(proofDigest(old.get("final")!, path), `original build: ${path} is the digest of ${key}`).toBe(sha256(before[key]));
    }
    for (const k of keys) {
      const where = [...old].flatMap(([name, image]) => findInImage(image, before[k]).map((w) => `${name}: ${w}`));
      expect(where, `the original build must leak ${k} (else this case proves nothing)`).not.toEqual([]);
    }

    const stored = (await Promise.all(keys.map((k) => buildah.grepStorage(before[k])))).flat();
    expect(stored, "the storage search sees the original build's leak (else it proves nothing)").not.toEqual([]);

    // 2. The real CLI rewrites the case in place.
    const cli = await exec(process.execPath, [CLI, "--write", "--mount-style", "file", "--format", "json", "."], { cwd: ctx });
    expect(cli.code, `unbake exit status (stderr: ${cli.stderr})`).not.toBe(2);
    expect(cli.code).not.toBeNull();
    const report = JSON.parse(cli.stdout) as Report;
    expect(report.summary.errors).toBe(0);
    expect(report.files.map((f) => f.path)).toEqual(["Dockerfile"]);
    const file = report.files[0];
    expect(file.changed, "unbake rewrote the Dockerfile").toBe(true);
    const unfixed = file.findings.filter((f) => f.rule.startsWith("secret-") && f.status === "manual");
    expect(unfixed, "every secret finding is fixed").toEqual([]);
    const rewritten = readFileSync(join(ctx, "Dockerfile"), "utf8");
    expect(rewritten.split("\n")[0]).toBe("# syntax=docker/dockerfile:1");
    expect(rewritten, "--mount-style file emits no env= mounts (buildah < 1.44 rejects them)").not.toMatch(/--mount=\S*env=/);
    expect(heredocBodies(rewritten), "heredoc bodies stay byte for byte").toEqual(heredocBodies(original));

    // 3. Build the rewritten Dockerfile, supplying each secret the report lists with --secret.
    const secrets: string[] = [];
    const buildEnv: Record<string, string> = {};
    const supplied = new Set<string>();
    for (const s of file.secrets.filter((x) => x.usage === "build")) {
      const key = s.source.type === "env" ? s.source.name : s.source.path;
      const spec = c.secrets[key];
      expect(spec?.type, `report secret ${JSON.stringify(s)} is one the case supplies`).toBe(s.source.type === "env" ? "arg" : "file");
      supplied.add(key);
      if (s.source.type === "env") {
        secrets.push(`id=${s.id},env=${s.source.name}`);
        buildEnv[s.source.name] = after[key];
      } else {
        const src = join(outside, fileName(key));
        writeFileSync(src, after[key]);
        secrets.push(`id=${s.id},src=${src}`);
      }
    }
    expect([...supplied].sort(), "the report lists every secret of the case, as a build secret").toEqual([...keys].sort());
    const ignore = existsSync(join(ctx, ".dockerignore")) ? readFileSync(join(ctx, ".dockerignore"), "utf8").split("\n") : [];
    for (const [k, s] of Object.entries(c.secrets)) {
      if (s.type !== "file") continue;
      expect(ignore, `.dockerignore lists ${k}`).toContain(k);
      if (c.keepInContext?.includes(k)) writeFileSync(join(ctx, k), after[k]); // .dockerignore must keep it out
      else renameSync(join(ctx, k), join(work, `moved-out-${fileName(k)}`));
    }
    const fresh = await buildAll(c, "new", { context: ctx, dockerfile: forBuilder(rewritten, join(work, "Dockerfile.new")), work, secrets, env: buildEnv });

    // 4. Every build step still got its secret.
    for (const [path, key] of Object.entries(c.proofs)) {
      expect(proofDigest(fresh.get("final")!, path), `rewritten build: ${path} is the digest of the ${key} supplied with --secret`).toBe(sha256(after[key]));
    }
    // 5. No trace of any canary in any blob, history entry or config of any rewritten image …
    for (const [name, image] of fresh) {
      for (const value of allCanaries) {
        const where = findInImage(image, value);
        expect(where, `LEAK: the rewritten ${name} image contains ${value}, at:\n  ${where.join("\n  ")}\n`).toEqual([]);
      }
      expect(image.config.history?.length ?? 0, "the rewritten image has a history to search").toBeGreaterThan(0);
      // The secret file's old place and its mount target appear in no layer (not even empty).
      const paths = new Set([...(c.absentAfter ?? []), ...file.secrets.flatMap((s) => (s.target ? [s.target] : []))].map((p) => p.replace(/^\/+/, "")));
      const present = image.layers.flatMap((l, i) => l.entries.filter((e) => paths.has(e.path)).map((e) => `layer ${i}: /${e.path}`));
      expect(present, `the rewritten ${name} image still has the secret's path: ${present.join(", ")}`).toEqual([]);
    }
    // … nor anywhere in the builder's storage (intermediate images, cached layers, leftover containers).
    for (const value of Object.values(after)) {
      const files = await buildah.grepStorage(value);
      expect(files, `LEAK: the build storage holds ${value}, in:\n  ${files.join("\n  ")}\n`).toEqual([]);
    }

    // 6. Given no secret at all, the rewrite behaves as the original did when it was given none.
    if (c.withoutSecrets) await buildBare(c, work, ctx, original, rewritten);
  }

  async function buildBare(c: Case, work: string, ctx: string, original: string, rewritten: string) {
    for (const k of Object.keys(c.secrets)) rmSync(join(ctx, k), { force: true });
    const bare = async (kind: "orig" | "new", text: string) => {
      const o = { context: ctx, dockerfile: forBuilder(text, join(work, `Dockerfile.${kind}-bare`)), tag: tag(c, kind, "bare"), noCache: true };
      return { o, out: await buildah.bud(o) };
    };
    const expectation = c.withoutSecrets!;
    for (const [kind, text] of [["orig", original], ["new", rewritten]] as const) {
      const { o, out } = await bare(kind, text);
      const shown = `$ buildah ${buildah.budArgs(o).join(" ")}\n--- Dockerfile\n${text}--- stderr\n${out.stderr.split("\n").slice(-5).join("\n")}`;
      if ("fails" in expectation) {
        expect(out.code, `${kind}: without the secret the build must fail, as the original did without its file:\n${shown}`).not.toBe(0);
        // The rewrite fails on the mount itself (buildah: "secret required but no secret with id … found").
        if (kind === "new") expect(out.stderr).toMatch(/secret required|secret .*not found/i);
        continue;
      }
      expect(out.code, `${kind}: without the secret the build must still work:\n${shown}`).toBe(0);
      const oci = join(work, `oci-${kind}-bare`);
      await buildah.pushOci(tag(c, kind, "bare"), oci);
      const files = flatten(readOciImage(oci));
      for (const [path, text] of Object.entries(expectation.proofs)) {
        expect(files.get(path.replace(/^\/+/, ""))?.content.toString("utf8"), `${kind}: ${path} without the secret`).toBe(text);
      }
    }
  }
});
