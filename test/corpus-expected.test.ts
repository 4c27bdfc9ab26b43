/**
 * Reviewed expectations for ../shared/corpus/secrets: for each file, what the right result is
 * (findings as {rule, line, status}; the RUNs that get each mount in the default mount style),
 * written by reading the file against the rewrite contract, not by copying unbake's output
 * (test/corpus/secrets-expected/*.json, one object keyed by file name per file).
 *
 * unbake agrees with a file when it gives the same multiset of findings and the same set of
 * mounts. A file where it does not carries a "disagreement" saying why (a known limit, a
 * deliberate choice, or a bug to fix); a reason on a file that agrees is stale and fails.
 *
 * Conventions the expectations follow (from the fixtures in __fixtures__/):
 * - an ARG/ENV that carries a secret: secret-arg-env at its line; a hard-coded literal there is
 *   needs-review (moved to a mount, but it must be rotated and supplied);
 * - a literal credential inside a RUN: hardcoded-secret, manual (no rewrite can take it out);
 * - a RUN that stores the secret in a file with no file-free form: run-writes-secret, manual,
 *   and the carrier is manual too;
 * - placeholders (changeme, xxx, foo, ${VAR} templates, documented example values) are no secret.
 */
import { readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { expect, it } from "vitest";
import { RULES } from "../src/analyse/rules.js";
import { parseDockerfile } from "../src/parse/dockerfile.js";
import { runPipeline, type PipelineResult } from "../src/pipeline.js";
import { CORPUS, corpusFiles, describeCorpus } from "./helpers/corpus.js";

const EXPECTED = join(import.meta.dirname, "corpus", "secrets-expected");
const STATUSES = new Set(["fixed", "needs-review", "manual"]);

interface ExpectedFinding {
  rule: string;
  line: number;
  status: string;
}

interface ExpectedMount {
  run: number;
  type: "secret" | "ssh";
  env?: string;
  target?: string;
}

interface Expectation {
  secret: boolean;
  findings: ExpectedFinding[];
  mounts: ExpectedMount[];
  why: string;
  disagreement?: string;
}

/** Every expectation file's entries, each with the file it comes from (a name in two files is an error). */
function readExpectations(): { entries: Map<string, Expectation>; duplicates: string[] } {
  const entries = new Map<string, Expectation>();
  const duplicates: string[] = [];
  for (const name of readdirSync(EXPECTED).filter((n) => n.endsWith(".json")).sort()) {
    const data = JSON.parse(readFileSync(join(EXPECTED, name), "utf8")) as Record<string, Expectation>;
    for (const [file, e] of Object.entries(data)) {
      if (entries.has(file)) duplicates.push(`${file} (again in ${name})`);
      entries.set(file, e);
    }
  }
  return { entries, duplicates };
}

const findingKey = (f: ExpectedFinding) => `${f.rule}@${f.line}:${f.status}`;
// An ssh mount forwards the builder's agent: which RUN gets it is all there is to compare.
const mountKey = (m: ExpectedMount) =>
  m.type === "ssh" ? `${m.run}:ssh` : `${m.run}:secret:${m.env !== undefined ? `env=${m.env}` : `target=${m.target}`}`;

/** The options of one `--mount=` value (CSV; the values unbake writes have no quotes). */
function mountOptions(value: string): Map<string, string> {
  return new Map(value.split(",").map((kv) => {
    const i = kv.indexOf("=");
    return [kv.slice(0, i).toLowerCase(), kv.slice(i + 1)] as [string, string];
  }));
}

/**
 * The mounts the rewrite adds: each secret on the RUNs it is mounted on; a variable by its name
 * (env form), a file at the target the inserted `--mount` gives it on that RUN; and every
 * inserted `--mount=type=ssh` (the agent forward, which names no secret id).
 */
function actualMounts(text: string, result: PipelineResult): ExpectedMount[] {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const instructions = parseDockerfile(text).instructions;
  // A flag is inserted after ONBUILD RUN and its flags, maybe on a continuation line: it belongs
  // to the line where its instruction starts.
  const lineOf = (offset: number) => {
    const at = instructions.find((i) => i.outerStart <= offset && offset <= i.end);
    return at ? at.line + 1 : lineStarts.filter((s) => s <= offset).length;
  };
  const inserted = new Map<number, Map<string, string>[]>();
  for (const edit of result.edits) {
    for (const m of edit.text.matchAll(/--mount=(\S+)/g)) {
      const line = lineOf(edit.start);
      inserted.set(line, [...(inserted.get(line) ?? []), mountOptions(m[1])]);
    }
  }
  const mounts: ExpectedMount[] = [];
  for (const s of result.secrets) {
    for (const run of s.mountedOn) {
      const flag = inserted.get(run)?.find((o) => o.get("id") === s.id);
      // A key the RUN now gets through the agent is no secret mount there.
      if (!flag && inserted.get(run)?.some((o) => o.get("type") === "ssh")) continue;
      const env = flag?.get("env") ?? (flag ? undefined : s.source.type === "env" ? s.source.name : undefined);
      const target = flag?.get("target") ?? (flag && !env ? `/run/secrets/${s.id}` : s.target);
      mounts.push(env !== undefined ? { run, type: "secret", env } : { run, type: "secret", target });
    }
  }
  for (const [run, flags] of inserted) {
    if (flags.some((o) => o.get("type") === "ssh")) mounts.push({ run, type: "ssh" });
  }
  return mounts;
}

const sortedKeys = <T>(xs: T[], key: (x: T) => string) => xs.map(key).sort();
const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

describeCorpus("reviewed expectations for the secrets corpus", () => {
  const dir = join(CORPUS, "secrets");
  const files = corpusFiles(dir).map((f) => basename(f));
  const { entries, duplicates } = readExpectations();

  const rows = files.filter((f) => entries.has(f)).map((file) => {
    const text = readFileSync(join(dir, file), "utf8");
    const result = runPipeline(text);
    const e = entries.get(file)!;
    const got = {
      findings: sortedKeys(result.findings, (f) => findingKey(f)),
      mounts: [...new Set(sortedKeys(actualMounts(text, result), mountKey))],
    };
    const want = { findings: sortedKeys(e.findings, findingKey), mounts: [...new Set(sortedKeys(e.mounts, mountKey))] };
    const agrees = same(got.findings, want.findings) && same(got.mounts, want.mounts);
    return { file, e, got, want, agrees, found: result.findings.length > 0 };
  });

  it("has exactly one expectation for each of the 109 files", () => {
    expect(files.length).toBe(109);
    expect(duplicates).toEqual([]);
    expect(files.filter((f) => !entries.has(f))).toEqual([]);
    expect([...entries.keys()].filter((f) => !files.includes(f))).toEqual([]);
  });

  it("writes every expectation in the agreed shape", () => {
    const bad: string[] = [];
    for (const [file, e] of entries) {
      if (typeof e.secret !== "boolean") bad.push(`${file}: secret`);
      if (typeof e.why !== "string" || e.why.trim() === "") bad.push(`${file}: why`);
      if (e.disagreement !== undefined && (typeof e.disagreement !== "string" || e.disagreement.trim() === "")) bad.push(`${file}: disagreement`);
      for (const f of e.findings ?? [null as never]) {
        if (!f || !(f.rule in RULES) || !STATUSES.has(f.status) || !Number.isInteger(f.line) || f.line < 1) bad.push(`${file}: finding ${JSON.stringify(f)}`);
      }
      for (const m of e.mounts ?? [null as never]) {
        const one = (m?.env === undefined) !== (m?.target === undefined);
        if (!m || !Number.isInteger(m.run) || !["secret", "ssh"].includes(m.type) || (m.type === "secret" && !one)) bad.push(`${file}: mount ${JSON.stringify(m)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("prints the agreement table", () => {
    const agree = rows.filter((r) => r.agrees).length;
    const secret = rows.filter((r) => r.e.secret);
    const lines = [
      `agree ${agree} / disagree ${rows.length - agree} of ${rows.length} reviewed (${((100 * agree) / Math.max(rows.length, 1)).toFixed(1)}%)`,
      `recall ${secret.filter((r) => r.found).length} / ${secret.length} files with a secret have a finding`,
      ...rows.filter((r) => r.agrees).map((r) => `agree    ${r.file}`),
      ...rows.filter((r) => !r.agrees).map((r) => [
        `disagree ${r.file}`,
        `  expected findings ${r.want.findings.join(" ") || "-"} mounts ${r.want.mounts.join(" ") || "-"}`,
        `  unbake   findings ${r.got.findings.join(" ") || "-"} mounts ${r.got.mounts.join(" ") || "-"}`,
        `  reason   ${r.e.disagreement ?? "(none written)"}`,
      ].join("\n")),
    ];
    console.log(lines.join("\n"));
    expect(rows.length).toBeGreaterThan(0);
  });

  it("agrees on at least 95% of the files", () => {
    const agree = rows.filter((r) => r.agrees).length;
    expect(agree / files.length).toBeGreaterThanOrEqual(0.95);
  });

  it("gives every disagreement a reason, and no reason to a file that agrees", () => {
    expect(rows.filter((r) => !r.agrees && !r.e.disagreement).map((r) => r.file)).toEqual([]);
    expect(rows.filter((r) => r.agrees && r.e.disagreement).map((r) => `${r.file}: stale reason`)).toEqual([]);
  });

  it("finds something in at least 98% of the files that carry a secret", () => {
    const secret = rows.filter((r) => r.e.secret);
    const missed = secret.filter((r) => !r.found).map((r) => r.file);
    expect(secret.length).toBeGreaterThan(0);
    expect(missed.length / secret.length, `missed: ${missed.join(", ")}`).toBeLessThanOrEqual(0.02);
  });
});
