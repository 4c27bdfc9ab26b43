/**
 * The call-site rewrite alone over the small monorepo (__fixtures__/monorepo/before: two services, a
 * compose file, a workflow, a Makefile, a bake file, a release script), given what the Dockerfile
 * rewrite removed (migrations.json), compared with the call sites in __fixtures__/monorepo/after,
 * and the file discovery. test/monorepo.test.ts runs the whole command over the same repository.
 */
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { findCallSiteFiles, rewriteCallSites, type Migration } from "../src/callsites/index.js";

const FIX = join(import.meta.dirname, "..", "__fixtures__", "monorepo");
const REPO = join(FIX, "before");
const EXPECTED = join(FIX, "after");
const migrations: Migration[] = (JSON.parse(readFileSync(join(FIX, "migrations.json"), "utf8")) as Migration[]).map((m) => ({
  ...m,
  dockerfile: join(REPO, m.dockerfile),
  context: join(REPO, m.context),
}));

describe("fixture monorepo", () => {
  it("finds exactly the call-site files", async () => {
    const files = (await findCallSiteFiles([REPO])).map((f) => relative(REPO, f));
    expect(files).toEqual([".github/workflows/build.yml", "Makefile", "compose.yaml", "docker-bake.hcl", "scripts/release.sh"]);
  });

  it("rewrites every call site to the expected files, and nothing else", async () => {
    const files = await findCallSiteFiles([REPO]);
    const written: string[] = [];
    for (const f of files) {
      const rel = relative(REPO, f);
      const text = readFileSync(f, "utf8");
      const r = rewriteCallSites(f, text, migrations, REPO);
      const expectedPath = join(EXPECTED, rel);
      if (!existsSync(expectedPath) || readFileSync(expectedPath, "utf8") === text) {
        expect(r, rel).toBeNull();
        continue;
      }
      expect(r, rel).not.toBeNull();
      expect(r!.manual, rel).toEqual([]);
      expect(r!.after, rel).toBe(readFileSync(expectedPath, "utf8"));
      if (/\.ya?ml$/.test(rel)) expect(parseDocument(r!.after).errors, rel).toEqual([]);
      // idempotent
      expect(rewriteCallSites(f, r!.after, migrations, REPO), rel).toBeNull();
      written.push(rel);
    }
    expect(written.sort()).toEqual([".github/workflows/build.yml", "Makefile", "compose.yaml", "docker-bake.hcl", "scripts/release.sh"]);
  });

  it("leaves no --build-arg of a removed argument in the expected files", () => {
    for (const rel of [".github/workflows/build.yml", "Makefile", "compose.yaml", "docker-bake.hcl", "scripts/release.sh"]) {
      const text = readFileSync(join(EXPECTED, rel), "utf8");
      // --build-arg flags, build-args / list-form lines (`NAME=${…}`), map-form compose args and HCL args.
      expect(text, rel).not.toMatch(/--build-arg[ =]+(NPM_TOKEN|SENTRY_AUTH_TOKEN)|^[\s-]*(NPM_TOKEN|SENTRY_AUTH_TOKEN)=\$\{|^\s*(NPM_TOKEN|SENTRY_AUTH_TOKEN): \$\{(NPM|SENTRY)|^\s*(NPM_TOKEN|SENTRY_AUTH_TOKEN)\s*=\s*"\$\{/m);
      expect(readFileSync(join(REPO, rel), "utf8"), rel).toMatch(/--build-arg[ =]+(NPM_TOKEN|SENTRY_AUTH_TOKEN)|^[\s-]*(NPM_TOKEN|SENTRY_AUTH_TOKEN)=\$\{|^\s*(NPM_TOKEN|SENTRY_AUTH_TOKEN): \$\{(NPM|SENTRY)|^\s*(NPM_TOKEN|SENTRY_AUTH_TOKEN)\s*=\s*"\$\{/m);
    }
  });
});

describe("findCallSiteFiles", () => {
  const dir = mkdtempSync(join(tmpdir(), "unbake-callsites-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const put = (rel: string, text: string): void => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  put("compose.yml", "services: {}\n");
  put("deploy/docker-compose.override.yaml", "services: {}\n");
  put("sub/compose.prod.yaml", "services: {}\n");
  put(".github/workflows/ci.yaml", "jobs: {}\n");
  put(".github/dependabot.yml", "version: 2\n");
  put("deploy.sh", "docker build .\n");
  put("bin/release", "#!/usr/bin/env bash\ndocker build .\n");
  put("bin/tool.py", "#!/usr/bin/env python3\n");
  put("bin/tool", "#!/usr/bin/env python3\n");
  put("bin/notes", "docker build .\n");
  put("Makefile", "all:\n");
  put("mk/rules.mk", "x:\n");
  put(".gitlab-ci.yml", "build: {}\n");
  put("Jenkinsfile", "pipeline {}\n");
  put("ci/Jenkinsfile.release", "pipeline {}\n");
  put("docker-bake.hcl", 'target "default" {}\n');
  put("terraform/main.hcl", 'resource "x" "y" {}\n');
  put("docker-bake.json", "{}\n");
  put("ci/images.bake.json", "{}\n");
  put("package.json", "{}\n");
  put("Dockerfile", "FROM scratch\n");
  put("node_modules/pkg/build.sh", "#!/bin/sh\n");
  put("node_modules/pkg/compose.yaml", "services: {}\n");
  put(".git/hooks/pre-commit", "#!/bin/sh\n");
  chmodSync(join(dir, "bin/release"), 0o755);

  it("lists the candidate files, sorted, skipping .git and node_modules", async () => {
    const files = (await findCallSiteFiles([dir])).map((f) => relative(dir, f));
    expect(files).toEqual([
      ".github/workflows/ci.yaml",
      ".gitlab-ci.yml",
      "Jenkinsfile",
      "Makefile",
      "bin/release",
      "ci/Jenkinsfile.release",
      "ci/images.bake.json",
      "compose.yml",
      "deploy.sh",
      "deploy/docker-compose.override.yaml",
      "docker-bake.hcl",
      "docker-bake.json",
      "mk/rules.mk",
      "sub/compose.prod.yaml",
    ]);
  });

  it("accepts several roots and file roots without duplicates; missing roots are ignored", async () => {
    const files = await findCallSiteFiles([join(dir, "ci"), join(dir, "deploy.sh"), join(dir, "ci", "images.bake.json"), join(dir, "package.json"), join(dir, "missing")]);
    expect(files.map((f) => relative(dir, f))).toEqual(["ci/Jenkinsfile.release", "ci/images.bake.json", "deploy.sh"]);
  });
});
