/**
 * Vendor token formats: the table generated from secretlint's rules is current, every row of it
 * and every vendor unbake promises finds a real-shaped fake at its exact range, look-alikes find
 * nothing, and crafted 1 MiB lines cost linear time.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findSecretValues, TOKEN_HINTS } from "../src/analyse/secret-values.js";
import { LEFT_OUT, PACKAGE_TOKEN_FORMATS } from "../src/knowledge/token-formats.generated.js";
import { canary, hostileTree, runCli } from "./hostile/harness.js";

const ROOT = join(import.meta.dirname, "..");

// Fakes are assembled at run time from a fixed pseudo-random stream, so that this file never
// holds a string of a real token's shape (secret scanners and push protection would flag it).
const j = (...parts: string[]): string => parts.join("");
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LETTERS = ALNUM.slice(0, 52);
const HEX = "0123456789abcdef";
const B64 = `${ALNUM}+/`;
const B64URL = `${ALNUM}-_`;
const DIGITS = "0123456789";
let seed = 12345;
/** `n` characters of `alphabet`, deterministic from run to run. */
function rnd(n: number, alphabet = ALNUM): string {
  let out = "";
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    out += alphabet[(seed >> 8) % alphabet.length];
  }
  return out;
}

const PEM_BODY = j("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", rnd(60, B64));
const GCP_KEY = j("-----BEGIN ", "PRIVATE KEY-----\\n", PEM_BODY, "\\n-----END ", "PRIVATE KEY-----");
const RSA_KEY = j("-----BEGIN RSA ", "PRIVATE KEY-----\n", PEM_BODY, "\n-----END RSA ", "PRIVATE KEY-----");

interface Sample {
  readonly vendor: string;
  readonly kind: string;
  /** The secret alone. */
  readonly secret: string;
  /** The line it is written in (`%s` = the secret). */
  readonly line: string;
}
const s = (vendor: string, kind: string, secret: string, line = "ENV VALUE=%s"): Sample => ({ vendor, kind, secret, line });

/** One real-shaped fake per vendor. */
const SAMPLES: readonly Sample[] = [
  s("Anthropic", "anthropic", j("sk-ant-", "api03-", rnd(93, B64URL).replace(/^-/, "a"), "AA"), "ENV ANTHROPIC_API_KEY=%s"),
  s("OpenAI project key", "openai", j("sk-", "proj-", rnd(74, B64URL), "T3Blbk", "FJ", rnd(73, B64URL), "x")),
  s("OpenAI legacy key", "openai", j("sk-", rnd(20), "T3Blbk", "FJ", rnd(20))),
  s("Hugging Face", "huggingface", j("hf_", rnd(34, LETTERS)), "RUN huggingface-cli login --token %s"),
  s("Databricks", "databricks", j("dapi", rnd(32, HEX)), "ENV DATABRICKS_TOKEN=%s"),
  s("SendGrid (two - in the last part)", "sendgrid", j("SG.", rnd(22, B64URL), ".", rnd(12), "-", rnd(14), "-", rnd(15)), "ARG SENDGRID_API_KEY=%s"),
  s("Twilio API key", "twilio-api-key", j("SK", rnd(32, HEX)), "ENV TWILIO_API_KEY=%s"),
  s("Azure storage connection string", "azure-connection-string-key", j(rnd(86, B64), "=="),
    "ENV AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=%s;EndpointSuffix=core.windows.net"),
  s("Azure Service Bus connection string", "azure-connection-string-key", j(rnd(43, B64), "="),
    'ENV SB="Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=%s"'),
  s("Sentry user auth token", "sentry-token", j("sntryu_", rnd(64, HEX)), "ENV SENTRY_AUTH_TOKEN=%s"),
  s("Sentry organization token", "sentry-token", j("sntrys_", "eyJpYXQiOjE3", rnd(80, B64), "_", rnd(43, B64)), "RUN sentry-cli --auth-token %s releases new 1"),
  s("GitLab", "gitlab", j("glpat-", rnd(20, B64URL)), "RUN git clone https://oauth2:%s@gitlab.com/o/r.git"),
  s("Slack bot token", "slack-token", j("xoxb-", rnd(12, DIGITS), "-", rnd(13, DIGITS), "-", rnd(24))),
  s("Slack webhook", "slack-webhook", j("T0", rnd(8), "/B0", rnd(8), "/", rnd(24)), "ENV HOOK=https://hooks.slack.com/services/%s"),
  s("Stripe", "stripe", j("sk_", "live_", rnd(99)), "ENV STRIPE_SECRET_KEY=%s"),
  s("Shopify", "shopify", j("shp", "at_", rnd(32, HEX)), "ENV SHOPIFY_ACCESS_TOKEN=%s"),
  s("npm", "npm", j("npm_", rnd(36)), 'RUN echo "//registry.npmjs.org/:_authToken=%s" > ~/.npmrc'),
  s("PyPI", "pypi-token", j("pypi-", "AgEIcHlwaS5vcmc", rnd(120, B64URL)), "ENV TWINE_PASSWORD=%s"),
  s("Docker Hub PAT", "docker", j("dckr_", "pat_", rnd(27, B64URL).replace(/^[-_]/, "a")), "RUN echo %s | docker login -u me --password-stdin"),
  s("GCP service-account JSON private key", "private-key", GCP_KEY,
    `COPY <<EOF /sa.json\n{"type": "service_account", "private_key_id": "${rnd(40, HEX)}", "private_key": "%s\\n", "client_email": "x@p.iam.gserviceaccount.com"}\nEOF`),
  s("PEM private key block", "private-key", RSA_KEY, "RUN printf '%s' > /root/.ssh/id_rsa"),
  s("GitHub classic token", "github", j("gh", "p_", rnd(36))),
  s("GitHub fine-grained token", "github", j("github_", "pat_", rnd(22), "_", rnd(59))),
  s("GitHub token of a future length", "github", j("gh", "p_", rnd(37)), "COPY %s/credentials /root/.aws/credentials"),
  s("Grafana cloud token", "grafana", j("glc_", rnd(60, B64), "==")),
  s("Grafana service account token", "grafana", j("glsa_", rnd(32), "_", rnd(8, HEX))),
  s("Groq", "groq", j("gsk_", rnd(52))),
  s("Linear", "linear", j("lin_", "api_", rnd(40))),
  s("Notion", "notion", j("ntn_", rnd(11, DIGITS), rnd(35))),
  s("1Password service account", "1password", j("ops_", "ey", rnd(300, B64).replace(/=/g, "A"), "fQ==")),
  s("HashiCorp Vault service token", "hashicorp-vault", j("hvs.", rnd(95, B64URL))),
  s("HashiCorp Vault batch token", "hashicorp-vault", j("hvb.", rnd(150, B64URL))),
  s("HashiCorp Vault recovery token", "hashicorp-vault", j("hvr.", rnd(95, B64URL))),
  s("Vercel", "vercel", j("vcp_", rnd(24))),
  s("Figma", "figma", j("figd_", rnd(43, B64URL).replace(/[-_]$/, "a"))),
  s("Cloudflare", "cloudflare", j("cfut_", rnd(40), rnd(8, HEX))),
  s("Tailscale", "tailscale", j("tskey-", "auth-", rnd(12), "-", rnd(30))),
];

/** Words, placeholders, variables and near shapes: no match at all. */
const LOOK_ALIKES: ReadonlyArray<readonly [name: string, text: string]> = [
  ["hf_ before a lower-case identifier", j("RUN python -c 'import hf_", "transferwithsomeverylongmodulename'")],
  ["hf_ filler", j("ENV HF_TOKEN=hf_", "x".repeat(34))],
  ["Anthropic filler", j("ENV K=sk-ant-", "api03-", "x".repeat(93), "AA")],
  ["Anthropic too short", j("ENV K=sk-ant-", "api03-", rnd(40, B64URL), "AA")],
  ["OpenAI without its marker", j("ENV K=sk-", rnd(48))],
  ["sk-learn", "RUN pip install scikit-learn sk-learn"],
  ["Databricks zeros", j("ENV T=dapi", "0".repeat(32))],
  ["Twilio: digits only (an SKU)", j("ENV SKU=SK", rnd(32, DIGITS))],
  ["Twilio inside a word", j("ENV X=DISK", rnd(32, HEX))],
  ["Azure key from a variable", "ENV C=DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${AZURE_KEY}"],
  ["Azure key without digits", j("ENV C=AccountKey=", "A".repeat(86), "==")],
  ["Sentry DSN (an address)", j("ENV SENTRY_DSN=https://", rnd(32, HEX), "@o123456.ingest.sentry.io/789")],
  ["GitLab placeholder", "ENV GL=glpat-your-gitlab-token-here"],
  ["Slack placeholder", "ENV S=xoxb-your-slack-bot-token-here"],
  ["Stripe publishable key", j("ENV PK=pk_", "live_", rnd(24))],
  ["npm_config variables", "ENV npm_config_loglevel=warn npm_config_unsafe_perm=true"],
  ["npm filler", j("ENV T=npm_", "0".repeat(36))],
  ["GitHub token after a digit", j("ENV T=1gh", "p_", rnd(36))],
  ["GitHub token too short", j("ENV T=gh", "p_", rnd(20))],
  ["GitHub token placeholder", j("ENV T=gh", "p_", "x".repeat(40))],
  ["SG. in a dotted name", "RUN java -cp SG.Core.Api.Main"],
  ["Docker Hub filler", j("ENV D=dckr_", "pat_", "x".repeat(27))],
  ["Notion filler", j("ENV N=ntn_", "0".repeat(11), "0".repeat(35))],
  ["PEM public key", j("-----BEGIN PUBLIC ", "KEY-----\nMIIB\n-----END PUBLIC KEY-----")],
  ["Vault token from a variable", "ENV VAULT_TOKEN=${VAULT_TOKEN}"],
];

describe("the generated table", () => {
  it("is what scripts/gen-token-formats.mjs makes from the installed package", () => {
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "gen-token-formats.mjs"), "--check"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("has readable labels and keywords every match starts with", () => {
    expect(PACKAGE_TOKEN_FORMATS.length).toBeGreaterThanOrEqual(20);
    for (const f of PACKAGE_TOKEN_FORMATS) {
      expect(f.label, f.rule).toMatch(/^[A-Za-z0-9][A-Za-z0-9 ]+ [A-Za-z]+$/); // "found …: KEY" taken apart
      expect(f.hints.length, f.rule).toBeGreaterThan(0);
      for (const h of f.hints) expect(h.length, f.rule).toBeGreaterThanOrEqual(3);
    }
  });

  it("takes no pattern with an unbounded repetition, and says which it left out for that", () => {
    // Escapes and character classes removed, a `*`, `+` or `{n,}` left is a repetition.
    const repeats = (source: string) => /[*+]|\{\d+,\}/.test(source.replace(/\\./g, "").replace(/\[[^\]]*\]/g, ""));
    for (const f of PACKAGE_TOKEN_FORMATS) expect(repeats(f.source), f.source).toBe(false);
    const dropped = LEFT_OUT.filter((l) => l.source !== undefined);
    expect(dropped.some((l) => repeats(l.source!) && /unbounded/.test(l.reason))).toBe(true);
    expect(dropped.some((l) => /bounds add up/.test(l.reason))).toBe(true);
  });

  it.each(PACKAGE_TOKEN_FORMATS.map((f, i) => [`${f.rule} #${i}`, f] as const))("%s has a sample below", (_n, f) => {
    const re = new RegExp(f.source, f.flags);
    expect(SAMPLES.some((x) => re.test(x.secret))).toBe(true);
  });
});

describe("one real-shaped fake per vendor", () => {
  it.each(SAMPLES.map((x) => [x.vendor, x] as const))("%s", (_vendor, sample) => {
    const text = `FROM alpine\n${sample.line.replace("%s", sample.secret)}\n`;
    const found = findSecretValues(text);
    expect(found.map((m) => m.kind)).toEqual([sample.kind]);
    const m = found[0]!;
    expect(text.slice(m.start, m.end)).toBe(sample.secret);
    expect(m.start).toBe(text.indexOf(sample.secret));
    expect(m.label).toMatch(/^[A-Za-z0-9][A-Za-z0-9 .,()-]+$/);
  });
});

describe("look-alikes", () => {
  it.each(LOOK_ALIKES)("%s: nothing", (_name, text) => {
    expect(findSecretValues(`FROM alpine\n${text}\n`)).toEqual([]);
  });
});

/**
 * 1 MiB lines made of each keyword followed by what its pattern's body accepts, in runs that
 * stop just short or run past every bound (so that each attempt backtracks as far as it can),
 * or by the keyword again and again (one attempt per few characters).
 */
function crafted(hint: string): string[] {
  const MiB = 1 << 20;
  const fill = (unit: string) => unit.repeat(Math.ceil(MiB / unit.length)).slice(0, MiB);
  return [
    fill(hint),
    fill(hint + "aB3dE6gH9j".repeat(13)),
    fill(hint + "aB3dE6gH9j-_".repeat(40)),
    fill(`${hint}${"aB3d.".repeat(30)}=`),
    fill(`${hint}eyJ${"aB3d".repeat(300)}==_`),
  ];
}

describe("cost on crafted 1 MiB lines", () => {
  it("the CLI on a Dockerfile of one such line: bounded time and memory, the canary never shown", () => {
    const tree = hostileTree();
    try {
      const value = canary("tokens");
      const line = crafted("glpat-")[2]!;
      tree.file("Dockerfile", `FROM alpine\nENV API_TOKEN=${value}\nRUN echo ${line}\n`);
      const run = runCli(["--format", "json", "."], { cwd: tree.repo, timeoutMs: 60_000 });
      console.log(`token formats, CLI on a 1 MiB line: ${Math.round(run.ms)} ms, ${run.maxRssMb?.toFixed(0)} MB peak`);
      expect(run.timedOut).toBe(false);
      expect(run.ms).toBeLessThan(20_000);
      expect(run.maxRssMb!).toBeLessThan(450);
      expect(run.stdout + run.stderr).not.toContain(value);
      expect(JSON.parse(run.stdout).summary.files).toBe(1);
    } finally {
      tree.cleanup();
    }
  }, 90_000);


  it("stays linear for every keyword of every pattern", () => {
    // CPU time: the machine may be shared, and waiting for a core is not this code's cost.
    const cpuMs = (since: NodeJS.CpuUsage) => {
      const u = process.cpuUsage(since);
      return (u.user + u.system) / 1000;
    };
    let worst = { ms: 0, hint: "" };
    const t0 = process.cpuUsage();
    for (const hint of TOKEN_HINTS) {
      for (const line of crafted(hint)) {
        const t = process.cpuUsage();
        findSecretValues(line);
        const ms = cpuMs(t);
        if (ms > worst.ms) worst = { ms, hint };
      }
    }
    const total = cpuMs(t0);
    console.log(`token formats: ${TOKEN_HINTS.length} keywords x 5 lines of 1 MiB in ${Math.round(total)} ms CPU; slowest line ${Math.round(worst.ms)} ms (${worst.hint})`);
    // A backtracking pattern takes seconds to minutes on one such line.
    expect(worst.ms).toBeLessThan(3_000);
  }, 300_000);
});
