/**
 * `unbake rules` and `unbake explain <rule>`: every rule is listed and explained, and every
 * example is real — its "before" has a finding of the rule, and the "after" shown is exactly
 * what the pipeline makes of it.
 */
import { describe, expect, it } from "vitest";
import { explainRule, ruleExample, rulesTable } from "../src/emit/explain.js";
import { RULES } from "../src/analyse/rules.js";
import { analyze, fix } from "../src/index.js";
import type { RuleId } from "../src/types.js";

const ALL_IDS = Object.keys(RULES) as RuleId[];
/** Rules about a Dockerfile: their examples go through `fix`; build-arg-secret is about a build file (see below). */
const IDS = ALL_IDS.filter((id) => RULES[id].scope === undefined);

/** The Dockerfile blocks under "Before:" and "After …:" in an explanation. */
function examples(text: string): { before: string; after: string } {
  const before = /^Before:\n```dockerfile\n([\s\S]*?)^```$/m.exec(text);
  const after = /^After `unbake --write`(?: \(unchanged\))?:\n```dockerfile\n([\s\S]*?)^```$/m.exec(text);
  expect(before, "a Before block").not.toBeNull();
  expect(after, "an After block").not.toBeNull();
  return { before: before![1], after: after![1] };
}

describe("rulesTable", () => {
  const table = rulesTable();
  const lines = table.trimEnd().split("\n");

  it("has one line per rule, in RULES order: id, fix kind, description", () => {
    expect(lines).toHaveLength(ALL_IDS.length);
    ALL_IDS.forEach((id, i) => {
      const [, lineId, kind, description] = /^(\S+)\s+(\S+)\s+(.+)$/.exec(lines[i])!;
      expect(lineId).toBe(id);
      expect(kind).toBe(RULES[id].fix);
      expect(description).toBe(RULES[id].description);
    });
  });

  it("aligns its columns", () => {
    const fixColumns = new Set(lines.map((l) => l.search(/\s(safe|unsafe|none)\s/) + 1));
    const descriptionColumns = new Set(ALL_IDS.map((id, i) => lines[i].indexOf(RULES[id].description)));
    expect(fixColumns.size).toBe(1);
    expect(descriptionColumns.size).toBe(1);
    expect(table.endsWith("\n")).toBe(true);
  });
});

describe("explainRule", () => {
  it.each(IDS)("%s: explains what it finds, why, the fix, and shows a real example", (id) => {
    const text = explainRule(id);
    expect(text).not.toBeNull();
    expect(text!.split("\n")[0]).toBe(`${id}: ${RULES[id].description}`);
    expect(text).toContain(`fix: ${RULES[id].fix}`);
    for (const heading of ["What it finds", "Why it matters", "What the fix does", "Example"]) {
      expect(text).toMatch(new RegExp(`^${heading}$`, "m"));
    }

    const { before, after } = examples(text!);
    expect(before).toBe(ruleExample(id));
    // The "before" shows the rule …
    expect(analyze(before).findings.map((f) => f.rule)).toContain(id);
    // … and the "after" is what the pipeline really produces, with the findings it really reports.
    const result = fix(before);
    expect(after).toBe(result.text);
    for (const f of result.findings) expect(text).toContain(`line ${f.line}  ${f.rule}  ${f.status}  ${f.message}`);
    // Idempotent, like the README promises: running it on the after changes nothing.
    expect(fix(after).text).toBe(after);
  });

  it("shows fixable rules' examples changed and the rule fixed, with the build command", () => {
    for (const id of IDS.filter((i) => RULES[i].fix !== "none")) {
      const result = fix(ruleExample(id)!);
      expect(result.changed).toBe(true);
      expect(result.findings.filter((f) => f.rule === id).every((f) => f.status !== "manual")).toBe(true);
      expect(explainRule(id)).toMatch(/^Build with:\n {2}docker build --secret /m);
    }
  });

  it("shows rules without a fix still reported after the rewrite", () => {
    for (const id of IDS.filter((i) => RULES[i].fix === "none")) {
      const { after } = examples(explainRule(id)!);
      expect(analyze(after).findings.map((f) => f.rule)).toContain(id);
    }
  });

  it("names in the build command only the secrets the rewrite moved", () => {
    const text = explainRule("secret-used-outside-run")!;
    expect(text).toContain("docker build --secret id=npm_token,env=NPM_TOKEN .");
    expect(text).not.toContain("id=deploy_token");
  });

  it("lists the .dockerignore addition of a file secret", () => {
    expect(explainRule("secret-file-copy")).toContain("Added to .dockerignore: .npmrc");
  });

  it("returns null for an unknown rule", () => {
    for (const id of ["", "nope", "SECRET-ARG-ENV", "toString", "__proto__", "constructor"]) {
      expect(explainRule(id)).toBeNull();
      expect(ruleExample(id)).toBeUndefined();
    }
  });
});

describe("explainRule: build-arg-secret, the rule about build files", () => {
  it("shows a Dockerfile, a script that builds it, the finding at the argument, and the script the rewrite makes", () => {
    const text = explainRule("build-arg-secret")!;
    expect(text.split("\n")[0]).toBe(`build-arg-secret: ${RULES["build-arg-secret"].description}`);
    for (const heading of ["What it finds", "Why it matters", "What the fix does", "Example"]) expect(text).toMatch(new RegExp(`^${heading}$`, "m"));
    expect(text).toContain('docker build --build-arg NPM_TOKEN="$NPM_TOKEN" -t web:latest .\n');
    expect(text).toContain("  build.sh:3:14  build-arg-secret  fixed  build argument NPM_TOKEN passes a secret to Dockerfile;");
    expect(text).toContain("docker build --secret id=npm_token,env=NPM_TOKEN -t web:latest .\n");
    // The Dockerfile really has the secret the script passes.
    expect(analyze(ruleExample("build-arg-secret")!).findings.map((f) => f.rule)).toContain("secret-arg-env");
  });
});
