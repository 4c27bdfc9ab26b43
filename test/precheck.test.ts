/**
 * The pre-check may skip a file only when the full analysis would find nothing in it. Checked
 * on the classifier's vocabulary, every corpus file, every fixture and hand-made near misses.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mayHaveFindings } from "../src/analyse/precheck.js";
import { SECRET_NAME_FRAGMENTS, SECRET_NAME_VOCABULARY } from "../src/analyse/secret-names.js";
import { runFullPipeline } from "../src/pipeline.js";
import fc from "fast-check";
import { dockerfileArb } from "./properties/generate.js";
import { CORPUS, corpusFiles, describeCorpus } from "./helpers/corpus.js";

const ROOT = join(import.meta.dirname, "..");


const hasFragment = (s: string) => SECRET_NAME_FRAGMENTS.some((f) => s.toLowerCase().includes(f));

describe("SECRET_NAME_FRAGMENTS covers the name classifier's vocabulary", () => {
  it.each([...SECRET_NAME_VOCABULARY.wellKnown, ...SECRET_NAME_VOCABULARY.words])("%s", (word) => {
    expect(hasFragment(word)).toBe(true);
  });
  it("covers every alternative of the compound patterns", () => {
    const [suffix, compound] = SECRET_NAME_VOCABULARY.patterns;
    const alternatives = suffix.replace(/^\(\?:|\)\$$/g, "").split("|");
    expect(alternatives.length).toBeGreaterThan(5);
    for (const a of alternatives) expect(hasFragment(a.replace(/\?/g, "")), a).toBe(true);
    expect(compound.endsWith("pass$")).toBe(true);
  });
});

function agreement(files: string[]) {
  let skipped = 0;
  const wrong: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    if (mayHaveFindings(text)) continue;
    skipped++;
    const full = runFullPipeline(text);
    if (full.changed || full.findings.length > 0) wrong.push(file);
  }
  return { skipped, wrong };
}

describeCorpus("on the corpus", () => {
  it("skips most bench files, and only files the full analysis finds nothing in", () => {
    const files = corpusFiles(join(CORPUS, "bench"));
    const { skipped, wrong } = agreement(files);
    expect(wrong).toEqual([]);
    console.log(`pre-check: ${skipped} of ${files.length} bench files need no parse`);
    expect(skipped).toBeGreaterThan(files.length / 2);
  });
  it("skips no secrets/ file that has a finding", () => {
    expect(agreement(corpusFiles(join(CORPUS, "secrets"))).wrong).toEqual([]);
  });
});

describe("on the fixtures and near misses", () => {
  it("never skips a fixture with findings", () => {
    const inputs = readdirSync(join(ROOT, "__fixtures__")).map((d) => join(ROOT, "__fixtures__", d, "input.Dockerfile")).filter(existsSync);
    expect(inputs.length).toBeGreaterThan(40);
    expect(agreement(inputs).wrong).toEqual([]);
  });

  it.each([
    ["secret ARG", "FROM a\nARG NPM_TOKEN\n"],
    ["camelCase name", "FROM a\nENV apiKey=x\n"],
    ["compound pass", "FROM a\nENV LDAP_ROOTPASS=x\n"],
    ["credential file in JSON COPY", 'FROM a\nCOPY ["a", ".npmrc", "/x/"]\n'],
    ["credential file on a continuation line", "FROM a\nCOPY a \\\n  # note\n  id_rsa /root/.ssh/\n"],
    ["backtick continuation", "# escape=`\nFROM a\nCOPY a `\n  .pypirc /root/\n"],
    ["ONBUILD ADD", "FROM a\nonbuild add .netrc /root/\n"],
    ["token value", `FROM a\nLABEL x=ghp_${"A1".repeat(18)}\n`],
    ["URL password", "FROM a\nRUN git clone https://bob:hunter2pass@example.com/r.git\n"],
    ["chpasswd", "FROM a\nRUN echo 'root:toor' | chpasswd\n"],
  ])("lets through: %s", (_name, text) => {
    expect(mayHaveFindings(text)).toBe(true);
    expect(runFullPipeline(text).findings.length).toBeGreaterThan(0);
  });

  it.each([
    ["GPG_KEY", "FROM a\nENV GPG_KEY=ABCDEF0123456789\nRUN echo \"$GPG_KEY\"\n"],
    ["public key and files", "FROM a\nARG PUBLIC_KEY\nENV KEY_FILE=/k TOKENIZERS_PARALLELISM=false\nCOPY ca.pem /etc/ssl/\n"],
    ["nothing at all", "FROM a\nRUN make\n"],
  ])("skips: %s", (_name, text) => {
    expect(mayHaveFindings(text)).toBe(false);
    expect(runFullPipeline(text).findings).toEqual([]);
  });
});

describe("on generated Dockerfiles", () => {
  it("never skips one the full analysis finds something in", () => {
    fc.assert(
      fc.property(dockerfileArb, (g) => {
        if (mayHaveFindings(g.text)) return;
        const full = runFullPipeline(g.text);
        expect(full.changed).toBe(false);
        expect(full.findings).toEqual([]);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 500) },
    );
  });
});
