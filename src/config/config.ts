/**
 * The configuration file: its schema, validation, merging and the classifiers the analysis
 * asks. Pure: no I/O (finding and reading the files is load-config.ts).
 *
 * A config is found as `unbake.config.json`, `.unbakerc.json` or the `"unbake"` key of
 * `package.json`; see load-config.ts for the cascade.
 */
import picomatch from "picomatch";
import { RULES } from "../analyse/rules.js";
import type { MountStyle, RuleId } from "../types.js";
import { compileLinear, type NamePattern } from "./linear-regex.js";

/** A rule's severity as configured; "off" drops the rule's findings. */
export type ConfigSeverity = "off" | "note" | "warning" | "error";

export interface UnbakeConfig {
  /**
   * Whether the cascade stops here. Absent or `true`: this config applies alone (the nearest
   * config wins). `false`: the next config up (found the same way, from the parent folder) is
   * merged under this one.
   */
  root?: boolean;
  /** Extra ARG/ENV names that are secrets (exact names, case-insensitive) or regex strings written as "/…/flags". */
  secretNames?: string[];
  /** Extra credential-file globs (picomatch, matched against the COPY source path and its basename). */
  secretFiles?: string[];
  /** Names or file globs that are never secrets (wins over everything). */
  allow?: { names?: string[]; files?: string[] };
  /** Secret id mapping: ARG/ENV name or file path -> id to use (must match /^[A-Za-z0-9_.-]+$/). */
  ids?: Record<string, string>;
  mountStyle?: MountStyle;
  /** Globs of paths (relative to the config file's folder) to skip. */
  exclude?: string[];
  /** Per-rule severity. Rule ids from RULES. */
  rules?: Partial<Record<RuleId, ConfigSeverity>>;
}

/**
 * One problem with a config file.
 * file: the config file's path as the loader was given it (absolute).
 * key: JSON path inside the file: "rules.secret-arg-env", "ids.NPM_TOKEN", "secretNames[2]",
 *   `ids[".npmrc"]` (keys that are not identifier-like are quoted); "" for the whole file
 *   (invalid JSON, not an object, several config files in one folder). In package.json the path
 *   starts at the top of package.json: "unbake.secretNames[2]".
 * line/column: 1-based, for invalid JSON only.
 */
export interface ConfigError {
  file: string;
  key: string;
  message: string;
  line?: number;
  column?: number;
}

/** Top-level keys, in documentation order. `$schema` is also accepted and ignored. */
export const CONFIG_KEYS = [
  "root",
  "secretNames",
  "secretFiles",
  "allow",
  "ids",
  "mountStyle",
  "exclude",
  "rules",
] as const satisfies ReadonlyArray<keyof UnbakeConfig>;

export const SEVERITIES: readonly ConfigSeverity[] = ["off", "note", "warning", "error"];
export const MOUNT_STYLES: readonly MountStyle[] = ["auto", "file"];
export const SECRET_ID = /^[A-Za-z0-9_.-]+$/;

/**
 * What an absent key means. Empty lists add nothing; `rules: {}` keeps each rule's built-in
 * severity; mountStyle "auto" is the CLI's default (a `--mount-style` flag wins over the config).
 */
export const DEFAULT_CONFIG: Readonly<Required<UnbakeConfig>> = Object.freeze({
  root: true,
  secretNames: [],
  secretFiles: [],
  allow: { names: [], files: [] },
  ids: {},
  mountStyle: "auto",
  exclude: [],
  rules: {},
});

// ---------------------------------------------------------------------------------------------
// Validation

/** Validates a parsed config. `config` holds the valid parts only (bad entries are dropped). */
export function validateConfig(raw: unknown, file: string): { config: UnbakeConfig; errors: ConfigError[] } {
  const errors: ConfigError[] = [];
  const config: UnbakeConfig = {};
  const fail = (key: string, message: string): void => {
    errors.push({ file, key, message });
  };
  if (!isPlainObject(raw)) {
    fail("", `expected an object, got ${typeName(raw)}`);
    return { config, errors };
  }
  for (const [key, value] of Object.entries(raw)) {
    const path = keyPath("", key);
    switch (key) {
      case "$schema":
        break;
      case "root":
        if (typeof value === "boolean") config.root = value;
        else fail(path, `expected a boolean, got ${typeName(value)}`);
        break;
      case "secretNames": {
        const names = stringList(value, path, fail, checkName);
        if (names) config.secretNames = names;
        break;
      }
      case "secretFiles":
      case "exclude": {
        const globs = stringList(value, path, fail, checkGlob);
        if (globs) config[key] = globs;
        break;
      }
      case "allow": {
        if (!isPlainObject(value)) {
          fail(path, `expected an object with "names" and/or "files", got ${typeName(value)}`);
          break;
        }
        const allow: NonNullable<UnbakeConfig["allow"]> = {};
        for (const [sub, subValue] of Object.entries(value)) {
          const subPath = keyPath(path, sub);
          if (sub === "names") {
            const names = stringList(subValue, subPath, fail, checkName);
            if (names) allow.names = names;
          } else if (sub === "files") {
            const globs = stringList(subValue, subPath, fail, checkGlob);
            if (globs) allow.files = globs;
          } else {
            fail(subPath, unknownMessage("unknown key", sub, ["names", "files"]));
          }
        }
        config.allow = allow;
        break;
      }
      case "ids": {
        if (!isPlainObject(value)) {
          fail(path, `expected an object mapping names or paths to secret ids, got ${typeName(value)}`);
          break;
        }
        const ids: Record<string, string> = {};
        for (const [name, id] of Object.entries(value)) {
          const idPath = keyPath(path, name);
          if (name.trim() === "") fail(idPath, "empty name or path");
          else if (typeof id !== "string") fail(idPath, `expected a string, got ${typeName(id)}`);
          else if (!SECRET_ID.test(id)) {
            fail(idPath, `invalid secret id ${JSON.stringify(id)}: only letters, digits, "_", "." and "-" are allowed`);
          } else {
            // defineProperty: a key "__proto__" stays data instead of setting the prototype
            Object.defineProperty(ids, name, { value: id, enumerable: true, writable: true, configurable: true });
          }
        }
        config.ids = ids;
        break;
      }
      case "mountStyle":
        if (typeof value === "string" && (MOUNT_STYLES as readonly string[]).includes(value)) {
          config.mountStyle = value as MountStyle;
        } else fail(path, oneOfMessage(MOUNT_STYLES, value));
        break;
      case "rules": {
        if (!isPlainObject(value)) {
          fail(path, `expected an object mapping rule ids to severities, got ${typeName(value)}`);
          break;
        }
        const rules: Partial<Record<RuleId, ConfigSeverity>> = {};
        const ruleIds = Object.keys(RULES);
        for (const [rule, severity] of Object.entries(value)) {
          const rulePath = keyPath(path, rule);
          if (!Object.hasOwn(RULES, rule)) fail(rulePath, unknownMessage("unknown rule", rule, ruleIds));
          else if (typeof severity === "string" && (SEVERITIES as readonly string[]).includes(severity)) {
            rules[rule as RuleId] = severity as ConfigSeverity;
          } else fail(rulePath, oneOfMessage(SEVERITIES, severity));
        }
        config.rules = rules;
        break;
      }
      default:
        fail(path, unknownMessage("unknown key", key, CONFIG_KEYS));
    }
  }
  return { config, errors };
}

type Fail = (key: string, message: string) => void;

function stringList(
  value: unknown,
  path: string,
  fail: Fail,
  check: (s: string) => string | null,
): string[] | null {
  if (!Array.isArray(value)) {
    fail(path, `expected an array of strings, got ${typeName(value)}`);
    return null;
  }
  const out: string[] = [];
  value.forEach((item: unknown, i) => {
    const itemPath = `${path}[${i}]`;
    if (typeof item !== "string") {
      fail(itemPath, `expected a string, got ${typeName(item)}`);
      return;
    }
    const problem = check(item);
    if (problem !== null) fail(itemPath, problem);
    else out.push(item);
  });
  return out;
}

function checkName(s: string): string | null {
  if (s.trim() === "") return "empty name";
  if (s.startsWith("/")) {
    const parsed = parseNamePattern(s);
    return parsed.error ?? null;
  }
  if (/[\s=]/.test(s)) return `not a variable name (write a regular expression as "/pattern/flags")`;
  return null;
}

function checkGlob(s: string): string | null {
  if (s.trim() === "") return "empty glob";
  // picomatch never throws; a pattern it cannot compile becomes a regex that matches nothing.
  if (picomatch.makeRe(s, { dot: true }).source === "$^") return "invalid glob";
  return null;
}

const REGEX_FORM = /^\/(.+)\/([a-z]*)$/s;

/** A secretNames/allow.names entry: an exact name, or a regular expression written "/…/flags". */
export function parseNamePattern(s: string): { exact?: string; regex?: NamePattern; error?: string } {
  if (!s.startsWith("/")) return { exact: s };
  const m = REGEX_FORM.exec(s);
  if (!m) return { error: `a regular expression must be written "/pattern/flags"` };
  const flags = m[2]!;
  if (flags.includes("g") || flags.includes("y")) {
    return { error: `flags "g" and "y" are not allowed (they make matching depend on the previous match)` };
  }
  try {
    new RegExp(m[1]!, flags);
  } catch (e) {
    return { error: `invalid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, "")}` };
  }
  try {
    return { regex: compileLinear(m[1]!, flags) };
  } catch (e) {
    return { error: `regular expression not supported (it must run in linear time, RE2 syntax: no lookaround or backreferences): ${(e as Error).message}` };
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return `a string`;
  if (typeof v === "number") return "a number";
  if (typeof v === "boolean") return "a boolean";
  return typeof v;
}

/** JSON path of `key` under `parent`: `parent.key`, or `parent["odd key"]` when not identifier-like. */
export function keyPath(parent: string, key: string): string {
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return parent === "" ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

function oneOfMessage(allowed: readonly string[], got: unknown): string {
  const list = allowed.map((a) => JSON.stringify(a)).join(", ");
  const shown = typeof got === "string" ? JSON.stringify(got) : typeName(got);
  const hint = typeof got === "string" ? closest(got, allowed) : undefined;
  return `expected one of ${list}, got ${shown}${hint ? ` (did you mean "${hint}"?)` : ""}`;
}

function unknownMessage(what: string, got: string, known: readonly string[]): string {
  const hint = closest(got, known);
  return hint ? `${what} (did you mean "${hint}"?)` : `${what}; expected one of ${known.join(", ")}`;
}

/** The known word nearest to `got`: same letters in another case, a prefix, or a few edits away. */
export function closest(got: string, known: readonly string[]): string | undefined {
  const g = got.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const kl = k.toLowerCase();
    let d = levenshtein(g, kl);
    if (g.length >= 3 && (kl.startsWith(g) || g.startsWith(kl))) d = Math.min(d, 1);
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  const limit = Math.max(2, Math.floor(g.length / 3));
  return bestDistance <= limit ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

// ---------------------------------------------------------------------------------------------
// JSON text

/**
 * Parses a config file's text (a leading BOM is ignored). On invalid JSON the error has the
 * position of the first problem (found by a small scanner, so the position and wording do not
 * depend on the Node version, and no part of the file is quoted back beyond one character).
 */
export function parseConfigJson(text: string, file: string): { value?: unknown; error?: ConfigError } {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  try {
    return { value: JSON.parse(body) as unknown };
  } catch (e) {
    const problem = locateJsonError(body) ?? { offset: body.length, message: (e as Error).message };
    const { line, column } = lineColumn(body, problem.offset);
    return {
      error: { file, key: "", message: `invalid JSON at line ${line}, column ${column}: ${problem.message}`, line, column },
    };
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class JsonProblem {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/** The offset and description of the first syntax error in `text`, or null when it is valid JSON. */
export function locateJsonError(text: string): { offset: number; message: string } | null {
  let i = 0;
  const found = (): string => (i >= text.length ? "end of file" : JSON.stringify(text[i]));
  const fail = (message: string, at = i): never => {
    throw new JsonProblem(at, message);
  };
  const ws = (): void => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail("unterminated string");
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 0x20) fail("unterminated string or control character in string");
      if (c === 92) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("invalid \\u escape");
          i += 6;
        } else if (e !== undefined && `"\\/bfnrt`.includes(e)) i += 2;
        else fail(`invalid escape ${JSON.stringify(`\\${e ?? ""}`)}`);
      } else i++;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${found()}`);
        string();
        ws();
        if (text[i] !== ":") fail(`expected ":" after the property name, found ${found()}`);
        i++;
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return;
        }
        fail(`expected "," or "}" after the property value, found ${found()}`);
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return;
        }
        fail(`expected "," or "]" after the array element, found ${found()}`);
      }
    }
    if (c === '"') return string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) {
      const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
      if (!m) fail("invalid number");
      i += m![0].length;
      return;
    }
    const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(i));
    if (word) {
      if (word[0] === "true" || word[0] === "false" || word[0] === "null") {
        i += word[0].length;
        return;
      }
      fail(`unexpected word ${JSON.stringify(word[0].slice(0, 20))}`);
    }
    fail(`expected a value, found ${found()}`);
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${found()} after the end of the JSON value`);
    return null;
  } catch (e) {
    if (e instanceof JsonProblem) return { offset: e.offset, message: e.message };
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Merging

/**
 * Merges layers, farthest first, nearest (highest priority) last: scalars (root, mountStyle)
 * come from the nearest layer that sets them; maps (ids, rules) merge per key, nearer wins;
 * arrays (secretNames, secretFiles, exclude, allow.names, allow.files) concatenate, farthest
 * first. `exclude` strings are relative to their own file's folder, so a merged `exclude` list
 * is for display only: use LoadedConfig.isExcluded.
 */
export function mergeConfigs(...layers: UnbakeConfig[]): UnbakeConfig {
  const out: UnbakeConfig = {};
  for (const c of layers) {
    if (c.root !== undefined) out.root = c.root;
    if (c.mountStyle !== undefined) out.mountStyle = c.mountStyle;
    if (c.secretNames) out.secretNames = [...(out.secretNames ?? []), ...c.secretNames];
    if (c.secretFiles) out.secretFiles = [...(out.secretFiles ?? []), ...c.secretFiles];
    if (c.exclude) out.exclude = [...(out.exclude ?? []), ...c.exclude];
    if (c.allow) {
      const allow = { ...out.allow };
      if (c.allow.names) allow.names = [...(allow.names ?? []), ...c.allow.names];
      if (c.allow.files) allow.files = [...(allow.files ?? []), ...c.allow.files];
      out.allow = allow;
    }
    if (c.ids) out.ids = { ...out.ids, ...c.ids };
    if (c.rules) out.rules = { ...out.rules, ...c.rules };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Classifiers

/** What the config says; `undefined` everywhere means "no opinion: use the built-in rules". */
export interface Classifiers {
  /** false: allowed (never a secret); true: listed in secretNames; undefined: no opinion. */
  isSecretName(name: string): boolean | undefined;
  /** path: a COPY/ADD source (or destination) as written. false: allowed; true: in secretFiles. */
  isSecretFile(path: string): boolean | undefined;
  /** key: the ARG/ENV name or the COPY source path. */
  idFor(key: string): string | undefined;
  severity(rule: RuleId): ConfigSeverity | undefined;
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Compiles a (validated) config into the classifiers the analysis asks. Invalid entries, if
 * any slip through, are ignored. Every pattern is compiled once, here.
 *
 * Names: exact entries compare case-insensitively; "/…/flags" entries are tested against the
 * name as written (add the `i` flag to ignore case). allow.names wins over secretNames.
 * Files: picomatch globs (`dot: true`, case-sensitive) tested against the path (backslashes as
 * "/", without quotes, a leading "./" or "/", or a trailing "/") and against its basename.
 * allow.files wins over secretFiles.
 * Ids: the key as given, then the normalised path, then — for a config key without "/" — the
 * basename of the path, then — for variable names — the name ignoring case.
 */
export function classifiersOf(config: UnbakeConfig): Classifiers {
  const secretName = nameMatcher(config.secretNames ?? []);
  const allowName = nameMatcher(config.allow?.names ?? []);
  const secretFile = fileMatcher(config.secretFiles ?? []);
  const allowFile = fileMatcher(config.allow?.files ?? []);
  const ids = new Map<string, string>();
  const idsNoCase = new Map<string, string>();
  const bareIds = new Map<string, string>(); // keys without "/" (basenames or names)
  for (const [key, id] of Object.entries(config.ids ?? {})) {
    if (!SECRET_ID.test(id)) continue;
    ids.set(key, id);
    const norm = normalisePath(key);
    if (!ids.has(norm)) ids.set(norm, id);
    if (!norm.includes("/") && !bareIds.has(norm)) bareIds.set(norm, id);
    if (VARIABLE_NAME.test(key) && !idsNoCase.has(key.toLowerCase())) idsNoCase.set(key.toLowerCase(), id);
  }
  const severities = config.rules ?? {};
  return {
    isSecretName(name) {
      if (allowName(name)) return false;
      if (secretName(name)) return true;
      return undefined;
    },
    isSecretFile(path) {
      const p = normalisePath(path);
      if (p === "") return undefined;
      const base = p.slice(p.lastIndexOf("/") + 1);
      if (allowFile(p, base)) return false;
      if (secretFile(p, base)) return true;
      return undefined;
    },
    idFor(key) {
      const direct = ids.get(key);
      if (direct !== undefined) return direct;
      const p = normalisePath(key);
      const byPath = ids.get(p) ?? bareIds.get(p.slice(p.lastIndexOf("/") + 1));
      if (byPath !== undefined) return byPath;
      return VARIABLE_NAME.test(key) ? idsNoCase.get(key.toLowerCase()) : undefined;
    },
    severity(rule) {
      return Object.hasOwn(severities, rule) ? severities[rule] : undefined;
    },
  };
}

function nameMatcher(entries: readonly string[]): (name: string) => boolean {
  const exact = new Set<string>();
  const regexes: NamePattern[] = [];
  for (const entry of entries) {
    const p = parseNamePattern(entry);
    if (p.exact !== undefined && p.exact.trim() !== "") exact.add(p.exact.toLowerCase());
    else if (p.regex) regexes.push(p.regex);
  }
  if (exact.size === 0 && regexes.length === 0) return () => false;
  return (name) => exact.has(name.toLowerCase()) || regexes.some((r) => r.test(name));
}

function fileMatcher(globs: readonly string[]): (path: string, base: string) => boolean {
  const valid = globs.filter((g) => checkGlob(g) === null);
  if (valid.length === 0) return () => false;
  const isMatch = picomatch(valid, { dot: true });
  return (path, base) => isMatch(path) || isMatch(base);
}

function normalisePath(path: string): string {
  let p = path.trim();
  const quoted = /^(["'])(.*)\1$/s.exec(p);
  if (quoted) p = quoted[2]!.trim();
  p = p.replace(/\\/g, "/");
  while (p.startsWith("./")) p = p.slice(2);
  p = p.replace(/^\/+/, "").replace(/\/+$/, "");
  return p;
}
