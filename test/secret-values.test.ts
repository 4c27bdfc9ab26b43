import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { findSecretValues, isHardcodedValue } from "../src/analyse/secret-values.js";
import { CORPUS, corpusFiles, describeCorpus } from "./helpers/corpus.js";

// Fake tokens are assembled at run time so that this file itself never contains a string of a
// real token's shape (secret scanners and push protection would flag the repository).
const j = (...parts: string[]): string => parts.join("");
const rep = (s: string, n: number): string => s.repeat(n);

const AWS_ID = j("AKIA", "Z3EXAMPLE7KEY2AB"); // 16 after the prefix
const AWS_STS = j("ASIA", "Q2W3E4R5T6Y7U8I9");
const AWS_SECRET = j("wJalrXUtnFEMI/K7MDENG/", "bPxRfiCY0123456789"); // 40
const GH_PAT = j("ghp_", rep("a1B2c3D4e5F6", 3)); // 36
const GH_OAUTH = j("gho_", rep("Zx9Yw8Vu7Ts6", 3));
const GH_SERVER = j("ghs_", rep("Q1w2E3r4T5y6", 3));
const GH_FINE = j("github_pat_", "11ABCDEFG0", "kQ7mW2xR9pLs", "_", rep("cD3eF4gH5i", 5), "Zy8wV7uT6"); // 22 _ 59
const GLPAT = j("glpat-", "xY7_zW6-vU5tS4rQ3pO2");
const SLACK_BOT = j("xoxb-", "123456789012-1234567890123-", "AbCdEfGhIjKlMnOpQrStUvWx");
const SLACK_HOOK_PATH = j("T0ABCDE12/", "B0FGHIJ34/", "aBcDeFgHiJkLmNoPqRsTuVwX");
const STRIPE = j("sk_", "live_", rep("4eC39HqLyjWDarjtT1zdp7dc", 1));
const STRIPE_RK = j("rk_", "live_", "51H8xYq2Lm9TzR4vBn7KcW3pJd6");
const NPM = j("npm_", rep("aB3dE6gH9j", 3), "K2mN5p");
const GOOGLE = j("AIza", "SyA1b2C3d4E5f6G7h8I9j0K-L_m2N3o4P5q"); // 35 after the prefix
const OPENAI = j("sk-", "aB1cD2eF3gH4iJ5kL6mN", "T3BlbkFJ", "7oP8qR9sT0uV1wX2yZ3a"); // 20 T3BlbkFJ 20
const OPENAI_PROJ = j("sk-proj-", rep("Ab1_Cd2-Ef3Gh4Ij5Kl6Mn7Op8Qr9", 2), "T3BlbkFJ", rep("St0Uv1Wx2Yz3-aB4cD5eF6gH7iJ8k", 2)); // 58 T3BlbkFJ 58
const ANTHROPIC = j("sk-ant-", "api03-", rep("Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9St0", 3), "Uv1", "AA"); // 93 then AA
const SENDGRID = j("SG.", "ngeVfQFYQlKU0ufo8x5d1A", ".", "TwL2iGABf9DHoTf-09kqeF8tAmbihYzrnopKc-1s5cr");
const PYPI = j("pypi-", "AgEIcHlwaS5vcmc", rep("CJDZjZDA5NmEtYjc4Yi00", 3));
const HF = j("hf_", "QwErTyUiOpAsDfGhJkLzXcVbNmPoIuYtRe"); // 34 letters
const DOCKERHUB = j("dckr_pat_", "Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qr9");
const SQUARE = j("sq0atp-", "812erere3wewew45678901");
const MAILCHIMP = j("f4f56af5a54a3eaeb3c3beb3cc2ccccc", "-us36");
const MWS = j("amzn.mws.", "643a5678-8f9f-1a2b-5c3b-e3ea43f3f4b4");
const PEM_RSA = j(
  "-----BEGIN RSA ",
  "PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq\nAbCdEf==\n-----END RSA ",
  "PRIVATE KEY-----",
);
const PEM_OPENSSH = j("-----BEGIN OPENSSH ", "PRIVATE KEY-----\\nb3BlbnNzaC1rZXk\\n-----END OPENSSH ", "PRIVATE KEY-----");
const PEM_PLAIN = j("-----BEGIN ", "PRIVATE KEY-----\nMIIEvQ\n-----END ", "PRIVATE KEY-----");
const PEM_ENC = j("-----BEGIN ENCRYPTED ", "PRIVATE KEY-----\nMIIE\n-----END ENCRYPTED ", "PRIVATE KEY-----");
const PEM_EC_HEADER_ONLY = j("-----BEGIN EC ", "PRIVATE KEY-----");
const PGP_PRIV = j("-----BEGIN PGP ", "PRIVATE KEY BLOCK-----\nlQOYBF\n-----END PGP ", "PRIVATE KEY BLOCK-----");

/** `text` contains `secret` exactly once; the match must cover exactly it. */
type Invalid = readonly [name: string, kind: string, text: string, secret: string];
const invalid: ReadonlyArray<Invalid> = [
  ["AWS key id (AKIA)", "aws-access-key-id", `ENV AWS_ACCESS_KEY_ID=${AWS_ID}`, AWS_ID],
  ["AWS key id (ASIA, STS)", "aws-access-key-id", `ARG K="${AWS_STS}"`, AWS_STS],
  ["AWS secret after aws configure set", "aws-secret-access-key", `RUN aws configure set aws_secret_access_key ${AWS_SECRET}`, AWS_SECRET],
  ["AWS secret in ini", "aws-secret-access-key", `aws_secret_access_key = ${AWS_SECRET}\n`, AWS_SECRET],
  ["AWS secret in ENV", "aws-secret-access-key", `ENV AWS_SECRET_ACCESS_KEY="${AWS_SECRET}"`, AWS_SECRET],
  ["GitHub ghp_", "github", `RUN git clone https://${GH_PAT}@github.com/o/r`, GH_PAT],
  ["GitHub gho_", "github", `ENV T=${GH_OAUTH}`, GH_OAUTH],
  ["GitHub ghs_", "github", `"${GH_SERVER}"`, GH_SERVER],
  ["GitHub github_pat_", "github", `ARG GH=${GH_FINE}`, GH_FINE],
  ["GitLab glpat-", "gitlab", `ENV GL=${GLPAT}`, GLPAT],
  ["Slack xoxb-", "slack-token", `ENV SLACK=${SLACK_BOT}`, SLACK_BOT],
  ["Slack webhook", "slack-webhook", `ARG HOOK=https://hooks.slack.com/services/${SLACK_HOOK_PATH}`, SLACK_HOOK_PATH],
  ["Stripe sk_live_", "stripe", `ENV STRIPE=${STRIPE}`, STRIPE],
  ["Stripe rk_live_", "stripe", `ENV STRIPE=${STRIPE_RK}`, STRIPE_RK],
  ["npm token", "npm", `RUN echo "//registry.npmjs.org/:_authToken=${NPM}" > .npmrc`, NPM],
  ["Google API key", "google-api-key", `ENV GOOGLE_API_KEY="${GOOGLE}"`, GOOGLE],
  ["OpenAI sk-", "openai", `ENV OPENAI_API_KEY=${OPENAI}`, OPENAI],
  ["OpenAI sk-proj-", "openai", `ENV OPENAI_API_KEY=${OPENAI_PROJ}`, OPENAI_PROJ],
  ["Anthropic sk-ant-", "anthropic", `ENV K=${ANTHROPIC}`, ANTHROPIC],
  ["SendGrid", "sendgrid", `ARG sg=${SENDGRID}`, SENDGRID],
  ["PyPI", "pypi-token", `ENV TWINE_PASSWORD=${PYPI}`, PYPI],
  ["Hugging Face", "huggingface", `ENV HF_TOKEN=${HF}`, HF],
  ["Docker Hub PAT", "docker", `RUN echo ${DOCKERHUB} | docker login -u me --password-stdin`, DOCKERHUB],
  ["Square (KICS fixture shape)", "square-token", `ARG token=${SQUARE}`, SQUARE],
  ["Mailchimp (KICS fixture shape)", "mailchimp-key", `ARG mc=${MAILCHIMP}`, MAILCHIMP],
  ["Amazon MWS (KICS fixture shape)", "amazon-mws-token", `ARG t=${MWS}`, MWS],
  ["PEM RSA block", "private-key", `RUN echo "${PEM_RSA}" > /k`, PEM_RSA],
  ["PEM OPENSSH block with \\n escapes", "private-key", `RUN printf '${PEM_OPENSSH}'`, PEM_OPENSSH],
  ["PEM PKCS#8 block", "private-key", PEM_PLAIN, PEM_PLAIN],
  ["PEM ENCRYPTED block", "private-key", PEM_ENC, PEM_ENC],
  ["PEM header without END", "private-key", `ENV K="${PEM_EC_HEADER_ONLY}`, PEM_EC_HEADER_ONLY],
  ["PGP private key block", "private-key", PGP_PRIV, PGP_PRIV],
  // credentials in URLs: the range is the password only
  ["URL password", "url-credentials", "ARG url=http://bob:sekret@example.invalid/x", "sekret"],
  ["pip extra index", "url-credentials", "RUN pip install --extra-index-url https://user:123@pypi.example/simple x", "123"],
  ["git insteadOf literal", "url-credentials", 'RUN git config url."https://me:Hunter2x@github.com/".insteadOf x', "Hunter2x"],
  ["token as password", "url-credentials", "https://oauth2:abcDEF123ghi@gitlab.example.com/r.git", "abcDEF123ghi"],
  ["empty user", "url-credentials", "https://:s3cr3t@host/", "s3cr3t"],
  ["variable user, literal password", "url-credentials", "https://$USER:s3cr3t@host/", "s3cr3t"],
  ["postgres DSN", "url-credentials", "ENV DATABASE_URL=postgres://app:pa55word@db:5432/app", "pa55word"],
  ["raw @ in password", "url-credentials", "ftp://u:p@ss@host/", "p@ss"],
  ["placeholder-looking literal is still literal", "url-credentials", "https://u:changeme@host", "changeme"],
  ["mongodb+srv scheme", "url-credentials", "mongodb+srv://root:Zx81kq@cluster0.example.net/db", "Zx81kq"],
  // secrets in query strings
  ["?key= (shell-escaped =)", "url-query-secret", "curl https://x.example/hook\\?key\\=NZuXmFm4nUoeHdvJdWeU9diNc\\&p\\=1", "NZuXmFm4nUoeHdvJdWeU9diNc"],
  ["&access_token=", "url-query-secret", "https://api.example/v1?a=1&access_token=Ab12Cd34Ef56Gh78Ij", "Ab12Cd34Ef56Gh78Ij"],
];

/** Near misses: must produce no match at all. */
const valid: ReadonlyArray<readonly [name: string, text: string]> = [
  ["AWS id too short", j("AKIA", "Z3EXAMPLE7KEY2A")],
  ["AWS id too long", j("AKIA", "Z3EXAMPLE7KEY2ABC")],
  ["AWS id lower case", j("AKIA", "z3example7key2ab")],
  ["AWS id inside an identifier", j("XAKIA", "Z3EXAMPLE7KEY2AB")],
  ["AWS secret without its name", `ENV X=${AWS_SECRET}`],
  ["AWS secret from a variable", "aws configure set aws_secret_access_key $AWS_SECRET_ACCESS_KEY"],
  ["GitHub ghp_ too short", j("ghp_", rep("a1B2", 8))],
  ["GitHub prefix inside a word", j("xghp_", rep("a1B2c3D4e5F6", 3))],
  ["GitHub unknown prefix", j("ghx_", rep("a1B2c3D4e5F6", 3))],
  ["github_pat_ too short", j("github_pat_", "11ABCDEFG0ab")],
  ["glpat- too short", j("glpat-", "xY7zW6vU5")],
  ["glpat- in a longer word", j("myglpat-", "xY7_zW6-vU5tS4rQ3pO2")],
  ["Slack placeholder without digits", j("xoxb-", "your-slack-bot-token-here")],
  ["Slack too short", j("xoxb-", "12345")],
  ["Slack unknown letter", j("xoxz-", "123456789012-abc")],
  ["Stripe publishable key", j("pk_", "live_", "4eC39HqLyjWDarjtT1zdp7dc")],
  ["Stripe too short", j("sk_", "live_", "4eC39Hq")],
  ["npm_config variable", "ENV npm_config_loglevel=warn npm_config_unsafe_perm=true"],
  ["npm token too short", j("npm_", "aB3dE6gH9j")],
  ["Google key too short", j("AIza", "SyA1b2C3d4")],
  ["Google key in a longer word", j("XAIza", "SyA1b2C3d4E5f6G7h8I9j0K-L_m2N3o4P5q")],
  ["sk-learn", "RUN pip install scikit-learn sk-learn"],
  ["sk- lower-case words", "ENV X=sk-some-very-long-hyphenated-package-name"],
  ["sk- inside a word", j("task-", "aB1cD2eF3gH4iJ5kL6mN7oP8")],
  ["SendGrid wrong lengths", j("SG.", "abc", ".", "def")],
  ["hf_ lower-case words", "ENV HF_TRANSFER_VERSION=1 hf_hub_download hf_xet_high_performance"],
  ["mailchimp without -us", "f4f56af5a54a3eaeb3c3beb3cc2ccccc"],
  ["PEM public key", j("-----BEGIN PUBLIC ", "KEY-----\nMIIB\n-----END PUBLIC KEY-----")],
  ["PEM certificate", "-----BEGIN CERTIFICATE-----\nMIID\n-----END CERTIFICATE-----"],
  ["PGP public key", "-----BEGIN PGP PUBLIC KEY BLOCK-----"],
  // URLs without a literal password
  ["URL with $VAR", "https://${GIT_USER}:${GIT_TOKEN}@github.com"],
  ["URL with $X", "https://gitlab-ci-token:$GIT_CI_PASS@gitlab.com/x.git"],
  ["URL with $(…)", "https://u:$(cat /run/secrets/t)@host"],
  ["URL with %s", "https://u:%s@host"],
  ["URL with %(password)s", "https://u:%(password)s@host"],
  ["URL with ***", "https://u:***@host"],
  ["URL with <password>", "https://u:<password>@host"],
  ["URL with {password}", "https://u:{password}@host"],
  ["URL with {{ .Password }}", "https://u:{{ .Password }}@host"],
  ["URL with empty password", "https://u:@host"],
  ["URL x-oauth-basic (token is the user, a variable)", "https://$GITHUB_OAUTH_TOKEN:x-oauth-basic@github.com"],
  ["URL user only", "https://user@host/path"],
  ["URL port", "http://localhost:8080/path@x"],
  ["ssh git remote", "git@github.com:org/repo.git"],
  ["URL with partial variable", "https://u:pre${X}@host"],
  ["query key too short", "https://maps.example/api?key=abc"],
  ["query key from a variable", "https://x.example/?token=$TOKEN"],
  ["query key without digits", "https://x.example/?key=onlylettersinthisvalue"],
  ["plain Dockerfile", "FROM node:20\nRUN npm ci\nENV NODE_ENV=production\n"],
  ["empty", ""],
];

describe("findSecretValues", () => {
  it.each(invalid)("finds %s", (_name, kind, text, secret) => {
    const found = findSecretValues(text);
    expect(found).toHaveLength(1);
    const m = found[0]!;
    expect(m.kind).toBe(kind);
    expect(m.label.length).toBeGreaterThan(0);
    expect(text.slice(m.start, m.end)).toBe(secret);
    expect(m.start).toBe(text.indexOf(secret));
  });

  it.each(valid)("ignores %s", (_name, text) => {
    expect(findSecretValues(text)).toEqual([]);
  });

  it("finds several values in one text, in order", () => {
    const text = `ARG A=${AWS_ID}\nRUN git clone https://u:pw1x@h/r && echo ${GH_PAT}\n`;
    const found = findSecretValues(text).map((m) => [m.kind, text.slice(m.start, m.end)]);
    expect(found).toEqual([
      ["aws-access-key-id", AWS_ID],
      ["url-credentials", "pw1x"],
      ["github", GH_PAT],
    ]);
  });

  it("reports a token used as a URL password once", () => {
    const text = `https://x-access-token:${GH_PAT}@github.com/o/r`;
    const found = findSecretValues(text);
    expect(found).toHaveLength(1);
    expect(text.slice(found[0]!.start, found[0]!.end)).toBe(GH_PAT);
  });

  it("gives the same answer on repeated calls (no regex state leaks)", () => {
    const text = `${AWS_ID} ${AWS_ID}`;
    expect(findSecretValues(text)).toHaveLength(2);
    expect(findSecretValues(text)).toHaveLength(2);
  });

  it("stays linear on adversarial input", () => {
    const inputs = [
      "https://" + "a".repeat(200_000),
      "https://u:" + "p".repeat(200_000),
      "sk-" + "a-".repeat(100_000),
      "-----BEGIN RSA PRIVATE KEY-----".repeat(5_000),
      "xoxb-" + "-".repeat(200_000),
      "?key=" + "A1".repeat(100_000),
      "0123456789abcdef".repeat(20_000),
      "ab://".repeat(50_000),
      "a://b:".repeat(40_000),
      "a://b:c".repeat(30_000) + "@",
    ];
    const t0 = performance.now();
    for (const s of inputs) findSecretValues(s);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });
});

describe("isHardcodedValue", () => {
  const hardcoded: ReadonlyArray<readonly [value: string, why: string]> = [
    ["s3cr3t", "literal"],
    ['"s3cr3t"', "quoted literal"],
    ["'s3cr3t'", "single-quoted literal"],
    [AWS_ID, "token"],
    ["changeme", "placeholder: still reported"],
    ["xxx", "placeholder: still reported"],
    ["<token>", "placeholder: still reported"],
    ["your-api-key-here", "placeholder: still reported"],
    ["${TOKEN:-abc123}", "literal default"],
    ["${TOKEN-abc123}", "literal default"],
    ["${TOKEN:+abc123}", "literal alternative"],
    ["pre${TOKEN}", "literal prefix"],
    ["\\$ecret", "escaped dollar is literal"],
    ["Bearer $TOKEN", "literal word kept (conservative)"],
    ["pass word", "literal with a space"],
    ["2", "a digit other than 0/1"],
    ["relative/path/key", "not absolute"],
    ["/Ab+Cd/Ef==", "base64 with / is not a path"],
  ];
  const notHardcoded: ReadonlyArray<readonly [value: string, why: string]> = [
    ["", "empty"],
    ["   ", "whitespace"],
    ['""', "empty quotes"],
    ["$TOKEN", "reference"],
    ["${TOKEN}", "braced reference"],
    ['"${TOKEN}"', "quoted reference"],
    ["${TOKEN:-}", "empty default"],
    ["${TOKEN:-$OTHER}", "reference default"],
    ["${TOKEN:-${OTHER:-}}", "nested reference default"],
    ["${TOKEN:?must be set}", "error message is never the value"],
    ["$(cat /run/secrets/t)", "command substitution is not a literal"],
    ["$USER:$PASS", "references joined by punctuation"],
    ["/run/secrets/npm_token", "absolute path"],
    ["/root/.ssh/id_rsa", "absolute path"],
    ["~/.npmrc", "home path"],
    ["${HOME}/.npmrc", "path under a variable"],
    ["$HOME/.aws/credentials", "path under a variable"],
    ["C:\\secrets\\key.txt", "Windows path"],
    ["true", "switch"],
    ["false", "switch"],
    ["yes", "switch"],
    ["0", "switch"],
    ["1", "switch"],
  ];
  it.each(hardcoded)("%j is hard-coded (%s)", (value) => {
    expect(isHardcodedValue(value)).toBe(true);
  });
  it.each(notHardcoded)("%j is not hard-coded (%s)", (value) => {
    expect(isHardcodedValue(value)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Corpus: every file's full text, matches compared with a reviewed list (file, kind, length;
// the matched text itself is not copied here).


function scan(dir: string): { files: number; found: string[] } {
  const files = corpusFiles(dir);
  const found: string[] = [];
  for (const f of files) {
    for (const m of findSecretValues(readFileSync(f, "utf8"))) {
      found.push(`${relative(dir, f)} ${m.kind} ${m.end - m.start}`);
    }
  }
  return { files: files.length, found: found.sort() };
}

type Reviewed = ReadonlyArray<readonly [found: string, reason: string]>;

/** Reviewed: every value found in bench/ (file, kind, length), with a one-word reason. */
const BENCH_FOUND: Reviewed = [
  // `echo 'export GOOGLE_API_KEY="AIza…"'` into chromium's defaults: a real key shape, true positive
  ["jessfraz__dockerfiles/chromium/Dockerfile google-api-key 39", "embedded"],
];

/** Reviewed: every value found in secrets/ (fake values of real shapes). */
const SECRETS_FOUND: Reviewed = [
  ["Checkmarx__kics__assets__queries__common__passwords_and_secrets__test__positive11.dockerfile slack-webhook 44", "webhook"],
  ["Checkmarx__kics__assets__queries__common__passwords_and_secrets__test__positive11.dockerfile teams-webhook 159", "webhook"],
  ["Checkmarx__kics__assets__queries__common__passwords_and_secrets__test__positive11.dockerfile url-credentials 6", "url"],
  ["Checkmarx__kics__assets__queries__common__passwords_and_secrets__test__positive25.dockerfile amazon-mws-token 45", "mws"],
  ["Checkmarx__kics__assets__queries__common__passwords_and_secrets__test__positive25.dockerfile mailchimp-key 37", "mailchimp"],
  ["Checkmarx__kics__assets__queries__common__passwords_and_secrets__test__positive25.dockerfile sendgrid 69", "sendgrid"],
  ["Checkmarx__kics__assets__queries__common__passwords_and_secrets__test__positive25.dockerfile square-token 29", "square"],
  ["Checkmarx__kics__assets__queries__common__passwords_and_secrets__test__positive25.dockerfile stripe 40", "stripe"],
  ["bridgecrewio__checkov__tests__secrets__resources__file_type__Dockerfile aws-access-key-id 20", "aws"],
  ["bridgecrewio__checkov__tests__secrets__resources__file_type__Dockerfile.simple aws-access-key-id 20", "aws"],
  // two commented-out `curl …/v1-webhooks/endpoint\\?key\\=…` lines
  ["yinyuanzhang__dockerfiles__data__f__fredliang__panel__Dockerfile url-query-secret 40", "webhook"],
  ["yinyuanzhang__dockerfiles__data__f__fredliang__panel__Dockerfile url-query-secret 40", "webhook"],
  ["yinyuanzhang__dockerfiles__data__p__puyuantech__surfing__Dockerfile url-credentials 14", "pip"],
  ["yinyuanzhang__dockerfiles__data__p__puyuantech__surfing__Dockerfile url-credentials 344", "license"],
  ["yinyuanzhang__dockerfiles__data__t__tonsquemike__keras-python3.6__Dockerfile url-credentials 3", "pip"],
];

describeCorpus("corpus: hard-coded values", () => {
  it("bench/: finds exactly the reviewed values", () => {
    const { files, found } = scan(join(CORPUS, "bench"));
    expect(files).toBeGreaterThan(3600); // the walk really saw the corpus
    expect(found).toEqual(BENCH_FOUND.map(([f]) => f).sort());
  });

  it("secrets/: finds exactly the reviewed fake values", () => {
    const { files, found } = scan(join(CORPUS, "secrets"));
    expect(files).toBeGreaterThan(100);
    expect(found).toEqual(SECRETS_FOUND.map(([f]) => f).sort());
  });
});
