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
    ["token value", `FROM a\nLABEL x=ghp_${"a1B2c3D4e5F6".repeat(3)}\n`],
    ["URL password", "FROM a\nRUN git clone https://bob:hunter2pass@git.acme.io/r.git\n"],
    ["chpasswd", "FROM a\nRUN echo 'root:toor' | chpasswd\n"],
    ["JSON form, a path with a space", 'FROM a\nCOPY ["my creds/.npmrc", "/root/"]\n'],
    ["JSON form, a destination with a space", 'FROM a\nCOPY ["x", "/root/my dir/.npmrc"]\n'],
    ["JSON escapes", 'FROM a\nCOPY ["creds/.np\\u006drc", "/root/"]\n'],
    ["a JSON string across a continuation", 'FROM a\nCOPY ["my cr\\\neds/.npmrc", "/root/"]\n'],
    ["an escaped letter in shell form", "FROM a\nCOPY .np\\mrc /root/\n"],
    ["a backtick-escaped letter", "# escape=`\nFROM a\nCOPY .np`mrc /root/\n"],
    ["a quoted path with a space copied out of the context", 'FROM a\nCOPY . /src\nRUN cp "/src/my dir/.npmrc" /root/.npmrc && npm ci\n'],
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

/** COPY of a credential file spelled as the parser reads it but a blank split does not: JSON strings with blanks, escapes, continuations. */
const spelledCopyArb = fc
  .record({
    name: fc.constantFrom(".npmrc", "id_rsa", ".env.production", "my private key.pem", "settings.xml", ".pypirc", "credentials.json", "x.p12", ".ssh"),
    folders: fc.array(fc.constantFrom("my creds", "a,b", "x  y", "dir", "[b]", "ü ö", "'q'", "c\\d"), { maxLength: 3 }),
    form: fc.constantFrom("json", "json-unicode", "json-continued", "shell-escaped", "backtick-escaped"),
    asDestination: fc.boolean(),
    at: fc.nat(),
  })
  .map(({ name, folders, form, asDestination, at }) => {
    const path = [...folders, name].join("/");
    const cut = (s: string) => at % (s.length + 1);
    let directive = "";
    let args: string;
    if (form.startsWith("json")) {
      let quoted = JSON.stringify(path);
      if (form === "json-unicode") quoted = JSON.stringify(path).replace(/[a-z]/, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
      if (form === "json-continued") quoted = `${quoted.slice(0, 1 + cut(path))}\\\n${quoted.slice(1 + cut(path))}`;
      args = asDestination ? `["x", ${quoted}]` : `[${quoted}, "/root/"]`;
    } else {
      const escape = form === "shell-escaped" ? "\\" : "`";
      if (form === "backtick-escaped") directive = "# escape=`\n";
      const spelled = path.replace(/ /g, `${escape} `);
      const i = cut(spelled);
      const word = /[a-z]/.test(spelled[i] ?? "") ? `${spelled.slice(0, i)}${escape}${spelled.slice(i)}` : spelled;
      args = asDestination ? `x ${word}` : `${word} /root/`;
    }
    return `${directive}FROM a\nCOPY ${args}\nRUN npm ci && git clone x && cat /root/.pypirc\n`;
  });

/**
 * Credential slots (src/knowledge/credential-slots.ts), a literal or a declared variable in each,
 * in the spellings a RUN may use: quoted, joined to the option, after `sudo`, through `python -m`.
 */
const slotArb = fc
  .record({
    template: fc.constantFrom(
      "docker login -u ci -p V r.example.com",
      "podman login --password=V r",
      "helm registry login -u u -p V r",
      "echo V | docker login -u ci --password-stdin r",
      "mysql -uroot -pV db",
      "mysqldump --password=V db",
      "curl -u admin:V https://x",
      'curl -H "Authorization: Bearer V" https://x',
      "curl --header 'PRIVATE-TOKEN: V' https://x",
      "wget --http-password=V https://x",
      "htpasswd -bc /etc/.htpasswd admin V",
      'echo "machine h login u password V" > ~/.netrc',
      'printf "//r.example.com/:_authToken=V" > /root/.npmrc',
      "npm config set //r.example.com/:_authToken V",
      "yarn config set npmAuthToken V",
      "aws configure set aws_secret_access_key V",
      "composer config -g github-oauth.github.com V",
      "pip install -i V x",
      "python3 -m pip install --extra-index-url=V x",
      "npm install --registry V",
      "pip install git+https://V@github.com/x/y",
      "PIP_INDEX_URL=V pip install x",
      "vault login V",
      "sshpass -p V ssh u@h",
    ),
    value: fc.constantFrom("Lit3ralPw", "$MIRROR", "${MIRROR}", '"$MIRROR"', "'Qu0tedPw'", "<password>"),
    sudo: fc.boolean(),
    declared: fc.constantFrom("", "ARG MIRROR\n", "ARG MIRROR=https://pypi.org/simple\n", "ENV MIRROR=x\n"),
  })
  .map(({ template, value, sudo, declared }) => `FROM a\n${declared}RUN ${sudo ? "sudo " : ""}${template.replace("V", value)}\n`);

describe("on generated Dockerfiles", () => {
  /** Every generated file the full analysis finds something in passes the pre-check; most generated files are such. */
  function letsThroughEvery(arb: fc.Arbitrary<string>): void {
    const runs = Number(process.env.PROPERTY_RUNS ?? 500);
    let found = 0;
    fc.assert(
      fc.property(arb, (text) => {
        const full = runFullPipeline(text);
        if (full.findings.length === 0 && !full.changed) return;
        found++;
        expect(mayHaveFindings(text), text).toBe(true);
      }),
      { numRuns: runs },
    );
    // The generator really makes files with findings (most of them).
    expect(found).toBeGreaterThan(runs / 3);
  }

  it("lets through every credential slot the full analysis finds something in", () => letsThroughEvery(slotArb));

  it("lets through every COPY the full analysis reads a credential file in, however it is spelled", () => letsThroughEvery(spelledCopyArb));

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
