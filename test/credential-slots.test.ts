/**
 * Credentials by where they go (src/knowledge/credential-slots.ts), RuleTester style: for each
 * point a table of files that must stay silent (valid) and files with the finding they must get
 * (invalid: rule, status, and for a literal the exact text its range covers). Every invalid file
 * also passes the pre-check, and no output format shows a literal credential.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { MASK } from "../src/emit/redact.js";
import { runPipeline } from "../src/pipeline.js";
import { mayHaveFindings } from "../src/analyse/precheck.js";
import { CREDENTIAL_SLOTS } from "../src/knowledge/credential-slots.js";
import { OUTPUT_RUNS } from "./hostile/harness.js";

interface Invalid {
  code: string;
  rule: "hardcoded-secret" | "secret-arg-env";
  status: "manual" | "needs-review" | "fixed";
  /** The text the finding's range covers (a literal: exactly the credential). */
  range?: string;
  /** The literal that no output may show. */
  secret?: string;
}

const F = "FROM alpine\n";

/** The text a finding's range covers. */
function rangeText(text: string, f: { line: number; column: number; endLine: number; endColumn: number }): string {
  const lines = text.split("\n");
  if (f.line === f.endLine) return lines[f.line - 1].slice(f.column - 1, f.endColumn - 1);
  return [lines[f.line - 1].slice(f.column - 1), ...lines.slice(f.line, f.endLine - 1), lines[f.endLine - 1].slice(0, f.endColumn - 1)].join("\n");
}

function ruleTester(name: string, cases: { valid: string[]; invalid: Invalid[] }, rule: Invalid["rule"]): void {
  describe(name, () => {
    it.each(cases.valid)("valid: %j", (code) => {
      const r = runPipeline(code);
      expect(r.findings.filter((f) => f.rule === rule).map((f) => f.message)).toEqual([]);
    });
    it.each(cases.invalid)("invalid: $code", (c) => {
      const r = runPipeline(c.code);
      const found = r.findings.filter((f) => f.rule === c.rule);
      expect(found.map((f) => f.status), r.findings.map((f) => f.message).join("\n")).toContain(c.status);
      if (c.range !== undefined) expect(found.map((f) => rangeText(c.code, f))).toContain(c.range);
      // The pre-check lets every such file through.
      expect(mayHaveFindings(c.code)).toBe(true);
      if (c.secret) for (const f of r.findings) expect(f.message).not.toContain(c.secret);
    });
  });
}

// 1. Literals with `$`: hard-coded, not references.
const dollarLiterals = {
  valid: [
    // Derived from the secret $NPM_TOKEN, not a literal of its own.
    `${F}ENV NODE_AUTH_TOKEN=x-access-token:$NPM_TOKEN\nRUN npm ci\n`,
    `${F}ENV SSH_KEY=$HOME/.ssh/id_rsa\n`,
    `${F}ENV API_TOKEN=$A:$B\n`,
  ],
  invalid: [
    { code: `${F}ENV SECRET_KEY 9f$w!x7kq2Lz@p#\nRUN python manage.py collectstatic\n`, rule: "secret-arg-env", status: "needs-review", secret: "9f$w!x7kq2Lz@p#" },
    { code: `${F}ENV DB_PASSWORD=pa$$word\nCMD ["run"]\n`, rule: "secret-arg-env", status: "needs-review", secret: "pa$$word" },
    { code: `${F}ARG TOKEN=abc\${X}def\nRUN curl -H "x: $TOKEN" https://x\n`, rule: "secret-arg-env", status: "fixed", secret: "abc${X}def" },
  ] as Invalid[],
};

// 2. Secrets by use: a declared variable in a credential slot, whatever its name.
const byUse = {
  valid: [
    `${F}ARG PYPI=https://pypi.org/simple\nRUN pip install -i "$PYPI" -r requirements.txt\n`,
    `${F}ARG PIP_INDEX_URL=https://pypi.org/simple\nRUN pip install -r requirements.txt\n`,
    `${F}ENV PIP_INDEX_URL=\${pip_index_url:-https://pypi.org/simple/}\nRUN pip install x\n`,
    `${F}ARG NPM_REGISTRY\nENV NPM_REGISTRY \${NPM_REGISTRY:-https://registry.npmjs.org/}\nRUN npm config set registry $NPM_REGISTRY\n`,
    `${F}RUN curl -u admin:$PASS https://x\n`,
    `${F}ARG USER\nRUN git clone https://git@github.com/x/y.git\n`,
    `${F}ARG VERSION\nRUN pip install "x==$VERSION"\n`,
  ],
  invalid: [
    { code: `${F}ARG ARTIFACTORY_PYPI\nRUN pip install -i "$ARTIFACTORY_PYPI" -r requirements.txt\n`, rule: "secret-arg-env", status: "needs-review" },
    { code: `${F}ARG MIRROR_URL\nRUN python3 -m pip install --extra-index-url=\${MIRROR_URL} x\n`, rule: "secret-arg-env", status: "needs-review" },
    { code: `${F}ARG PIP_INDEX_URL\nRUN pip install -r requirements.txt\n`, rule: "secret-arg-env", status: "needs-review" },
    { code: `${F}ARG MIRROR\nENV UV_INDEX_URL=$MIRROR\nRUN uv pip install x\n`, rule: "secret-arg-env", status: "needs-review" },
    { code: `${F}ARG GH_USER\nRUN pip install git+https://\${GH_USER}@github.com/x/y.git\n`, rule: "secret-arg-env", status: "needs-review" },
    { code: `${F}ARG GIT_USER\nARG GIT_PAT\nRUN git clone https://$GIT_USER:$GIT_PAT@github.com/x/y.git\n`, rule: "secret-arg-env", status: "manual" },
    { code: `${F}ARG REGISTRY_AUTH_HEADER\nRUN curl -H "Authorization: Bearer $REGISTRY_AUTH_HEADER" https://x\n`, rule: "secret-arg-env", status: "needs-review" },
    { code: `${F}ARG NPM_REGISTRY\nRUN npm install --registry "$NPM_REGISTRY"\n`, rule: "secret-arg-env", status: "needs-review" },
    { code: `${F}ARG REG\nRUN npm config set registry "$REG" && npm ci\n`, rule: "secret-arg-env", status: "manual" },
    { code: `${F}ARG MIRROR\nRUN pip config set global.index-url "$MIRROR" && pip install x\n`, rule: "secret-arg-env", status: "needs-review" },
    { code: `${F}ARG PRIVATE_PYPI\nRUN poetry source add private "$PRIVATE_PYPI" && poetry install\n`, rule: "secret-arg-env", status: "needs-review" },
    { code: `${F}ARG NEXUS\nRUN mvn -DrepoUrl=$NEXUS package\n`, rule: "secret-arg-env", status: "needs-review" },
    { code: `${F}ARG NEXUS\nRUN gradle -PmavenRepoUrl=$NEXUS build\n`, rule: "secret-arg-env", status: "needs-review" },
    { code: `${F}ARG GH_PAT\nRUN echo "$GH_PAT" | gh auth login --with-token\n`, rule: "secret-arg-env", status: "manual" },
  ] as Invalid[],
};

// 3. Literal credentials in slots: hardcoded-secret at the literal's exact range.
const literal = (code: string, range: string): Invalid => ({ code: `${F}${code}\n`, rule: "hardcoded-secret", status: "manual", range, secret: range });
const slotLiterals = {
  valid: [
    `${F}RUN mysql -uroot -p db < dump.sql\n`,
    `${F}RUN docker login -u ci -p "<password>" registry.example.com\n`,
    `${F}RUN docker login -u ci --password-stdin registry.example.com < /run/secrets/pw\n`,
    `${F}RUN curl -u admin https://x\n`,
    `${F}RUN curl -H "Content-Type: application/json" https://x\n`,
    `${F}RUN mkdir -p /app && pip install -i https://pypi.org/simple x\n`,
    `${F}RUN npm config set registry https://registry.npmjs.org/\n`,
    `${F}RUN htpasswd -c /etc/.htpasswd admin\n`,
    `${F}RUN echo "machine h login u" > ~/.netrc\n`,
    `${F}RUN echo "tzdata tzdata/Areas select Europe" | debconf-set-selections\n`,
  ],
  invalid: [
    literal("RUN aws configure set aws_secret_access_key hunter2Secret", "hunter2Secret"),
    literal('RUN npm config set "//npm.fontawesome.com/:_authToken" 9E95255B-E59E-40A5', "9E95255B-E59E-40A5"),
    literal("RUN npm config set //npm.example.com/:_authToken=Tk3nValue && npm ci", "Tk3nValue"),
    literal("RUN yarn config set npmAuthToken Yrn7Token", "Yrn7Token"),
    literal("RUN docker login -u ci -p hunter2 registry.example.com", "hunter2"),
    literal("RUN podman login -u ci --password=Pdm4npw r.example.com", "Pdm4npw"),
    literal("RUN helm registry login -u ci -p H3lmPw r.example.com", "H3lmPw"),
    literal("RUN buildah login -u ci -pB1dahPw r.example.com", "B1dahPw"),
    literal("RUN mysql -uroot -pMy5qlPw db < dump.sql", "My5qlPw"),
    literal("RUN mysqladmin -uroot --password=My5qlAdm create db", "My5qlAdm"),
    literal("RUN curl -u admin:Cu7lPw https://x", "Cu7lPw"),
    literal('RUN curl -H "Authorization: Bearer abc123def" https://x', "abc123def"),
    literal("RUN curl --header 'PRIVATE-TOKEN: Gl4bTok' https://x", "Gl4bTok"),
    literal("RUN htpasswd -bc /etc/nginx/.htpasswd admin Htp4ssw", "Htp4ssw"),
    literal('RUN echo "machine gitlab.com login u password N3trcPw" > ~/.netrc', "N3trcPw"),
    literal('RUN echo -e "machine h\\nlogin u\\npassword N3trcPw2\\n" > /root/.netrc', "N3trcPw2"),
    literal('RUN echo "//registry.npmjs.org/:_authToken=Npmrc9Tok" > .npmrc', "Npmrc9Tok"),
    literal('RUN echo "St4dinPw" | docker login -u ci --password-stdin r', "St4dinPw"),
    literal("RUN composer config -g github-oauth.github.com C0mposerTok", "C0mposerTok"),
    literal("RUN cargo login Carg0Tok", "Carg0Tok"),
    literal("RUN vault login Va4ltTok", "Va4ltTok"),
    literal("RUN sshpass -p Ssh9Pass ssh u@h", "Ssh9Pass"),
    literal("RUN poetry config http-basic.private ci P0etryPw", "P0etryPw"),
    literal("RUN dotnet nuget add source https://n.example.org/v3/index.json -n feed -u ci -p Nu9etPw --store-password-in-clear-text", "Nu9etPw"),
    literal("RUN huggingface-cli login --token Hf4ceTok", "Hf4ceTok"),
    literal("RUN helm repo add charts https://charts.example.org --username ci --password H3lmRepoPw", "H3lmRepoPw"),
    literal("RUN az login --service-principal -u app -p Az9rePw --tenant t", "Az9rePw"),
    literal("RUN conan remote login artifactory ci -p C0nanPw", "C0nanPw"),
    literal("RUN kubectl config set-credentials ci --token=Kub3Tok", "Kub3Tok"),
    literal("RUN npm set //r.example.org/:_authToken Npm5etTok", "Npm5etTok"),
    literal("RUN mongosh --host db -u admin -p M0ngoPw", "M0ngoPw"),
    literal("RUN redis-cli -a R3disPw ping", "R3disPw"),
    literal("RUN wget --password=Wg3tPw https://x/f", "Wg3tPw"),
    literal('RUN echo "mysql-server mysql-server/root_password password Db4confPw" | debconf-set-selections', "Db4confPw"),
  ],
};

ruleTester("literals with $ are hard-coded", dollarLiterals, "secret-arg-env");
ruleTester("secrets by use", byUse, "secret-arg-env");
ruleTester("literal credentials in slots", slotLiterals, "hardcoded-secret");

describe("an ONBUILD ENV set from this build's ARG", () => {
  it("carries nothing (the child build never sees the ARG): it stays, and only the ARG is the secret", () => {
    const code = `FROM python:3\nARG PIP_INDEX_URL\nONBUILD ENV PIP_INDEX_URL=$PIP_INDEX_URL\nRUN pip install x\n`;
    const r = runPipeline(code);
    expect(r.findings.map((f) => `${f.rule}@${f.line}:${f.status}`)).toEqual(["secret-arg-env@2:needs-review"]);
    expect(r.output).toContain("ONBUILD ENV PIP_INDEX_URL=$PIP_INDEX_URL\n");
    expect(r.output).toContain("RUN --mount=type=secret,id=pip_index_url,env=PIP_INDEX_URL pip install x\n");
  });
});

describe("the slot table", () => {
  it("has a case for every row: each row's description is in a finding of the tables above", () => {
    const messages = [...byUse.invalid, ...slotLiterals.invalid].flatMap((c) => runPipeline(c.code).findings.map((f) => f.message)).join("\n");
    const missing = CREDENTIAL_SLOTS.filter((s) => !messages.includes(s.what)).map((s) => s.id);
    expect(missing).toEqual([]);
  });

  it("has one row per id, each with a description and a hint", () => {
    const ids = CREDENTIAL_SLOTS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of CREDENTIAL_SLOTS) {
      expect(s.what.length, s.id).toBeGreaterThan(0);
      expect(s.hints.length, s.id).toBeGreaterThan(0);
      for (const h of s.hints) expect(h, s.id).toBe(h.toLowerCase());
    }
  });
});

// Every output format (text, diff, JSON, SARIF, check, --report), in this process.
async function runMain(args: string[], cwd: string): Promise<string> {
  let out = "";
  const sink = { write: (s: string) => (out += s), isTTY: false };
  await main(args, { stdout: sink, stderr: sink, cwd, env: {} });
  return out;
}

describe("no output shows a literal credential", () => {
  const cases = [...dollarLiterals.invalid, ...slotLiterals.invalid].filter((c) => c.secret);
  it.each(cases)("$secret", async (c) => {
    const dir = mkdtempSync(join(tmpdir(), "unbake-slots-"));
    // The literal's RUN also gets a mount, so the diff prints its line.
    const code = c.rule === "hardcoded-secret" ? c.code.replace(F, `${F}ARG NPM_TOKEN\n`).replace(/\n$/, " && npm ci\n") : c.code;
    try {
      expect(runPipeline(code).changed).toBe(true);
      writeFileSync(join(dir, "Dockerfile"), code);
      let all = "";
      for (const variant of OUTPUT_RUNS) all += await runMain([...variant, "-j", "1", "."], dir);
      const report = join(dir, "report.md");
      all += await runMain(["--report", report, "-j", "1", "Dockerfile"], dir);
      all += readFileSync(report, "utf8");
      expect(all).toContain(MASK);
      expect(all).not.toContain(c.secret!);
      // The control: printed on request.
      expect(await runMain(["--show-secrets", "-j", "1", "Dockerfile"], dir)).toContain(c.secret!);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
