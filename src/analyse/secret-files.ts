/**
 * Is a COPY/ADD source or destination a credential file (or a directory of them)? The families
 * are data (src/knowledge/credential-files.ts, one row each); this module normalises the path
 * and tries the rows in phases.
 *
 * Pure; the path is only looked at as text (nothing is read from disk).
 */
import { FILE_FAMILIES, VARIANT_SUFFIXES, type FileFamily } from "../knowledge/credential-files.js";

export interface SecretFileKind {
  /** Stable id, e.g. "npmrc", "ssh-key", "ssh-dir". */
  kind: string;
  /** Human text, e.g. "npm registry credentials (.npmrc)". */
  label: string;
  /** Commands that read it implicitly (npm reads ~/.npmrc without being told). */
  tools: string[];
  /** True when the path names a directory of secrets (".ssh/"), not one file. */
  directory: boolean;
}

// --- the engine: FILE_FAMILIES (src/knowledge/credential-files.ts) tried in phases -------------

const URL_LIKE = /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/|git@[^:]+:)/;
const PURE_VARIABLE = /^\$(?:\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)$/;
const SURROUNDING_QUOTES = /^(["'])(.*)\1$/s;
const GLOB_CHARS = /[*?[]/;

/** Files written to be filled in later, never the secret itself (.env.example, auth.json.tmpl). */
const TEMPLATE_SUFFIX = /\.(?:tmpl|template|tpl|example|examples|sample|samples|dist|default|defaults|skel|j2|jinja2?|erb|mustache|hbs|in)$/;

/** Source and script files: `token.go`, `secret.py`, `copy-kube-config.sh` are code, not secrets (only an exact name says otherwise: secret_token.rb). */
const CODE_EXT = /\.(?:sh|bash|zsh|ps1|py|pyc|js|mjs|cjs|ts|tsx|jsx|go|rb|php|java|kt|scala|c|cc|cpp|h|hpp|rs|cs|swift|lua|pl|md|rst|html|css|sql|tf|tfvars|gradle|groovy)$/;

/** The rows, indexed once so that a path costs a few map look-ups and the pattern rows (the pre-check classifies every COPY word). */
interface Index {
  folders: Map<string, FileFamily[]>;
  places: Map<string, FileFamily[]>;
  names: Map<string, FileFamily[]>;
  patterns: FileFamily[];
  extensions: Map<string, FileFamily[]>;
  fallbacks: FileFamily[];
  /** The exact names that take suffix variants, each followed by a separator: most paths fail it at the first character. */
  variantNames: RegExp;
}

function buildIndex(rows: readonly FileFamily[]): Index {
  const index: Index = { folders: new Map(), places: new Map(), names: new Map(), patterns: [], extensions: new Map(), fallbacks: [], variantNames: /(?!)/ };
  const variantNames: string[] = [];
  const add = (map: Map<string, FileFamily[]>, key: string, row: FileFamily) => map.set(key, [...(map.get(key) ?? []), row]);
  for (const row of rows) {
    if (row.folder) for (const f of row.folder) add(index.folders, f, row);
    else if (row.in) for (const f of row.in) add(index.places, f, row);
    else if (row.names) {
      for (const n of row.names) add(index.names, n, row);
      if (row.variants) variantNames.push(...row.names);
    }
    else if (row.fallback) index.fallbacks.push(row);
    else if (row.pattern) index.patterns.push(row);
    else if (row.extensions) for (const e of row.extensions) add(index.extensions, e, row);
  }
  const escaped = variantNames.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  index.variantNames = new RegExp(`^(?:${escaped.join("|")})(?:[._-]|~$)`);
  return index;
}

const INDEX = buildIndex(FILE_FAMILIES);

function result(row: FileFamily, directory: boolean): SecretFileKind {
  return { kind: row.kind, label: row.label, tools: [...(row.tools ?? [])], directory };
}

/** What one row says of a path: its kind, "public" (decided: not a secret), or null (try the next row). */
interface Seen {
  lower: string;
  /** The name without a purpose or backup suffix (`gradle.properties` for `gradle.properties.local`), or null; undefined until asked. */
  stripped?: string | null;
  parent: string;
  grandparent: string;
  lowerPath: string;
  pureGlobStem: boolean;
  trailingSlash: boolean;
}

/** A row that holds, and whether the path names a folder of such files. */
interface Hit {
  row: FileFamily;
  directory: boolean;
}

function tryRow(row: FileFamily, seen: Seen, located: (row: FileFamily, name: string) => boolean): Hit | "public" | null {
  const name = located(row, seen.lower) ? seen.lower : row.variants && strippedOf(seen) !== null && located(row, seen.stripped!) ? seen.stripped! : null;
  if (name === null) return null;
  if (row.under && !row.under.includes(row.folder ? seen.parent : seen.grandparent)) return null;
  if (row.unless?.test(name) || row.unlessPath?.test(seen.lowerPath)) return "public";
  if (row.when && !row.when.test(name)) return null;
  if (row.notAsGlob && seen.pureGlobStem) return "public";
  return { row, directory: row.folder !== undefined || (row.slashIsFolder === true && seen.trailingSlash) };
}

const LONGEST_VARIANT = 1 + Math.max(...[...VARIANT_SUFFIXES].map((v) => v.length));

/** The name without its purpose or backup suffix, worked out when a row asks for it. */
function strippedOf(seen: Seen): string | null {
  if (seen.stripped === undefined) {
    const { lower } = seen;
    const cut = Math.max(lower.lastIndexOf("."), lower.lastIndexOf("_"), lower.lastIndexOf("-"));
    if (lower.endsWith("~") && lower.length > 1) seen.stripped = lower.slice(0, -1);
    else seen.stripped = cut > 0 && lower.length - cut <= LONGEST_VARIANT && VARIANT_SUFFIXES.has(lower.slice(cut + 1)) ? lower.slice(0, cut) : null;
  }
  return seen.stripped;
}

/** The first row of the list that decides. */
function firstOf(rows: readonly FileFamily[] | undefined, seen: Seen, located: (row: FileFamily, name: string) => boolean): Hit | null | undefined {
  if (!rows) return undefined;
  for (const row of rows) {
    const r = tryRow(row, seen, located);
    if (r === "public") return null;
    if (r) return r;
  }
  return undefined;
}

const anywhere = () => true;
const byName = (row: FileFamily, name: string) => row.names?.includes(name) ?? false;
const byPattern = (row: FileFamily, name: string) => row.pattern?.test(name) ?? false;
const extensionOf = (name: string) => {
  const dot = name.lastIndexOf(".");
  return dot > 0 || (dot === 0 && name.length > 1) ? name.slice(dot) : "";
};
const byExtension = (row: FileFamily, name: string) => row.extensions?.includes(extensionOf(name)) ?? false;
/** A row tied to a folder (`in`): its own locator, or any file there when it has none. */
const inPlace = (row: FileFamily, name: string) =>
  row.names || row.pattern || row.extensions ? byName(row, name) || byPattern(row, name) || byExtension(row, name) : true;

/** Answers for paths seen before: the pre-check classifies every word of long RUN lines, and words repeat. */
const seenPaths = new Map<string, Hit | null>();
const CACHE_SIZE = 4096;
const CACHED_LENGTH = 256;

/**
 * path: a COPY/ADD source or destination as written (may be relative, absolute, "./x", "~/x",
 * end with "/", contain globs). Returns null when not a credential file.
 */
export function classifySecretPath(path: string): SecretFileKind | null {
  let hit = seenPaths.get(path);
  if (hit === undefined) {
    hit = classify(path);
    if (path.length <= CACHED_LENGTH) {
      if (seenPaths.size >= CACHE_SIZE) seenPaths.clear();
      seenPaths.set(path, hit);
    }
  }
  return hit && result(hit.row, hit.directory);
}

function classify(path: string): Hit | null {
  let p = path.trim();
  const quoted = SURROUNDING_QUOTES.exec(p);
  if (quoted) p = quoted[2]!.trim();
  if (p === "" || URL_LIKE.test(p)) return null; // ADD https://… fetches, it is not a context file
  p = p.replace(/\\/g, "/");
  const trailingSlash = p.endsWith("/");
  const segments = p.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.length === 0) return null;
  const base = segments[segments.length - 1]!;
  if (PURE_VARIABLE.test(base)) return null;
  const lowerSegs = segments.map((s) => s.toLowerCase());
  const parent = lowerSegs.length > 1 ? lowerSegs[lowerSegs.length - 2]! : "";
  const grandparent = lowerSegs.length > 2 ? lowerSegs[lowerSegs.length - 3]! : "";

  // Globs: `container.key*` and `id_rsa*` name the same files without the star; `*.npmrc` is
  // the usual trick to copy an optional .npmrc; `.ssh/*` is every file of a secrets folder.
  let lower = base.toLowerCase();
  let pureGlobStem = false;
  if (GLOB_CHARS.test(lower)) {
    lower = lower.replace(/\*+$/, "");
    const starExt = /^\*+(\..+)$/.exec(lower);
    if (starExt) {
      lower = starExt[1]!;
      pureGlobStem = true;
    }
    if (lower === "" || /^[*?]+$/.test(lower)) {
      const row = INDEX.folders.get(parent)?.[0];
      return row && !row.under ? { row, directory: true } : null;
    }
  }
  const seen: Seen = {
    lower,
    parent,
    grandparent,
    lowerPath: lowerSegs.join("/"),
    pureGlobStem,
    trailingSlash,
  };

  // Phase 1: folders of secrets.
  const folder = firstOf(INDEX.folders.get(lower), seen, anywhere);
  if (folder !== undefined) return folder;
  if (TEMPLATE_SUFFIX.test(lower)) return null;
  const code = CODE_EXT.test(lower);

  // Phase 2: files whose meaning depends on the folder they are in; a closed folder holds no other secret.
  if (!code) {
    const placed = firstOf(INDEX.places.get(parent), seen, inPlace);
    if (placed !== undefined) return placed;
    if (INDEX.folders.get(parent)?.some((row) => row.closed && (!row.under || row.under.includes(grandparent)))) return null;
  }

  // Phase 3: exact names (an exact name wins over a code extension: secret_token.rb).
  const named = firstOf(INDEX.names.get(lower) ?? (INDEX.variantNames.test(lower) && strippedOf(seen) !== null ? INDEX.names.get(seen.stripped!) : undefined), seen, byName);
  if (named !== undefined) return named;
  if (code) return null;

  // Phases 4 to 6: name patterns, extensions, last resorts.
  const patterned = firstOf(INDEX.patterns, seen, byPattern);
  if (patterned !== undefined) return patterned;
  const extension = firstOf(INDEX.extensions.get(extensionOf(lower)), seen, byExtension);
  if (extension !== undefined) return extension;
  return firstOf(INDEX.fallbacks, seen, byPattern) ?? null;
}
