/**
 * `unbake audit` on images Docker 28 built with BuildKit (the private daemon of the Docker proof
 * suite, test/docker/daemon.ts): BuildKit's history forms (`RUN |1 NPM_TOKEN=… /bin/sh -c … #
 * buildkit`, `COPY .npmrc /root/.npmrc # buildkit`), read from `docker save` (Docker 25+ writes
 * an OCI layout inside), plain and gzipped. The leaky image is reported with exit 1 and no value
 * in the output; unbake's rewrite, built with the secrets its report lists, audits clean.
 *
 * Skipped, with a warning, where the private Docker cannot run; with CI=true it fails instead.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { leakyDockerfile, secretsToSupply } from "./helpers/build-secrets.js";
import { DockerDaemon, dockerUnavailable, staticBusybox } from "./docker/daemon.js";
import { BASE_DIR } from "./real-builder/cases.js";

const unavailable = dockerUnavailable();
if (unavailable) {
  console.warn(`audit-docker tests ${process.env.CI === "true" ? "FAIL (CI=true)" : "SKIPPED"}: ${unavailable}`);
  if (process.env.CI === "true") {
    describe("audit on Docker images", () => {
      it("is available: CI=true must run them", () => {
        throw new Error(unavailable);
      });
    });
  }
}

const BASE = "localhost/unbake-audit-base";

async function run(args: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd, env: {} });
  return { code, stdout, stderr };
}

describe.skipIf(!!unavailable)("audit on Docker (BuildKit) images", () => {
  let docker: DockerDaemon;
  const { values, text: leaky } = leakyDockerfile(BASE);
  let work = "";

  async function save(ref: string, name: string): Promise<string[]> {
    const tar = join(work, `${name}.tar`);
    await docker.must(["save", "-o", tar, ref]);
    await docker.sh(`gzip -c ${tar} > ${tar}.gz`);
    return [tar, `${tar}.gz`];
  }

  beforeAll(async () => {
    docker = await DockerDaemon.start();
    work = join(docker.dir, "audit");
    const base = join(work, "base");
    mkdirSync(base, { recursive: true });
    cpSync(BASE_DIR, base, { recursive: true });
    cpSync(staticBusybox()!, join(base, "busybox"));
    await docker.must(["build", "-q", "-f", join(base, "Containerfile"), "-t", BASE, base]);
  }, 300_000);

  afterAll(async () => {
    await docker?.stop();
  }, 120_000);

  it("the leaky image: BuildKit's history tied to its instructions, exit 1, no value printed; the rewrite audits clean", async () => {
    const ctx = join(work, "ctx");
    mkdirSync(ctx, { recursive: true });
    writeFileSync(join(ctx, "Dockerfile"), leaky);
    writeFileSync(join(ctx, ".npmrc"), `//registry.example.com/:_authToken=${values.npmrc}\n`);
    await docker.must(["build", "-q", "--build-arg", `NPM_TOKEN=${values.arg}`, "-t", "localhost/audit-leaky", ctx]);
    const inputs = await save("localhost/audit-leaky", "leaky");
    const json = await run(["audit", "--format", "json", ...inputs], work);
    expect(json.code, json.stdout + json.stderr).toBe(1);
    for (const v of Object.values(values)) expect(json.stdout).not.toContain(v);
    const report = JSON.parse(json.stdout);
    expect(report.images).toHaveLength(2);
    for (const image of report.images) {
      expect(image.names).toContain("localhost/audit-leaky:latest");
      expect(image.findings.map((f: { kind: string; instruction?: string; rule: string }) => [f.kind, f.instruction, f.rule]), image.input).toEqual([
        // BuildKit writes the value given with --build-arg into the ARG step itself.
        ["build-arg", "ARG NPM_TOKEN=***", "secret-arg-env"],
        ["env", "ENV API_TOKEN=***", "hardcoded-secret"],
        ["file", "COPY .npmrc /root/.npmrc", "secret-file-copy"],
      ]);
      expect(image.findings[0].message, image.input).toContain("and 2 later steps");
      expect(image.findings[2].deletedIn, image.input).toBeDefined();
    }

    const dir = join(work, "rewrite");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "Dockerfile"), leaky);
    const fixed = JSON.parse((await run(["--write", "--format", "json", "Dockerfile"], dir)).stdout);
    const { secrets, env: secretEnv } = secretsToSupply(fixed.files[0].secrets, work);
    // The private Docker has no network to fetch the frontend the syntax line names; its own is the same.
    writeFileSync(join(ctx, "Dockerfile.new"), readFileSync(join(dir, "Dockerfile"), "utf8").replace(/^# syntax=docker\/dockerfile:1\n/, ""));
    await docker.must(["build", "-q", "-f", join(ctx, "Dockerfile.new"), ...secrets.flatMap((s) => ["--secret", s]), "-t", "localhost/audit-clean", ctx], { env: secretEnv });
    const clean = await run(["audit", ...(await save("localhost/audit-clean", "clean"))], work);
    expect(clean).toEqual({ code: 0, stdout: "", stderr: "" });
  }, 300_000);
});
