/**
 * What a credential file of the build context holds, from its text (batch mode: the caller read
 * it, src/cli/context-files.ts): no credential at all, a template whose `${VAR}`s the tool fills
 * from its environment (the variables are the secret, the file is not), a literal credential
 * (hard-coded: rotate it), or unknown (a line this does not understand: the name rule stands).
 * The keys per kind are data (src/knowledge/credential-contents.ts). Pure; never returns a value.
 */
import { CONTENT_ROWS, type ContentRow } from "../knowledge/credential-contents.js";
import { findSecretValues } from "./secret-values.js";
import { isPlaceholder } from "../knowledge/placeholders.js";

export type ContentVerdict =
  | { verdict: "unknown" }
  | { verdict: "none" }
  | { verdict: "template"; names: string[] }
  | { verdict: "literal" };

/** Credential files are small; a longer text is not looked into. */
const MAX_TEXT = 256 * 1024;

const UNKNOWN: ContentVerdict = { verdict: "unknown" };

/** The row for a kind of credential file, if its content can be read. */
export function contentRowOf(kind: string): ContentRow | null {
  return CONTENT_ROWS.find((r) => r.kinds.includes(kind)) ?? null;
}

/**
 * The values a file holds in credential places, or null when a line is not understood. An array
 * marked `partly` was read to the end past a key it does not know (free-form files): its
 * credentials count, but without one the content is not understood.
 */
type Reader = (text: string, row: ContentRow) => (string[] & { partly?: true }) | null;

/** `scheme://user:password@host`: the password (or a lone user, a token by itself) is a credential. */
const USERINFO = /\b[a-z][a-z0-9+.-]*:\/\/([^\s/@:'"]*)(?::([^\s/@'"]*))?@/gi;

function userinfoValues(value: string): string[] {
  const out: string[] = [];
  for (const m of value.matchAll(USERINFO)) {
    const [, user, password] = m;
    if (password !== undefined) out.push(password);
    else if (user && user !== "git") out.push(user);
  }
  return out;
}

const stripQuotes = (v: string) => v.trim().replace(/^(["'])(.*)\1$/s, "$2").trim();

/** `key = value`, split at the first `=` (npm keys hold `:`: `//host/:_authToken=…`), else Java properties' `key: value`. */
const INI_KEY = /^([^=\s][^=]*?)\s*=\s*(.*)$|^([^:\s][^:]*?)\s*:\s*(.*)$/;

const readIni: Reader = (text, row) => {
  const out: string[] & { partly?: true } = [];
  let key: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === "") continue;
    const comment = /^\s*[#;!]\s*(.*)$/.exec(raw);
    // A credential left in a comment is in the file all the same.
    const line = comment ? comment[1] : raw;
    if (!comment && /^\s/.test(raw) && key !== null) {
      out.push(...userinfoValues(raw));
      if (row.credential.test(key)) out.push(raw.trim());
      continue;
    }
    if (/^\s*\[[^\]]*\]\s*$/.test(line)) continue;
    const kv = INI_KEY.exec(line.trim());
    if (!kv) {
      if (comment) continue;
      return null;
    }
    key = (kv[1] ?? kv[3]).trim().toLowerCase();
    const value = stripQuotes(kv[2] ?? kv[4]);
    out.push(...userinfoValues(value));
    if (row.credential.test(key)) out.push(value);
    else if (!comment && row.harmless && !row.harmless.test(key)) out.partly = true;
    if (comment) key = null;
  }
  return out;
};

/** `key: value` (the key bare or quoted: yarn's npmRegistries keys are URLs), or a list item. */
const YAML_LINE = /^\s*(?:-\s+)?(?:"([^"]*)"|'([^']*)'|([^\s"'#:-][^:#]*?))\s*:(?:\s+(.*))?$|^\s*-\s+(.*)$/;

const readYaml: Reader = (text, row) => {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, "");
    if (line.trim() === "" || /^\s*#/.test(line) || line.trim() === "---") continue;
    const m = YAML_LINE.exec(line);
    if (!m) return null;
    const key = m[1] ?? m[2] ?? m[3];
    const value = stripQuotes(m[4] ?? m[5] ?? "");
    out.push(...userinfoValues(value));
    if (key !== undefined && row.credential.test(key.trim().toLowerCase())) out.push(value);
  }
  return out;
};

const readXml: Reader = (text, row) => {
  const out: string[] = [];
  let read = 0;
  for (const m of text.matchAll(/<([A-Za-z][\w.-]*)>([^<]*)<\/\1>/g)) {
    if (row.credential.test(m[1].toLowerCase())) {
      out.push(m[2].trim());
      read++;
    }
    out.push(...userinfoValues(m[2]));
  }
  // A credential element written another way (attributes, CDATA, `<password/>`): not understood.
  let opened = 0;
  for (const m of text.matchAll(/<([A-Za-z][\w.-]*)[\s/>]/g)) if (row.credential.test(m[1].toLowerCase())) opened++;
  if (opened !== read) return null;
  if (row.credentialProperty) {
    for (const m of text.matchAll(/<name>([^<]*)<\/name>\s*<value>([^<]*)<\/value>/g)) if (row.credentialProperty.test(m[1])) out.push(m[2].trim());
  }
  return out;
};

const NETRC_KEYWORDS = new Set(["machine", "login", "password", "account", "port"]);

const readNetrc: Reader = (text, row) => {
  const out: string[] = [];
  const tokens = text.split(/\s+/).filter((t) => t !== "");
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === "default") continue;
    if (!NETRC_KEYWORDS.has(t) || i + 1 >= tokens.length) return null; // macdef and the unknown
    if (row.credential.test(t)) out.push(stripQuotes(tokens[i + 1]));
    i++;
  }
  return out;
};

const readUrlLines: Reader = (text) => {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    if (!/^\s*[a-z][a-z0-9+.-]*:\/\/\S*\s*$/i.test(line)) return null;
    out.push(...userinfoValues(line));
  }
  return out;
};

const readJson: Reader = (text, row) => {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) return null;
  const out: string[] = [];
  const walk = (value: unknown, section: string, leaf: string) => {
    if (typeof value === "string") {
      if (row.credential.test(`${section}>${leaf.toLowerCase()}`)) out.push(value);
      out.push(...userinfoValues(value));
    } else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(v, section, k);
    }
  };
  for (const [section, value] of Object.entries(data)) walk(value, section.toLowerCase(), section);
  return out;
};

const READERS: Record<ContentRow["syntax"], Reader> = {
  ini: readIni,
  yaml: readYaml,
  xml: readXml,
  netrc: readNetrc,
  "url-lines": readUrlLines,
  json: readJson,
};

/** A reference in a value: `$X`, `${X}`, `${env.X}`. */
const ANY_REFERENCE = /\$\{?[A-Za-z_]/;

/**
 * The verdict on a credential file's text, for its kind. A value wholly made of the references
 * the tool fills is a template; anything else in a credential place is a literal; a reference the
 * tool does not fill (a placeholder something else may fill), or a line not understood, is unknown.
 */
export function classifyContent(kind: string, text: string | undefined): ContentVerdict {
  if (text === undefined || text.length > MAX_TEXT) return UNKNOWN;
  const row = contentRowOf(kind);
  if (!row) return UNKNOWN;
  // A token of a known format anywhere (a comment, an unknown key) is a literal credential.
  if (findSecretValues(text).length > 0) return { verdict: "literal" };
  const values = READERS[row.syntax](text, row);
  if (values === null) return UNKNOWN;
  const names = new Set<string>();
  let placeholder = false;
  for (const value of values) {
    // `changeme`, `<token>`: a word written where a credential will go leaks nothing (placeholders.ts).
    if (value === "" || isPlaceholder(value)) continue;
    if (row.reference) {
      const whole = new RegExp(`^(?:\\s*${row.reference.source})+\\s*$`);
      if (whole.test(value)) {
        for (const m of value.matchAll(new RegExp(row.reference.source, "g"))) names.add(m[1]);
        continue;
      }
    }
    if (ANY_REFERENCE.test(value)) placeholder = true;
    else return { verdict: "literal" };
  }
  if (placeholder || values.partly) return UNKNOWN;
  return names.size > 0 ? { verdict: "template", names: [...names].sort() } : { verdict: "none" };
}
