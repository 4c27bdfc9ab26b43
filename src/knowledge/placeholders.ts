/**
 * Values that are plainly not credentials: words a Dockerfile writes where a secret will go
 * (`changeme`, `__NO_TOKEN__`, `<token>`), build-time dummies that only let a framework boot
 * (`SECRET_KEY_BASE=dummy`, a database URL on localhost), and documented example values. Such a
 * value leaks nothing, so it is no hard-coded secret: nobody has to rotate it, and a build that
 * worked with it must keep it. One row per pattern, with where it comes from.
 *
 * The rule (README "Placeholders"): the value, trimmed and without one pair of surrounding
 * quotes, matches a row as a whole, case-insensitively; a URL is one when its host or its
 * password is. A real password that happens to be a listed word is already public.
 */

export interface PlaceholderRow {
  /** Matched against the whole trimmed, unquoted value. */
  pattern: RegExp;
  /** An example the row must match (checked by test/placeholders.test.ts). */
  example: string;
  why: string;
}

export const PLACEHOLDERS: readonly PlaceholderRow[] = [
  { pattern: /^$/, example: "", why: "empty: nothing to leak" },
  { pattern: /^change[-_]?me$/i, example: "changeme", why: "the classic default that asks to be replaced" },
  { pattern: /^replace[-_]?me$/i, example: "replaceme", why: "asks to be replaced" },
  { pattern: /^(?:unset|none|null|nil|undefined)$/i, example: "unset", why: "says no value is set (ARG TOKEN=unset)" },
  { pattern: /^(?:test|dummy|example|sample|fake|placeholder)$/i, example: "dummy", why: "a build-time dummy (SECRET_KEY_BASE=dummy for assets:precompile)" },
  { pattern: /^(?:foo|bar|baz)$/i, example: "foo", why: "metasyntactic words (BuildKit's own SecretsUsedInArgOrEnv test)" },
  { pattern: /^(?:password|secret|mypassword|mysecret|notreal|localhost|127\.0\.0\.1)$/i, example: "mypassword", why: "the slot's own name or a local address as the whole value" },
  { pattern: /^x{3,}$/i, example: "XXXX", why: "a mask (xxx…)" },
  { pattern: /^\*{3,}$/, example: "***", why: "a mask (***)" },
  { pattern: /^[A-Za-z0-9]{1,12}[-_]?(?:x{4,}|X{4,}|\*{4,})$/, example: "ghp_xxxxxxxxxxxxxxxxxxxx", why: "a token format's prefix and a mask (ghp_xxxx…, sk-XXXX…)" },
  {
    pattern: /^(?:AKIAIOSFODNN7EXAMPLE|wJalrXUtnFEMI\/K7MDENG\/bPxRfiCYEXAMPLEKEY|AKIAI44QH8DHBEXAMPLE|je7MtGbClwBF\/2Zp9Utk\/h3yCo8nvbEXAMPLEKEY)$/,
    example: "AKIAIOSFODNN7EXAMPLE",
    why: "AWS's documented example key pairs, exactly (an altered one may be real)",
  },
  { pattern: /^<[^<>]*>$/, example: "<your-token>", why: "an angle-bracketed slot to fill (<token>)" },
  { pattern: /^\{\{[^{}]*\}\}$/, example: "{{ token }}", why: "a template slot ({{…}}) filled before the build" },
  { pattern: /^__[A-Z0-9_]+__$/i, example: "__NO_TOKEN__", why: "a marker word (__NO_TOKEN__) a script tests for" },
  { pattern: /^\*\*[A-Za-z_]+\*\*$/, example: "**ChangeMe**", why: "toran-proxy's convention: the init script replaces **ChangeMe** / **RandomString** at run time" },
  { pattern: /^your[-_ ]?[a-z_ -]{0,40}$/i, example: "your-api-key-here", why: "an instruction to the reader (your_token_here)" },
  {
    pattern: /^(?:[a-z]+[-_.])*(?:dummy|placeholder|change[-_]?me|replace[-_]?me|not[-_]?real|fake|example)(?:[-_.][a-z]+)*$/i,
    example: "dummy-secret-key-for-build",
    why: "words only, one of them saying it is not real (not-a-real-secret would need a word list: left out)",
  },
];

/**
 * Hosts that are not a service anyone holds a credential for: the loopback, and the example
 * domains of RFC 2606 themselves. Their subdomains are left out: `git.example.com` is how
 * documentation and tests write "your host", with a credential that stands for a real one.
 */
const PLACEHOLDER_HOST = /^(?:localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0|(?:www\.)?example\.(?:com|org|net))$/i;

/** A URL with credentials: `scheme://user:password@host…`. */
const URL_WITH_HOST = /^[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/(?:([^\s/?#@]*)@)?(\[[^\]\s]*\]|[^\s/?#:@]*)/;

/** Is the value as a whole (trimmed, one pair of quotes removed) a placeholder? */
export function isPlaceholder(value: string): boolean {
  let v = value.trim();
  const q = /^(["'])(.*)\1$/s.exec(v);
  if (q) v = q[2].trim();
  if (PLACEHOLDERS.some((row) => row.pattern.test(v))) return true;
  const url = URL_WITH_HOST.exec(v);
  if (!url) return false;
  if (PLACEHOLDER_HOST.test(url[2])) return true;
  const userinfo = url[1];
  const colon = userinfo?.indexOf(":") ?? -1;
  return userinfo !== undefined && colon !== -1 && isPlaceholder(userinfo.slice(colon + 1));
}

/**
 * A value found inside longer text (a token format, a URL's password): a placeholder when it is
 * one as a whole, when it is filled with a mask (Slack's documented webhook ends in XXXX…), or,
 * for a URL's password, when the host after it is a placeholder host
 * (`postgres://postgres:s3cret@localhost/notreal`). `start`/`end` are its range in `text`.
 */
export function isPlaceholderIn(text: string, start: number, end: number): boolean {
  const found = text.slice(start, end);
  if (isPlaceholder(found) || /x{4,}|\*{3,}|<[^<>]*>|\{\{/i.test(found)) return true;
  if (text[end] !== "@") return false;
  const host = /^(\[[^\]\s]*\]|[^\s/?#:@'"`]*)/.exec(text.slice(end + 1, end + 300))?.[1] ?? "";
  return PLACEHOLDER_HOST.test(host);
}
