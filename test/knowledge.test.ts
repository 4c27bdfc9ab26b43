/**
 * The tool catalogue (src/knowledge/tools): every row that stores a credential has a fixture
 * pair that exercises it, and the fixture's finding says `fixed` exactly when the row has a
 * file-free form (the stored file is gone) and `manual` when it has none (the file stays).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TOOLS, storingCommand } from "../src/knowledge/tools/index.js";
import { bundleVariable } from "../src/knowledge/tools/bundler.js";
import { git } from "../src/knowledge/tools/git.js";
import { composer, composerAuthJson } from "../src/knowledge/tools/composer.js";
import { assignments, doubleQuoted } from "../src/analyse/flow.js";
import { runPipeline } from "../src/pipeline.js";
import { parseDockerfile } from "../src/parse/dockerfile.js";
import { readRunScript, programOf } from "../src/analyse/run-script.js";

const FIXTURES = join(import.meta.dirname, "..", "__fixtures__");

/** Row id → the fixture that exercises it. */
const FIXTURE_OF: Record<string, string> = {
  "git-config": "stored-git-insteadof",
  "git-clone-url": "stored-git-clone-url-manual",
  "composer-config": "stored-composer-github-oauth",
  "bundle-config": "stored-bundle-config",
  "aws-configure-set": "stored-aws-configure-set",
  "dotnet-nuget-add-source": "stored-dotnet-nuget-source",
  "yarn-config-set-npm-auth-token": "stored-yarn-npm-auth-token",
  "cargo-login": "stored-cargo-login",
  "poetry-config-credentials": "stored-poetry-http-basic",
  "pip-config-set-index-url": "stored-pip-index-url",
  "npm-config-set-auth": "stored-npm-config-set-manual",
  "npm-login": "stored-logins-manual",
  "huggingface-login": "stored-hf-login",
  "gcloud-auth": "stored-gcloud-key-piped-manual",
  "registry-login": "stored-docker-login-manual",
  "gh-auth-login": "stored-logins-manual",
  "vault-login": "stored-logins-manual",
  "az-login": "stored-logins-manual",
  "kubectl-set-credentials": "stored-logins-manual",
  "helm-repo-add": "stored-logins-manual",
  "conan-remote-login": "stored-logins-manual",
};

const rows = TOOLS.flatMap((tool) => tool.stores.map((row) => ({ tool, row })));

/** The lines whose RUN runs a command of this row (withVariable: one given a `$` variable). */
function linesRunning(text: string, rowId: string, withVariable = false): number[] {
  const model = parseDockerfile(text);
  const lines: number[] = [];
  for (const instr of model.instructions) {
    if (instr.keyword !== "RUN") continue;
    const script = readRunScript(model, instr);
    for (const c of [...script.editable, ...script.readOnly]) {
      const words = c.words.map((w) => w.value);
      const p = programOf(words);
      if (!p || (withVariable && !words.slice(p.index + 1).some((w) => w.includes("$")))) continue;
      if (storingCommand([p.name, ...words.slice(p.index + 1)])?.row.id === rowId) lines.push(instr.line + 1);
    }
  }
  return lines;
}

describe("tool catalogue", () => {
  it("row ids are unique, and every row says where its file-free form was checked", () => {
    const ids = rows.map((r) => r.row.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { row } of rows) {
      expect(row.docs.length, row.id).toBeGreaterThan(0);
      expect(!!row.fileFree !== !!row.manual, `${row.id}: a file-free form or a manual explanation, not both`).toBe(true);
    }
  });

  it("has a fixture for every row (and no stale entry)", () => {
    expect(Object.keys(FIXTURE_OF).sort()).toEqual(rows.map((r) => r.row.id).sort());
  });

  describe.each(rows.map((r) => [r.row.id, r] as const))("%s", (id, { row }) => {
    const input = readFileSync(join(FIXTURES, FIXTURE_OF[id], "input.Dockerfile"), "utf8");
    it("its fixture runs the command, and the secret it stores is fixed only when the row has a file-free form", () => {
      const lines = linesRunning(input, id);
      expect(lines.length, `${FIXTURE_OF[id]} runs a ${id} command`).toBeGreaterThan(0);
      const result = runPipeline(input);
      const after = runPipeline(result.output);
      if (row.fileFree) {
        // No command of the row is given a variable any more, and nothing is left to report about it.
        expect(linesRunning(result.output, id, true)).toEqual([]);
        expect(result.findings.filter((f) => f.rule === "secret-arg-env").map((f) => f.status)).not.toContain("manual");
        expect(result.findings.filter((f) => f.rule === "run-writes-secret")).toEqual([]);
      } else {
        // Its secret's finding says manual and names the file that stays.
        const manual = result.findings.filter((f) => f.rule === "secret-arg-env" && f.status === "manual");
        expect(manual.some((f) => f.message.includes(row.writes)), `a manual finding names ${row.writes}`).toBe(true);
        expect(result.findings.filter((f) => f.status === "fixed").map((f) => f.message).join("\n")).not.toContain(row.writes);
      }
      expect(after.output).toBe(result.output);
    });
  });
});

describe("file-free forms", () => {
  it("BUNDLE_<HOST>: upper case, . as __, - as ___", () => {
    expect(bundleVariable("gems.contribsys.com")).toBe("BUNDLE_GEMS__CONTRIBSYS__COM");
    expect(bundleVariable("my-gems.example.org")).toBe("BUNDLE_MY___GEMS__EXAMPLE__ORG");
  });

  it("git: only --global/--system settings with one key and one value", () => {
    const [store] = git.stores;
    expect(store.fileFree!(["git", "config", "--global", "url.https://$T@github.com/.insteadOf", "https://github.com/"])).toEqual([
      { kind: "git", key: "url.https://$T@github.com/.insteadOf", value: "https://github.com/" },
    ]);
    expect(store.fileFree!(["git", "config", "set", "--global", "http.extraheader", "AUTHORIZATION: bearer $T"])).toHaveLength(1);
    expect(typeof store.fileFree!(["git", "config", "url.x.insteadOf", "y"])).toBe("string");
    expect(typeof store.fileFree!(["git", "config", "--file", "/x", "a", "b"])).toBe("string");
  });

  it("composer: every credential of every command in one COMPOSER_AUTH object", () => {
    const form = composer.stores[0].fileFree!;
    const a = form(["composer", "config", "-g", "github-oauth.github.com", "$T"]);
    const b = form(["composer", "config", "--global", "http-basic.repo.example.com", "u", "$P"]);
    expect(typeof form(["composer", "config", "-g", "github-oauth.github.com"])).toBe("string");
    if (typeof a === "string" || typeof b === "string") throw new Error("no form");
    const json = composerAuthJson([...a, ...b] as Parameters<typeof composerAuthJson>[0]);
    expect(JSON.parse(json)).toEqual({ "github-oauth": { "github.com": "$T" }, "http-basic": { "repo.example.com": { username: "u", password: "$P" } } });
  });

  it("numbers git pairs in order and quotes values so $ still expands", () => {
    const vars = assignments([
      { kind: "git", key: "url.https://${T}@a/.insteadOf", value: "https://a/" },
      { kind: "git", key: "url.https://${T}@b/.insteadOf", value: "https://b/" },
    ]);
    expect(vars.map((v) => v.name)).toEqual(["GIT_CONFIG_COUNT", "GIT_CONFIG_KEY_0", "GIT_CONFIG_VALUE_0", "GIT_CONFIG_KEY_1", "GIT_CONFIG_VALUE_1"]);
    expect(vars[0].value).toBe("2");
    expect(doubleQuoted('{"a":"$T"}')).toBe('"{\\"a\\":\\"$T\\"}"');
    expect(doubleQuoted("a`b\\c")).toBe('"a\\`b\\\\c"');
    expect(doubleQuoted("https://a/")).toBe("https://a/");
  });
});

describe("the program behind a wrapper", () => {
  it("skips a wrapper's flag values and operands (sudo -u USER, gosu USER, su-exec USER, chroot DIR)", () => {
    expect(programOf(["gosu", "www-data", "composer", "install"])).toEqual({ name: "composer", index: 2 });
    expect(programOf(["su-exec", "app:app", "npm", "ci"])).toEqual({ name: "npm", index: 2 });
    expect(programOf(["sudo", "-u", "app", "-E", "bundle", "install"])).toEqual({ name: "bundle", index: 4 });
    expect(programOf(["chroot", "/srv", "git", "pull"])).toEqual({ name: "git", index: 2 });
    expect(programOf(["env", "-u", "HOME", "A=1", "go", "build"])).toEqual({ name: "go", index: 4 });
    expect(programOf(["sudo", "apt-get", "update"])).toEqual({ name: "apt-get", index: 1 });
  });
});
