#!/usr/bin/env node
// Writes src/knowledge/token-formats.generated.ts: the token formats of secretlint's recommended
// rules (@secretlint/secretlint-rule-preset-recommend, a devDependency pinned to one version), as
// data. secretlint keeps its patterns inside each rule's code, so this script runs every rule once
// on a probe text with its default options and records the regular expressions it matches with.
// A pattern is kept only when it is bounded (no `*`, `+` or open `{n,}`: matching stays linear)
// and every alternative starts with a literal of at least three characters (the keywords that
// let a file without them skip the regex); the others are listed as left out, with the reason.
// Usage: node scripts/gen-token-formats.mjs [--check]   (--check: exit 1 when the file is stale)
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "src", "knowledge", "token-formats.generated.ts");
const PACKAGE = "@secretlint/secretlint-rule-preset-recommend";

/** Rules not taken, and why (they are not token formats, or unbake has an exact rule of its own). */
const SKIPPED_RULES = {
  basicauth: "URL passwords: unbake's own URL rule also knows variable references and placeholders",
  "database-connection-string": "URL passwords: unbake's own URL rule also knows variable references and placeholders",
  privatekey: "PEM blocks: unbake's own rule runs to the END line in linear time",
  slack: "its token pattern is unbounded; unbake's own Slack rows cover tokens and webhooks",
  sendgrid: "its last part allows one - or _, so a key with two would match short and its tail be printed; unbake's own row takes 22.43 base64url characters",
  "filter-comments": "secretlint's disable comments, not a format",
};

/** Labels for rules whose messages name several kinds of one vendor's credential, or miss capitals. */
const RULE_LABELS = {
  aws: "AWS access key id",
  cloudflare: "Cloudflare API key or token",
  github: "GitHub token",
  grafana: "Grafana token",
  "hashicorp-vault": "HashiCorp Vault token",
  linear: "Linear API key",
  npm: "npm access token",
  shopify: "Shopify access token",
  stripe: "Stripe secret or restricted key",
  tailscale: "Tailscale key",
  vercel: "Vercel token",
};

/** Text that reaches every pattern of every rule (rules return early on nothing but options). */
const PROBE = "probe\n";

const MAX_BOUND_SUM = 1300;

async function load() {
  const require = createRequire(join(root, "package.json"));
  const pkgJson = JSON.parse(readFileSync(require.resolve(`${PACKAGE}/package.json`), "utf8"));
  const entry = join(dirname(require.resolve(`${PACKAGE}/package.json`)), pkgJson.exports["."].import.default);
  const mod = await import(pathToFileURL(entry).href);
  return { version: pkgJson.version, license: pkgJson.license, rules: mod.rules };
}

/** Every RegExp a rule's file handler matches with, in first-use order. */
async function patternsOf(rule) {
  const seen = [];
  const record = (re) => {
    if (re instanceof RegExp && !seen.some((s) => s.source === re.source && s.flags === re.flags)) seen.push(re);
  };
  const saved = {
    matchAll: String.prototype.matchAll,
    match: String.prototype.match,
    replace: String.prototype.replace,
    search: String.prototype.search,
    exec: RegExp.prototype.exec,
    test: RegExp.prototype.test,
  };
  String.prototype.matchAll = function (re) { record(re); return saved.matchAll.call(this, re); };
  String.prototype.match = function (re) { record(re); return saved.match.call(this, re); };
  String.prototype.replace = function (re, by) { record(re); return saved.replace.call(this, re, by); };
  String.prototype.search = function (re) { record(re); return saved.search.call(this, re); };
  RegExp.prototype.exec = function (s) { record(this); return saved.exec.call(this, s); };
  RegExp.prototype.test = function (s) { record(this); return saved.test.call(this, s); };
  try {
    const context = { createTranslator: () => () => "", report: () => {}, sharedOptions: {} };
    await rule.create(context, {}).file?.({ content: PROBE, filePath: "/probe/Dockerfile", ext: "", contentType: "text" });
  } finally {
    Object.assign(String.prototype, { matchAll: saved.matchAll, match: saved.match, replace: saved.replace, search: saved.search });
    Object.assign(RegExp.prototype, { exec: saved.exec, test: saved.test });
  }
  return seen;
}

/** `found Anthropic Claude API key: …` → `Anthropic Claude API key`. */
function labelOf(name, rule) {
  if (RULE_LABELS[name]) return RULE_LABELS[name];
  const texts = Object.values(rule.messages).map((m) => m.en(new Proxy({}, { get: () => "" })));
  if (texts.length !== 1) throw new Error(`${name}: ${texts.length} messages, add a label to RULE_LABELS`);
  return texts[0].replace(/^found /, "").replace(/:\s*$/, "");
}

/** Why a pattern cannot run on every file in linear time; undefined when it can. */
function unbounded(source) {
  let sum = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") { i++; continue; }
    if (inClass) { if (c === "]") inClass = false; continue; }
    if (c === "[") inClass = true;
    else if (c === "*" || c === "+") return `unbounded ${c}`;
    else if (c === "?" && source[i - 1] !== "(") sum += 1;
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (!m) continue;
      if (m[2] && m[3] === "") return "open {n,}";
      sum += Number(m[3] ?? m[1]);
    }
  }
  return sum > MAX_BOUND_SUM ? `quantifier bounds add up to ${sum} (over ${MAX_BOUND_SUM})` : undefined;
}

/** Split at `|` outside groups and classes. */
function alternatives(source) {
  const out = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") { i++; continue; }
    if (inClass) { if (c === "]") inClass = false; continue; }
    if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) { out.push(source.slice(from, i)); from = i + 1; }
  }
  out.push(source.slice(from));
  return out;
}

const LITERAL_ESCAPES = new Set([".", "-", "/", "_", ":", "@", "="]);

/** The literal strings one alternative must start with (a group of literal choices multiplies them). */
function leadingLiterals(alt) {
  let s = alt.replace(/^\(\?<[!=](?:[^()\\]|\\.)*\)/, "").replace(/^\\b/, "");
  let prefixes = [""];
  for (;;) {
    const group = /^\((?:\?:|\?<[A-Za-z]+>)?([A-Za-z0-9_|-]+)\)(?![?*+{])/.exec(s);
    if (group) {
      const choices = group[1].split("|");
      prefixes = prefixes.flatMap((p) => choices.map((c) => p + c));
      s = s.slice(group[0].length);
      continue;
    }
    let lit = "";
    let i = 0;
    while (i < s.length) {
      if (/[A-Za-z0-9_-]/.test(s[i]) || (s[i] === "\\" && LITERAL_ESCAPES.has(s[i + 1]))) {
        const ch = s[i] === "\\" ? s[i + 1] : s[i];
        const next = s[i] === "\\" ? i + 2 : i + 1;
        if (/^[?*{]/.test(s.slice(next))) break; // quantified: not required
        lit += ch;
        i = next;
      } else break;
    }
    prefixes = prefixes.map((p) => p + lit);
    s = s.slice(i);
    if (lit === "" || !s.startsWith("(")) break;
  }
  return prefixes;
}

function hintsOf(source, flags) {
  const all = alternatives(source).flatMap(leadingLiterals);
  if (all.some((h) => h.length < 3)) return undefined;
  const lower = flags.includes("i");
  return [...new Set(all.map((h) => (lower ? h.toLowerCase() : h)))];
}

async function generate() {
  const { version, license, rules } = await load();
  const rows = [];
  const leftOut = [];
  for (const rule of rules) {
    const name = rule.meta.id.replace(/^@secretlint\/secretlint-rule-/, "");
    if (SKIPPED_RULES[name]) {
      leftOut.push({ rule: name, reason: SKIPPED_RULES[name] });
      continue;
    }
    const patterns = await patternsOf(rule);
    if (patterns.length === 0) {
      leftOut.push({ rule: name, reason: "no regular expression on text (it parses files of its own kind)" });
      continue;
    }
    for (const re of patterns) {
      const flags = re.flags.replace(/[gdy]/g, "");
      const why = unbounded(re.source);
      const hints = why ? undefined : hintsOf(re.source, flags);
      if (why || !hints) {
        leftOut.push({ rule: name, reason: why ?? "no literal keyword to look for first", source: re.source });
        continue;
      }
      rows.push({ rule: name, label: labelOf(name, rule), source: re.source, flags, hints });
    }
  }
  const q = (v) => JSON.stringify(v);
  const lines = [
    `// Generated by scripts/gen-token-formats.mjs from ${PACKAGE}@${version} (${license}). Do not edit:`,
    "// run `node scripts/gen-token-formats.mjs` after changing that package's version.",
    "",
    "export interface PackageTokenFormat {",
    "  /** The secretlint rule it comes from (without its package prefix). */",
    "  readonly rule: string;",
    "  readonly label: string;",
    "  /** The pattern as secretlint matches it (flags without g). */",
    "  readonly source: string;",
    "  readonly flags: string;",
    "  /** Literals every match starts with (lower case when flags has i). */",
    "  readonly hints: readonly string[];",
    "}",
    "",
    `export const TOKEN_FORMATS_SOURCE = ${q(`${PACKAGE}@${version}`)};`,
    "",
    "export const PACKAGE_TOKEN_FORMATS: readonly PackageTokenFormat[] = [",
    ...rows.map((r) => `  { rule: ${q(r.rule)}, label: ${q(r.label)}, source: ${q(r.source)}, flags: ${q(r.flags)}, hints: ${q(r.hints)} },`),
    "];",
    "",
    "/** What the package has that is not taken, and why. */",
    "export const LEFT_OUT: ReadonlyArray<{ readonly rule: string; readonly reason: string; readonly source?: string }> = [",
    ...leftOut.map((l) => `  { rule: ${q(l.rule)}, reason: ${q(l.reason)}${l.source ? `, source: ${q(l.source)}` : ""} },`),
    "];",
    "",
  ];
  return lines.join("\n");
}

const text = await generate();
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {}
  if (current !== text) {
    console.error(`${target} is not what scripts/gen-token-formats.mjs makes: run it and commit the result`);
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target}`);
}
