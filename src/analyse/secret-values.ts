/**
 * Hard-coded secret values: known token formats and credentials embedded in URLs.
 *
 * Vendor token formats come from secretlint's recommended rules, as data generated into
 * src/knowledge/token-formats.generated.ts (scripts/gen-token-formats.mjs keeps only bounded
 * patterns that start with literals). The rows below are formats that package does not have
 * (REFERENCE §5, KICS passwords_and_secrets, checkov secrets, gitleaks' rule set) or matches too
 * loosely. Every pattern runs only on text that holds one of its literal keywords, has bounded
 * quantifiers after a fixed prefix (matching is linear in the text length) and is compiled once.
 * Prefixes are guarded on both sides so that a token inside a longer identifier does not match;
 * look-alikes (words, placeholders) are dropped by a test on the matched secret.
 *
 * Pure; the generated table is its only import.
 */
import { PACKAGE_TOKEN_FORMATS, type PackageTokenFormat } from "../knowledge/token-formats.generated.js";

export interface ValueMatch {
  kind: string;
  label: string;
  /** [start, end) = the secret characters only (for a URL: the password part). */
  start: number;
  end: number;
}

interface TokenPattern {
  readonly kind: string;
  readonly label: string;
  /** Global, with the `d` flag when `group` is used. */
  readonly re: RegExp;
  /** Capture group holding the secret (0 = whole match). */
  readonly group: number;
  /** Extra test on the secret text, to drop look-alikes (words, placeholders). */
  readonly accept?: (secret: string) => boolean;
  /**
   * Literals every match contains (one of them at least; in lower case when the regex ignores
   * case): the regex runs only on text that has one. Most Dockerfiles have none, and the regexes
   * scan every position otherwise.
   */
  readonly hints: readonly string[];
}

const HAS_DIGIT = /[0-9]/;
const HAS_UPPER = /[A-Z]/;
const HAS_LOWER = /[a-z]/;
/** Words that a made-up example puts where the random part goes. */
const PLACEHOLDER = /xxxx|example|your|placeholder|redacted|changeme|dummy|sample/i;

/**
 * The random part of a vendor token: at least 16 characters, not one or two repeated, two
 * character classes of digits, upper and lower case (hex is digits and one case), no filler
 * word. `hf_` followed by a long lower-case identifier is a word, not a token.
 */
function looksRandom(body: string): boolean {
  if (body.length < 16 || PLACEHOLDER.test(body) || new Set(body).size < 3) return false;
  return Number(HAS_DIGIT.test(body)) + Number(HAS_UPPER.test(body)) + Number(HAS_LOWER.test(body)) >= 2;
}

const PACKAGE_GUARD = "(?<!\\p{L})";

/**
 * A row of the generated table as a pattern. secretlint guards the prefix against a letter
 * before it; a digit or `_` before it also makes it part of a longer word here.
 */
function fromPackage(f: PackageTokenFormat): TokenPattern {
  const body = f.source.startsWith(PACKAGE_GUARD) ? f.source.slice(PACKAGE_GUARD.length) : f.source;
  const guard = f.flags.includes("u") ? "(?<![\\p{L}\\p{N}_])" : "(?<![A-Za-z0-9_])";
  const lower = f.flags.includes("i");
  return {
    kind: f.rule,
    label: f.label,
    re: new RegExp(`${guard}(?:${body})`, `${f.flags}g`),
    group: 0,
    hints: f.hints,
    accept: (secret) => {
      const s = lower ? secret.toLowerCase() : secret;
      const hint = f.hints.reduce((best, h) => (s.startsWith(h) && h.length > best.length ? h : best), "");
      return looksRandom(secret.slice(hint.length));
    },
  };
}

/** Formats the package does not have, or matches with a looser shape than these. */
const OWN_PATTERNS: readonly TokenPattern[] = [
  {
    // secretlint reads access key ids only when asked to (enableIDScanRule).
    kind: "aws-access-key-id",
    label: "AWS access key id",
    re: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])/g,
    group: 0,
    hints: ["AKIA", "ASIA"],
  },
  {
    // The 40-character secret has no prefix: only recognised after its own name, as in
    // `aws configure set aws_secret_access_key …` (trivy DS-0031) or an ini/env assignment.
    // secretlint's form has an unbounded `\s*` and no keyword to look for first.
    kind: "aws-secret-access-key",
    label: "AWS secret access key",
    re: /(?<![A-Za-z0-9_])aws_secret_access_key["']?[ \t]*(?:[=:][ \t]*|[ \t])["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dgi,
    group: 1,
    hints: ["aws_secret_access_key"],
    accept: (s) => HAS_DIGIT.test(s) || /[/+]/.test(s),
  },
  {
    // GitHub's tokens may grow (it says to allow up to 255 characters); secretlint takes
    // today's lengths only (36, and 82 for fine-grained ones).
    kind: "github",
    label: "GitHub token",
    re: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,251}(?![A-Za-z0-9_])/g,
    group: 0,
    hints: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
    accept: (s) => looksRandom(s.slice(4)),
  },
  {
    kind: "github",
    label: "GitHub fine-grained personal access token",
    re: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,255}(?![A-Za-z0-9_])/g,
    group: 0,
    hints: ["github_pat_"],
    accept: (s) => looksRandom(s.slice(11)),
  },
  {
    // Real Slack tokens carry numeric team/user ids; `xoxb-your-token-here` does not.
    // (secretlint's Slack pattern repeats a group without bound.)
    kind: "slack-token",
    label: "Slack token",
    re: /(?<![A-Za-z0-9_-])xox[baprs]-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9_-])/g,
    group: 0,
    hints: ["xox"],
    accept: (s) => HAS_DIGIT.test(s),
  },
  {
    kind: "slack-webhook",
    label: "Slack incoming webhook URL",
    re: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9]{6,20}\/[A-Za-z0-9]{6,20}\/[A-Za-z0-9]{16,64})(?![A-Za-z0-9])/dg,
    group: 1,
    hints: ["hooks.slack.com"],
  },
  {
    kind: "teams-webhook",
    label: "Microsoft Teams incoming webhook URL",
    re: /https:\/\/[A-Za-z0-9_.-]{0,100}webhook\.office\.com\/webhookb2\/([A-Za-z0-9@\/-]{20,300})/dg,
    group: 1,
    hints: ["webhook.office.com"],
  },
  {
    kind: "google-api-key",
    label: "Google API key",
    re: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g,
    group: 0,
    hints: ["AIza"],
  },
  {
    // secretlint's SendGrid pattern allows one `-` or `_` in the last part and stops short of
    // a key with two.
    kind: "sendgrid",
    label: "SendGrid API key",
    re: /(?<![A-Za-z0-9_-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g,
    group: 0,
    hints: ["SG."],
  },
  {
    kind: "pypi-token",
    label: "PyPI API token",
    re: /(?<![A-Za-z0-9_-])pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,1000}(?![A-Za-z0-9_-])/g,
    group: 0,
    hints: ["pypi-AgEIcHlwaS5vcmc"],
  },
  {
    // API key sids (gitleaks twilio-api-key); account sids (AC…) are not secrets.
    kind: "twilio-api-key",
    label: "Twilio API key",
    re: /(?<![A-Za-z0-9_])SK[0-9a-fA-F]{32}(?![A-Za-z0-9_])/g,
    group: 0,
    hints: ["SK"],
    accept: (s) => HAS_DIGIT.test(s.slice(2)) && /[a-fA-F]/.test(s.slice(2)),
  },
  {
    // `…;AccountName=x;AccountKey=<base64>;…` (storage) and `SharedAccessKey=` (Service Bus,
    // Event Hubs, IoT Hub): the key is the secret, the rest of the string is an address.
    kind: "azure-connection-string-key",
    label: "Azure connection string key",
    re: /(?<![A-Za-z0-9_])(?:AccountKey|SharedAccessKey)=([A-Za-z0-9+/]{40,100}={0,2})(?![A-Za-z0-9+/=])/dgi,
    group: 1,
    hints: ["accountkey=", "sharedaccesskey="],
    accept: (s) => HAS_DIGIT.test(s) && HAS_UPPER.test(s) && HAS_LOWER.test(s),
  },
  {
    // User auth tokens (sntryu_ + 64 hex) and organization tokens (sntrys_ + base64 JSON + _ +
    // 43 characters), as gitleaks shapes them; a DSN is an address, not one of these.
    kind: "sentry-token",
    label: "Sentry auth token",
    re: /(?<![A-Za-z0-9_])(?:sntryu_[0-9a-f]{64}|sntrys_eyJ[A-Za-z0-9+/]{40,400}={0,2}_[A-Za-z0-9+/]{43})(?![A-Za-z0-9+/=_])/g,
    group: 0,
    hints: ["sntryu_", "sntrys_"],
  },
  {
    kind: "square-token",
    label: "Square access token",
    re: /(?<![A-Za-z0-9_-])sq0(?:atp-[A-Za-z0-9_-]{22}|csp-[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g,
    group: 0,
    hints: ["sq0"],
  },
  {
    kind: "mailchimp-key",
    label: "Mailchimp API key",
    re: /(?<![A-Za-z0-9_-])[0-9a-f]{32}-us[0-9]{1,2}(?![A-Za-z0-9_-])/g,
    group: 0,
    hints: ["-us"],
  },
  {
    kind: "amazon-mws-token",
    label: "Amazon MWS auth token",
    re: /(?<![A-Za-z0-9_.-])amzn\.mws\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![A-Za-z0-9_-])/g,
    group: 0,
    hints: ["amzn.mws."],
  },
  {
    // `?key=…`, `&access_token=…` in a URL (the shell may escape `=` as `\=`).
    kind: "url-query-secret",
    label: "secret in a URL query parameter",
    re: /[?&](?:api[_-]?key|key|access[_-]?token|auth[_-]?token|token|client[_-]?secret|secret|password|passwd)\\?=([A-Za-z0-9_.~%+\/-]{16,512})/dgi,
    group: 1,
    hints: ["key", "token", "secret", "passw"],
    accept: (s) => HAS_DIGIT.test(s) && /[A-Za-z]/.test(s) && !s.includes("%s"),
  },
];

/** The package's formats first: where one of ours finds the same span, its label wins. */
const TOKEN_PATTERNS: readonly TokenPattern[] = [...PACKAGE_TOKEN_FORMATS.map(fromPackage), ...OWN_PATTERNS];

/** Every keyword a token pattern looks for first. */
export const TOKEN_HINTS: readonly string[] = [...new Set(TOKEN_PATTERNS.flatMap((p) => p.hints))];

/**
 * One search finds every keyword in the text: checking 60-odd keywords one by one cost more than
 * all the rest. It ignores case, then keeps a keyword in another case only for a pattern that
 * ignores case too (`SK`, Twilio's, is not every `sk` of `task`). It tries the longest keywords
 * first; a hit also counts every keyword that is part of it (`sk-ant-api0` holds `sk-`), and the
 * next search starts one character later, so that keywords that overlap are seen too.
 */
const FOLDED = new Set(TOKEN_PATTERNS.filter((p) => p.re.ignoreCase).flatMap((p) => p.hints));
const KEYWORD_SCAN = new RegExp(
  [...TOKEN_HINTS].sort((a, b) => b.length - a.length).map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"),
  "gi",
);
const KEYWORDS_WITHIN = new Map(
  TOKEN_HINTS.map((k) => [k.toLowerCase(), TOKEN_HINTS.filter((w) => k.toLowerCase().includes(w.toLowerCase()))]),
);

function keywordsIn(text: string): Set<string> {
  const seen = new Set<string>();
  KEYWORD_SCAN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = KEYWORD_SCAN.exec(text)) !== null) {
    const hit = m[0];
    for (const k of KEYWORDS_WITHIN.get(hit.toLowerCase()) ?? []) if (FOLDED.has(k) || hit.includes(k)) seen.add(k);
    KEYWORD_SCAN.lastIndex = m.index + 1;
  }
  return seen;
}

/** PEM private key header (and PGP private key block); the match runs to the END line. */
const PEM_BEGIN = /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END [A-Z ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;

/**
 * `scheme://user:password@host`. The user part has no `/ @ :`; the password runs to the last `@`
 * before the host (as browsers and curl read it). Group 2 is the password.
 */
const URL_CREDENTIALS = /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/([^\s/?#@:'"`<>\\]{0,256}):([^\s/?#'"`<>\\]{0,1024})@(?=[A-Za-z0-9[$_{%-])/dg;

/**
 * Passwords in URLs that are not literal secrets: variable references, format placeholders,
 * masks, `<password>`, `{password}`, `{{ .Password }}`, and the fixed `x-oauth-basic` that GitHub
 * expects when the token is the user part. `$$` is the shell's process id, not a reference:
 * `pa$$word` is a literal password.
 */
const URL_PASSWORD_NOT_LITERAL = /^(?:\$(?!\$)|%s$|%\(|%[0-9]*\$?s$|\*+$|<[^>]*>$|\{[^}]*\}$|\{\{.*\}\}$|x-oauth-basic$)|(?<!\$)\$[A-Za-z_{(]/;

/** Known token formats and credentials embedded in URLs, anywhere in text. */
export function findSecretValues(text: string): ValueMatch[] {
  const out: ValueMatch[] = [];
  const keywords = keywordsIn(text);

  for (const p of TOKEN_PATTERNS) {
    if (!p.hints.some((h) => keywords.has(h))) continue;
    p.re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = p.re.exec(text)) !== null) {
      let start: number;
      let end: number;
      if (p.group === 0) {
        start = m.index;
        end = m.index + m[0].length;
      } else {
        const span = m.indices?.[p.group];
        if (span === undefined) continue;
        [start, end] = span;
      }
      const secret = text.slice(start, end);
      if (p.accept && !p.accept(secret)) continue;
      out.push({ kind: p.kind, label: p.label, start, end });
    }
  }

  PEM_BEGIN.lastIndex = text.includes("PRIVATE KEY") ? 0 : text.length;
  let b: RegExpExecArray | null;
  let noEndFrom = Infinity; // once an END search fails, later ones would too (keeps this linear)
  while ((b = PEM_BEGIN.exec(text)) !== null) {
    const start = b.index;
    const headerEnd = start + b[0].length;
    let e: RegExpExecArray | null = null;
    if (headerEnd < noEndFrom) {
      PEM_END.lastIndex = headerEnd;
      e = PEM_END.exec(text);
      if (e === null) noEndFrom = headerEnd;
    }
    const end = e ? e.index + e[0].length : headerEnd;
    out.push({ kind: "private-key", label: "PEM private key block", start, end });
    PEM_BEGIN.lastIndex = end;
  }

  URL_CREDENTIALS.lastIndex = text.includes("://") && text.includes("@") ? 0 : text.length;
  let u: RegExpExecArray | null;
  while ((u = URL_CREDENTIALS.exec(text)) !== null) {
    const span = u.indices?.[2];
    if (span === undefined) continue;
    const password = u[2]!;
    if (password === "" || URL_PASSWORD_NOT_LITERAL.test(password)) continue;
    out.push({ kind: "url-credentials", label: "password in a URL", start: span[0], end: span[1] });
  }

  out.sort((x, y) => x.start - y.start || y.end - x.end);
  // Drop a match nested in an earlier one (e.g. a token that is also a URL password).
  const kept: ValueMatch[] = [];
  for (const m of out) {
    const last = kept[kept.length - 1];
    if (last !== undefined && m.start >= last.start && m.end <= last.end) continue;
    kept.push(m);
  }
  return kept;
}

// ---------------------------------------------------------------------------------------------

/** `$X`, `${X}`, `${X:-…}`, `${X-…}`, `${X:+…}`, `${X:?…}`, `$(…)` (one level, no nesting). */
const REFERENCE = /\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*(?:(:?[-+?])((?:[^{}]|\{[^{}]*\})*))?\}|\([^()]*\))/g;
const ALNUM = /[A-Za-z0-9]/;
/** An absolute or home-relative path (segments of path characters, variables allowed). */
const PATH_LIKE = /^(?:~|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|[A-Za-z]:)?(?:[/\\][A-Za-z0-9._@%,~${}-]*)+$/;
const BOOLEAN_LIKE = /^(?:true|false|yes|no|on|off|[01])$/i;
const ESCAPED_DOLLAR = /\\\$/g;

/**
 * For the value of a secret-NAMED ARG default or ENV literal: is it a real hard-coded value?
 *
 * False for: "" and whitespace; a value made only of variable references (`$X`, `${X}`,
 * `$A:$B`, `$(…)`, or `${X:-d}` whose default d is itself empty or only references); a plain
 * absolute or `~/` path (a path to the secret file, not the secret); a boolean or 0/1 (a switch:
 * the name misled).
 *
 * True for everything else, placeholders included: "changeme", "xxx", "<token>",
 * "your-api-key-here" ARE reported. A hard-coded placeholder leaks nothing, but the ARG/ENV still
 * reserves a secret slot that the rewrite should turn into a secret mount, and a placeholder list
 * can never be complete (real passwords are "changeme" too often).
 */
export function isHardcodedValue(value: string): boolean {
  let v = value.trim();
  const q = /^(["'])(.*)\1$/s.exec(v);
  if (q) v = q[2]!.trim();
  if (v === "") return false;
  if (BOOLEAN_LIKE.test(v)) return false;
  if (PATH_LIKE.test(v) && !v.includes("\\$")) return false;

  // Escaped dollars are literal text: `\$ecret` is hard-coded.
  const unescaped = v.replace(ESCAPED_DOLLAR, "#");
  return hasLiteral(unescaped);
}

/** Does text keep any letter or digit once variable references are removed? Defaults count. */
function hasLiteral(text: string): boolean {
  let literal = false;
  const rest = text.replace(REFERENCE, (_ref: string, op: string | undefined, dflt: string | undefined) => {
    // `${X:-d}` / `${X:+d}` may expand to d; `${X:?msg}` never expands to msg.
    if (op !== undefined && dflt !== undefined && !op.endsWith("?") && hasLiteral(dflt)) {
      literal = true;
    }
    return " ";
  });
  return literal || ALNUM.test(rest);
}
