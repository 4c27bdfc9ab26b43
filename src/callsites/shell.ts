/**
 * `docker build` / `docker buildx build` / `podman build` / `buildah bud|build` command lines inside shell-like
 * text (scripts, Makefile recipes, workflow `run:` blocks, GitLab `script:` items, Jenkins `sh` strings):
 * finding them, tokenizing their arguments, resolving the Dockerfile they build, and rewriting
 * `--build-arg NAME[=…]` of removed arguments to `--secret id=ID,env=VAR`.
 */
import * as path from "node:path";
import type { Literal, Migration } from "./types.js";
import { type Edit, LineIndex } from "./text.js";
import { isDynamicPath, isPlainPathText, isRemoteContext, migrationsFor, relPath, removedArgNames, secretFilePath, display } from "./match.js";
import { wrapperProblem } from "./wrappers.js";
import { hardcodedParts } from "./literals.js";

export interface Token {
  start: number;
  end: number;
  raw: string;
  /** Quotes removed, escapes resolved; expansions (`$X`, `$(…)`, `${{ … }}`) kept as written. */
  word: string;
  /** Contains an expansion outside single quotes. */
  dynamic: boolean;
}

export type Tool = "docker" | "podman" | "buildah" | "any";

export interface BuildArgUse {
  name: string;
  /** The unquoted value, undefined for `--build-arg NAME`. */
  value: string | undefined;
  /** Raw text of `NAME=…` as written (for the prefix form), or null when it cannot be cut cleanly. */
  argRaw: string | null;
  start: number;
  end: number;
  /** The name itself is dynamic (`--build-arg "$ARG"`). */
  dynamicName: boolean;
  /** A value without any expansion: where it is spelled in the text, and what it is. */
  literal: Literal | null;
}

export interface ParsedCommand {
  tool: Tool;
  /** Offset of the command word (`docker`, `$(DOCKER)` …). */
  cmdStart: number;
  /** Offset after the last argument. */
  end: number;
  tokens: Token[];
  buildArgs: BuildArgUse[];
  secretIds: Set<string>;
  file: Token | null;
  positionals: Token[];
  ambiguous: number;
  multiline: boolean;
  unterminated: boolean;
  /** Preceded by `sudo` (which drops the environment). */
  sudo: boolean;
}

// Options that take a separate value, union of docker build, buildx build, podman build and buildah build.
const VALUE_OPTS = new Set(
  (
    "add-host allow annotation attest build-arg build-arg-file build-context builder cache-from cache-to call " +
    "cgroup-parent cpu-period cpu-quota cpu-shares cpuset-cpus cpuset-mems file iidfile iidfile-raw isolation label " +
    "metadata-file memory memory-swap network no-cache-filter output platform progress secret shm-size ssh tag target " +
    "ulimit authfile cap-add cap-drop cert-dir cgroupns creds decryption-key device dns dns-option dns-search env " +
    "format from ignorefile ipc jobs layer-label logfile manifest os arch variant pid runtime runtime-flag " +
    "security-opt sign-by timestamp userns userns-uid-map userns-gid-map userns-uid-map-user userns-gid-map-group uts " +
    "volume retry retry-delay unsetenv unsetlabel unsetannotation os-feature os-version group-add cpp-flag cw " +
    "source-date-epoch cache-ttl blob-cache cdi-config-dir cni-config-dir cni-plugin-path rusage-logfile " +
    "signature-policy source-policy-file sbom-output sbom-image-output sbom-purl-output sbom-image-purl-output " +
    "sbom-scanner-command sbom-scanner-image sbom-merge-strategy hooks-dir"
  )
    .split(" ")
    .map((o) => `--${o}`),
);
const BOOL_OPTS = new Set(
  (
    "load push no-cache pull quiet rm force-rm squash squash-all layers check debug compress disable-content-trust " +
    "all-platforms omit-history identity-label tls-verify stdin no-hosts disable-compression log-rusage logsplit " +
    "skip-unused-stages compat-volumes inherit-labels inherit-annotations created-annotation rewrite-timestamp " +
    "http-proxy help"
  )
    .split(" ")
    .map((o) => `--${o}`),
);
const SHORT_VALUE = new Set(["t", "o", "m", "c", "v", "f"]);
const SHORT_BOOL = new Set(["q", "D"]);

const ENGINE_VAR = /docker|podman|buildah|engine|container|runtime|oci|builder|cli/i;
const COMMAND_RE =
  /(?<=^|[\s;&|(`"'{@])(sudo[ \t]+(?:-E[ \t]+)?)?(?:((?:[\w./-]*\/)?(?:docker|podman|buildah))|\$\((\w+)\)|\$\{(\w+)\}|\$(\w+))[ \t]+(?:(image|buildx|builder)[ \t]+)?(build-using-dockerfile|build|bud)(?=[\s;&|)"'`]|$)/g;

// ---------------------------------------------------------------------------------------------
// Tokenizer

function skipSingle(t: string, i: number, end: number): number {
  const j = t.indexOf("'", i + 1);
  return j < 0 || j >= end ? -1 : j + 1;
}

function skipBacktick(t: string, i: number, end: number): number {
  for (let j = i + 1; j < end; j++) {
    if (t[j] === "\\") j++;
    else if (t[j] === "`") return j + 1;
  }
  return -1;
}

function skipDouble(t: string, i: number, end: number): number {
  for (let j = i + 1; j < end; j++) {
    const c = t[j];
    if (c === "\\") j++;
    else if (c === '"') return j + 1;
    else if (c === "$" && (t[j + 1] === "(" || t[j + 1] === "{")) {
      const k = skipGroup(t, j + 1, end);
      if (k < 0) return -1;
      j = k - 1;
    } else if (c === "`") {
      const k = skipBacktick(t, j, end);
      if (k < 0) return -1;
      j = k - 1;
    }
  }
  return -1;
}

/** `i` at `(` or `{`: offset after the matching close, quotes inside respected. */
function skipGroup(t: string, i: number, end: number): number {
  const open = t[i]!;
  const close = open === "(" ? ")" : "}";
  let depth = 0;
  for (let j = i; j < end; j++) {
    const c = t[j];
    if (c === "\\") {
      j++;
      continue;
    }
    if (c === "'" && open === "(") {
      const k = skipSingle(t, j, end);
      if (k < 0) return -1;
      j = k - 1;
    } else if (c === '"') {
      const k = skipDouble(t, j, end);
      if (k < 0) return -1;
      j = k - 1;
    } else if (c === open) depth++;
    else if (c === close) {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}

const WORD_STOP = /[\s;&|<>()]/;

/** Read one word starting at `i`; returns its end or -1 when a quote/group is not closed before `end`. */
function readWord(t: string, i: number, end: number): number {
  let j = i;
  while (j < end) {
    const c = t[j]!;
    if (c === "\\") {
      if (t[j + 1] === "\n" || (t[j + 1] === "\r" && t[j + 2] === "\n")) return j;
      j += 2;
      continue;
    }
    if (WORD_STOP.test(c)) return j;
    let k = j + 1;
    if (c === "'") k = skipSingle(t, j, end);
    else if (c === '"') k = skipDouble(t, j, end);
    else if (c === "`") k = skipBacktick(t, j, end);
    else if (c === "$" && (t[j + 1] === "(" || t[j + 1] === "{")) k = skipGroup(t, j + 1, end);
    if (k < 0) return -1;
    j = k;
  }
  return Math.min(j, end);
}

/** Remove shell quoting; expansions stay as written. */
export function unquote(raw: string): { word: string; dynamic: boolean } {
  let word = "";
  let dynamic = false;
  for (let j = 0; j < raw.length; j++) {
    const c = raw[j]!;
    if (c === "\\") {
      word += raw[j + 1] ?? "";
      j++;
    } else if (c === "'") {
      const k = raw.indexOf("'", j + 1);
      const e = k < 0 ? raw.length : k;
      word += raw.slice(j + 1, e);
      j = e;
    } else if (c === '"') {
      const e = skipDouble(raw, j, raw.length);
      const inner = raw.slice(j + 1, e < 0 ? raw.length : e - 1);
      if (/\$[\w{(]|`/.test(inner)) dynamic = true;
      word += inner.replace(/\\([\\"$`])/g, "$1");
      j = e < 0 ? raw.length : e - 1;
    } else if (c === "$" && (raw[j + 1] === "(" || raw[j + 1] === "{")) {
      const e = skipGroup(raw, j + 1, raw.length);
      const stop = e < 0 ? raw.length : e;
      word += raw.slice(j, stop);
      dynamic = true;
      j = stop - 1;
    } else {
      if ((c === "$" && /[\w@*#?$!-]/.test(raw[j + 1] ?? "")) || c === "`") dynamic = true;
      word += c;
    }
  }
  return { word, dynamic };
}

function isNewlineAt(t: string, i: number): boolean {
  return t[i] === "\n" || t[i] === "\r";
}

/** Tokens of one command from `i` until an operator, a comment, an unescaped line end or `end`. */
function tokenize(t: string, i: number, end: number): { tokens: Token[]; end: number; multiline: boolean; unterminated: boolean } {
  const tokens: Token[] = [];
  let multiline = false;
  let last = i;
  for (;;) {
    while (i < end && (t[i] === " " || t[i] === "\t")) i++;
    if (i < end && t[i] === "\\" && (t[i + 1] === "\n" || (t[i + 1] === "\r" && t[i + 2] === "\n"))) {
      i += t[i + 1] === "\n" ? 2 : 3;
      multiline = true;
      continue;
    }
    if (i >= end || isNewlineAt(t, i) || /[;&|<>()#]/.test(t[i]!)) break;
    const e = readWord(t, i, end);
    if (e < 0) return { tokens, end: last, multiline, unterminated: true };
    if (e === i) break;
    const raw = t.slice(i, e);
    if (/^\d+$/.test(raw) && (t[e] === ">" || t[e] === "<")) break;
    const { word, dynamic } = unquote(raw);
    tokens.push({ start: i, end: e, raw, word, dynamic });
    last = e;
    i = e;
  }
  return { tokens, end: last, multiline, unterminated: false };
}

/**
 * Where the hard-coded value of `NAME=value` (spelled `raw` at `rawStart`) is written: after `NAME=`,
 * inside the quotes of `"NAME=…"`, else the whole word; for a value that expands something, only
 * the literal defaults it holds (`${X:-abc}`), which are not what a rewrite moves.
 */
function literalSpan(name: string, value: string, raw: string, rawStart: number, dynamic: boolean): Literal | null {
  if (value === "") return null;
  if (dynamic) {
    const parts = hardcodedParts(raw, rawStart);
    return parts.length ? parts[0]! : null;
  }
  if (raw.startsWith(`${name}=`)) return { start: rawStart + name.length + 1, end: rawStart + raw.length, value };
  const q = /^(["'])[A-Za-z_]\w*=/.exec(raw);
  if (q && raw.length > q[0].length && raw.endsWith(q[1]!)) return { start: rawStart + q[0].length, end: rawStart + raw.length - 1, value };
  return { start: rawStart, end: rawStart + raw.length, value };
}

function parseArgRaw(raw: string, name: string): string | null {
  if (raw.startsWith(`${name}=`)) return raw;
  const m = /^(["'])([A-Za-z_]\w*)=([\s\S]*)\1$/.exec(raw);
  if (m && m[2] === name) return `${name}=${m[1]}${m[3]}${m[1]}`;
  return null;
}

function toolOf(cmdWord: string | undefined, varName: string | undefined): Tool {
  if (cmdWord) {
    const base = cmdWord.slice(cmdWord.lastIndexOf("/") + 1);
    return base as Tool;
  }
  if (varName && /podman/i.test(varName)) return "podman";
  if (varName && /buildah/i.test(varName)) return "buildah";
  return "any";
}

function validSubcommand(tool: Tool, group: string | undefined, sub: string): boolean {
  if (tool === "buildah") return !group && (sub === "bud" || sub === "build" || sub === "build-using-dockerfile");
  if (sub !== "build") return false;
  if (tool === "docker") return !group || group === "buildx" || group === "image" || group === "builder";
  if (tool === "podman") return !group || group === "buildx" || group === "image";
  return true;
}

/**
 * Is a position inside an open quote or after a comment, looking from the start of its line?
 * Asked for increasing positions, it carries on from where the last question stopped, so many
 * questions about one long line cost one pass over it.
 */
class QuoteScanner {
  private from = -1;
  private at = -1;
  private q: string | null = null;
  private comment = false;
  /** Parentheses seen on the line so far (outside quotes or not). */
  open = false;
  close = false;
  constructor(private readonly t: string) {}

  inside(from: number, pos: number): boolean {
    const t = this.t;
    if (from !== this.from || pos < this.at) {
      this.from = from;
      this.at = from;
      this.q = null;
      this.comment = false;
      this.open = false;
      this.close = false;
    }
    let i = this.at;
    for (; i < pos && !this.comment; i++) {
      const c = t[i]!;
      if (c === "(") this.open = true;
      else if (c === ")") this.close = true;
      if (this.q === null) {
        if (c === "\\") i++;
        else if (c === "'" || c === '"') this.q = c;
        else if (c === "#" && (i === from || /\s/.test(t[i - 1]!))) this.comment = true;
      } else if (this.q === '"' && c === "\\") i++;
      else if (c === this.q) this.q = null;
    }
    this.at = Math.max(i, pos);
    if (i > pos) this.at = i;
    return this.comment || this.q !== null;
  }
}

/** Builds looked at per region, and `cd`s followed: more is not a real build file, and would only cost time. */
export const MAX_COMMANDS = 1000;
const MAX_CDS = 200;

export function findCommands(t: string, start: number, end: number, lines: LineIndex): ParsedCommand[] {
  const out: ParsedCommand[] = [];
  const re = new RegExp(COMMAND_RE.source, "g");
  const region = t.slice(0, end);
  const quotes = new QuoteScanner(t);
  re.lastIndex = start;
  let m: RegExpExecArray | null;
  while (out.length < MAX_COMMANDS && (m = re.exec(region))) {
    const sudoLen = m[1]?.length ?? 0;
    const cmdStart = m.index + sudoLen;
    if (cmdStart < start) continue;
    const varName = m[3] ?? m[4] ?? m[5];
    if (varName && !ENGINE_VAR.test(varName)) continue;
    const tool = toolOf(m[2], varName);
    if (!validSubcommand(tool, m[6], m[7]!)) continue;
    const lineFrom = Math.max(start, lines.lineStart(m.index));
    if (quotes.inside(lineFrom, m.index)) continue;
    const tk = tokenize(t, m.index + m[0].length, end);
    out.push(parseCommand(tool, cmdStart, tk, sudoLen > 0));
    re.lastIndex = Math.max(tk.end, m.index + m[0].length);
  }
  return out;
}

function parseCommand(
  tool: Tool,
  cmdStart: number,
  tk: { tokens: Token[]; end: number; multiline: boolean; unterminated: boolean },
  sudo: boolean,
): ParsedCommand {
  const cmd: ParsedCommand = {
    tool,
    cmdStart,
    end: tk.end,
    tokens: tk.tokens,
    buildArgs: [],
    secretIds: new Set(),
    file: null,
    positionals: [],
    ambiguous: 0,
    multiline: tk.multiline,
    unterminated: tk.unterminated,
    sudo,
  };
  const toks = tk.tokens;
  const addArg = (valueWord: string, valueRaw: string, rawStart: number, dynamic: boolean, start: number, end: number): void => {
    const eq = valueWord.indexOf("=");
    const name = eq < 0 ? valueWord : valueWord.slice(0, eq);
    const dynamicName = dynamic && /[$`]/.test(name);
    cmd.buildArgs.push({
      name,
      value: eq < 0 ? undefined : valueWord.slice(eq + 1),
      argRaw: dynamicName ? null : parseArgRaw(valueRaw, name),
      start,
      end,
      dynamicName,
      literal: eq < 0 || dynamicName ? null : literalSpan(name, valueWord.slice(eq + 1), valueRaw, rawStart, dynamic),
    });
  };
  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i]!;
    const w = tok.word;
    if (w === "--") {
      cmd.positionals.push(...toks.slice(i + 1));
      break;
    }
    if (w.startsWith("--")) {
      const eq = w.indexOf("=");
      const name = eq < 0 ? w : w.slice(0, eq);
      const inline = eq < 0 ? undefined : w.slice(eq + 1);
      const next = (): Token | undefined => (inline === undefined ? toks[++i] : undefined);
      if (name === "--build-arg") {
        if (inline !== undefined) {
          const rawAfter = tok.raw.startsWith("--build-arg=") ? tok.raw.slice("--build-arg=".length) : "";
          if (rawAfter) addArg(inline, rawAfter, tok.start + "--build-arg=".length, tok.dynamic, tok.start, tok.end);
          else addArg(inline, tok.raw, tok.start, tok.dynamic, tok.start, tok.end);
        } else {
          const v = next();
          if (v) addArg(v.word, v.raw, v.start, v.dynamic, tok.start, v.end);
        }
      } else if (name === "--file") {
        cmd.file = inline !== undefined ? { ...tok, word: inline } : (next() ?? null);
      } else if (name === "--secret") {
        const v = inline ?? next()?.word;
        const id = v ? /(?:^|,)(?:id|src|source)=([^,]*)/.exec(v)?.[1] : undefined;
        const onlyId = v && !v.includes("=") ? v : undefined;
        if (id ?? onlyId) cmd.secretIds.add((id ?? onlyId)!);
      } else if (VALUE_OPTS.has(name)) {
        next();
      } else if (!BOOL_OPTS.has(name) && inline === undefined) {
        cmd.ambiguous++;
      }
    } else if (w.startsWith("-") && w.length > 1) {
      const letter = w[1]!;
      if (letter === "f") {
        const rest = w.slice(2).replace(/^=/, "");
        cmd.file = rest ? { ...tok, word: rest } : (toks[++i] ?? null);
      } else if (SHORT_VALUE.has(letter)) {
        if (w.length === 2) i++;
      } else if (!SHORT_BOOL.has(letter)) {
        cmd.ambiguous++;
      }
    } else {
      cmd.positionals.push(tok);
    }
  }
  return cmd;
}

// ---------------------------------------------------------------------------------------------
// Resolving what a command builds

export interface Resolution {
  /** Candidate Dockerfiles; empty for a remote context. */
  dockerfiles: string[];
  context: string | null;
}

/** A `$PWD`-style prefix means the working directory. */
function pwdPath(word: string, cwd: string): string | null {
  const m = /^(?:\$PWD|\$\{PWD\}|\$\(pwd\)|`pwd`)(\/.*)?$/.exec(word);
  if (m) return path.join(cwd, m[1] ?? ".");
  return null;
}

/** Resolve the build of `cmd` run from `cwd`; null when it cannot be known for sure. */
export function resolveCommand(cmd: ParsedCommand, cwd: string | null): Resolution | null {
  if (cwd === null || cmd.unterminated) return null;
  let ctxTok: Token | undefined;
  if (cmd.positionals.length > 1 + cmd.ambiguous) return null;
  if (cmd.positionals.length > 0) ctxTok = cmd.positionals[cmd.positionals.length - 1];
  let context: string;
  if (!ctxTok) {
    if (cmd.tool === "docker" || cmd.ambiguous > 0) return null;
    context = cwd;
  } else {
    const w = ctxTok.word;
    if (w === "-") return null;
    if (isRemoteContext(w)) return { dockerfiles: [], context: null };
    if (ctxTok.dynamic || isDynamicPath(w)) {
      const p = pwdPath(w, cwd);
      if (p === null) return null;
      context = p;
    } else context = path.resolve(cwd, w);
  }
  const podmanLike = cmd.tool !== "docker";
  const dockerLike = cmd.tool === "docker" || cmd.tool === "any";
  const files: string[] = [];
  if (cmd.file) {
    const w = cmd.file.word;
    if (w === "-" || w === "") return null;
    let abs: string[];
    if (cmd.file.dynamic || isDynamicPath(w)) {
      const p = pwdPath(w, cwd);
      if (p === null) return null;
      abs = [p];
    } else if (path.isAbsolute(w)) abs = [w];
    else {
      // docker/buildx: relative to the working directory; buildah/podman: the working directory, then the context.
      abs = [];
      if (dockerLike || podmanLike) abs.push(path.resolve(cwd, w));
      if (podmanLike) abs.push(path.resolve(context, w));
    }
    files.push(...abs);
  } else {
    files.push(path.join(context, "Dockerfile"));
    if (podmanLike) files.push(path.join(context, "Containerfile"));
  }
  return { dockerfiles: [...new Set(files)], context };
}

// ---------------------------------------------------------------------------------------------
// Regions and rewriting

/** How a value passed to `--build-arg NAME=<value>` can be supplied as a secret. */
export type ValueSource =
  | { kind: "env"; variable: string }
  | { kind: "stepEnv"; variable: string; expression: string }
  | { kind: "prefix" }
  | { kind: "manual"; reason: string };

export interface ShellRegion {
  start: number;
  end: number;
  /** Candidate working directories at the region start (null: unknown). */
  cwds: (string | null)[];
  /** Where `cd "$(dirname "$0")"` leads, if anywhere. */
  scriptDir: string | null;
  /** `cd` lasts for the rest of the region (shell) or only to the end of the logical line (make). */
  cdScope: "persistent" | "line";
}

export interface ShellOptions {
  text: string;
  lines: LineIndex;
  repoRoot: string;
  migrations: Migration[];
  /** Can `NAME=<expr> docker build …` be written in this kind of file? */
  prefixAllowed: boolean;
  /** How the value of `--build-arg name=value` of the command at offset `at` reaches docker. */
  classify(name: string, value: string | undefined, at: number, region: ShellRegion): ValueSource;
}

export interface RegionResult {
  edits: Edit[];
  changes: { line: number; description: string }[];
  manual: { line: number; reason: string }[];
  /** Environment entries the enclosing step must provide (GitHub Actions). */
  stepEnv: { name: string; expression: string; line: number }[];
  /** Hard-coded values passed to removed arguments, rewritten or not: never to be printed. */
  literals: Literal[];
  /** Variables whose value a removed argument passes (`--build-arg NPM_TOKEN=$T`): a literal they are set to is a secret too. */
  feeders: string[];
}

export function emptyResult(): RegionResult {
  return { edits: [], changes: [], manual: [], stepEnv: [], literals: [], feeders: [] };
}

export function mergeResult(into: RegionResult, r: RegionResult): void {
  into.edits.push(...r.edits);
  into.changes.push(...r.changes);
  into.manual.push(...r.manual);
  into.stepEnv.push(...r.stepEnv);
  into.literals.push(...r.literals);
  into.feeders.push(...r.feeders);
}

interface CdEvent {
  offset: number;
  scopeEnd: number;
  apply(cwd: string | null): string | null;
}

function cdTarget(word: string, dynamic: boolean, region: ShellRegion, repoRoot: string): (cwd: string | null) => string | null {
  if (word === "" || word === "-" || word.startsWith("~")) return () => null;
  if (!dynamic && !isDynamicPath(word)) return (cwd) => (cwd === null ? null : path.resolve(cwd, word));
  const suffixOf = (rest: string): string | null => (rest === "" || (!isDynamicPath(rest) && rest.startsWith("/")) ? rest : null);
  let m = /^\$\((?:cd\s+)?"?(?:\$\(\s*)?dirname\s+["']?\$\{?(?:0|BASH_SOURCE(?:\[0\])?)\}?["']?\s*\)/.exec(word);
  if (m) {
    let rest = word.slice(m[0].length);
    rest = rest.replace(/^"?\s*(?:&&\s*pwd(?:\s+-P)?\s*\))?/, "");
    const suf = suffixOf(rest);
    const dir = region.scriptDir;
    return () => (dir === null || suf === null ? null : path.join(dir, suf || "."));
  }
  m = /^(?:\$\(git rev-parse --show-toplevel\)|\$\{?(?:GITHUB_WORKSPACE|CI_PROJECT_DIR|WORKSPACE)\}?|\$\{\{\s*github\.workspace\s*\}\})/.exec(word);
  if (m) {
    const suf = suffixOf(word.slice(m[0].length));
    return () => (suf === null ? null : path.join(repoRoot, suf || "."));
  }
  const p = /^(?:\$PWD|\$\{PWD\})(\/.*)?$/.exec(word);
  if (p) return (cwd) => (cwd === null || isDynamicPath(p[1] ?? "") ? null : path.join(cwd, p[1] ?? "."));
  return () => null;
}

function logicalLineEnd(t: string, i: number, end: number): number {
  for (let j = i; j < end; j++) {
    if (t[j] === "\n" && !(t[j - 1] === "\\" || (t[j - 1] === "\r" && t[j - 2] === "\\"))) return j;
  }
  return end;
}

function findCds(t: string, region: ShellRegion, repoRoot: string, lines: LineIndex): CdEvent[] {
  const out: CdEvent[] = [];
  const re = /(?<=^|[\s;&|(])(cd|pushd|popd)(?=[\s;&|)]|$)/gm;
  const text = t.slice(0, region.end);
  const quotes = new QuoteScanner(t);
  let lineEnd = { from: -1, to: -1 };
  re.lastIndex = region.start;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const lineStart = Math.max(region.start, lines.lineStart(m.index));
    if (quotes.inside(lineStart, m.index)) continue;
    // Past the limit the working directory is unknown from here on.
    if (out.length >= MAX_CDS) {
      out.push({ offset: m.index, scopeEnd: region.end, apply: () => null });
      break;
    }
    let a = m.index + m[0].length;
    while (a < region.end && (t[a] === " " || t[a] === "\t")) a++;
    const e = readWord(t, a, region.end);
    const arg = e > a ? { ...unquote(t.slice(a, e)) } : undefined;
    const apply = m[1] === "popd" ? () => null : cdTarget(arg?.word ?? "", arg?.dynamic ?? false, region, repoRoot);
    // In a subshell `( … && cd x …`: a `(` before it on the line, no `)`, and right before it `(`, `&&` or `;`.
    let b = m.index;
    while (b > lineStart && (t[b - 1] === " " || t[b - 1] === "\t")) b--;
    const subshell = quotes.open && !quotes.close && (t[b - 1] === "(" || t[b - 1] === ";" || (t[b - 1] === "&" && t[b - 2] === "&"));
    let scopeEnd = region.end;
    if (region.cdScope === "line" || subshell) {
      if (m.index < lineEnd.from || m.index > lineEnd.to) lineEnd = { from: m.index, to: logicalLineEnd(t, m.index, region.end) };
      scopeEnd = lineEnd.to;
    }
    out.push({ offset: m.index, scopeEnd, apply });
  }
  return out;
}

/**
 * The working directories at each of increasing offsets. A `cd` whose scope has ended before an
 * offset has ended for every later one, so the `cd`s before the first one still in scope are
 * folded once into a base, and only those still in scope are applied again.
 */
function cwdTracker(region: ShellRegion, cds: CdEvent[]): (offset: number) => (string | null)[] {
  let base = [...region.cwds];
  let folded = 0;
  const apply = (cwds: (string | null)[], cd: CdEvent) => cwds.map((c) => bounded(cd.apply(c)));
  return (offset) => {
    while (folded < cds.length && cds[folded]!.offset < offset && (cds[folded]!.scopeEnd < offset || cds[folded]!.scopeEnd >= region.end)) {
      if (cds[folded]!.scopeEnd >= offset) base = apply(base, cds[folded]!);
      folded++;
    }
    let cwds = base;
    for (let i = folded; i < cds.length && cds[i]!.offset < offset; i++) if (cds[i]!.scopeEnd >= offset) cwds = apply(cwds, cds[i]!);
    return cwds;
  };
}

/** A working directory path longer than any real one (`cd x` thousands of times) is unknown. */
function bounded(cwd: string | null): string | null {
  return cwd !== null && cwd.length > 4096 ? null : cwd;
}

/**
 * A simple one-line command, where `NAME=value` can go right before docker: on one line, with nothing
 * in front of it in its simple command but keywords (`if`, `then`, `!` …), make's recipe prefixes and
 * variable assignments (`front`: the words wordsBefore found).
 */
function isSimpleOneLine(cmd: ParsedCommand, front: string[]): boolean {
  if (cmd.multiline || cmd.sudo) return false;
  return front.every((w) => /^[@+-]*$/.test(w) || /^[@+-]*[A-Za-z_]\w*=/.test(w) || PREFIX_KEYWORDS.has(w));
}
const PREFIX_KEYWORDS = new Set(["if", "then", "else", "elif", "while", "until", "do", "!", "{"]);

/** Start of the logical line holding `offset` (continued lines joined), not before `from`. */
function logicalLineStart(t: string, lines: LineIndex, offset: number, from: number): number {
  let ls = lines.lineStart(offset);
  while (ls > from) {
    const prev = t[ls - 2] === "\r" ? ls - 3 : ls - 2;
    if (prev < from || t[prev] !== "\\") break;
    ls = lines.lineStart(prev);
  }
  return Math.max(ls, from);
}

/** The words in front of a build command within its simple command (from `from`, after the last operator), quotes removed. */
export function wordsBefore(t: string, from: number, cmdStart: number): string[] {
  let words: string[] = [];
  let i = from;
  while (i < cmdStart) {
    const c = t[i]!;
    if (c === " " || c === "\t") i++;
    else if (c === "\\" && (t[i + 1] === "\n" || (t[i + 1] === "\r" && t[i + 2] === "\n"))) i += t[i + 1] === "\n" ? 2 : 3;
    else if (c === "<" || c === ">") {
      // A redirection and its target.
      while (i < cmdStart && /[<>&]/.test(t[i]!)) i++;
      while (i < cmdStart && (t[i] === " " || t[i] === "\t")) i++;
      const e = readWord(t, i, cmdStart);
      if (e < 0) return [];
      i = Math.max(e, i + 1);
    } else if (WORD_STOP.test(c)) {
      words = [];
      i++;
    } else {
      const e = readWord(t, i, cmdStart);
      // An open quote or substitution: the build is a command of its own inside it.
      if (e < 0) return [];
      if (e === i) {
        i++;
        continue;
      }
      const raw = t.slice(i, e);
      if (!(/^\d+$/.test(raw) && (t[e] === "<" || t[e] === ">"))) words.push(unquote(raw).word);
      i = e;
    }
  }
  return words;
}

function secretFlag(id: string, src: { env?: string; file?: string }): string {
  return src.env !== undefined ? `--secret id=${id},env=${src.env}` : `--secret id=${id},src=${src.file}`;
}

/** Rewrite every build command of a region. */
export function rewriteRegion(o: ShellOptions, region: ShellRegion): RegionResult {
  const res = emptyResult();
  const t = o.text;
  const removed = removedArgNames(o.migrations);
  const cds = findCds(t, region, o.repoRoot, o.lines);
  const cwdsAt = cwdTracker(region, cds);
  const commands = findCommands(t, region.start, region.end, o.lines);
  const covered: [number, number][] = [];
  let prevEnd = region.start;
  for (const cmd of commands) {
    covered.push([cmd.cmdStart, cmd.end]);
    for (const a of cmd.buildArgs) {
      if (!removed.has(a.name)) continue;
      if (a.literal) res.literals.push(a.literal);
      const feeder = a.value === undefined ? null : /^\$\$?(?:([A-Za-z_]\w*)|\{([A-Za-z_]\w*)\}|\(([A-Za-z_]\w*)\))$/.exec(a.value);
      if (feeder) res.feeders.push((feeder[1] ?? feeder[2] ?? feeder[3])!);
    }
    // What runs docker: from the end of the previous build at most, which keeps the scan linear.
    const front = wordsBefore(t, Math.max(prevEnd, logicalLineStart(t, o.lines, cmd.cmdStart, region.start)), cmd.cmdStart);
    prevEnd = cmd.end;
    const passed = cmd.buildArgs.filter((a) => removed.has(a.name) || (a.dynamicName && [...removed].some((n) => t.slice(a.start, a.end).includes(n))));
    const cwds = [...new Set(cwdsAt(cmd.cmdStart))];
    const resolutions = cwds.map((c) => ({ cwd: c, r: resolveCommand(cmd, c) }));
    const matched = new Map<number, { cwd: string; context: string | null }[]>();
    let unsure = false;
    for (const { cwd, r } of resolutions) {
      if (r === null || cwd === null) {
        unsure = true;
        continue;
      }
      for (const i of migrationsFor(o.migrations, r.dockerfiles)) {
        const list = matched.get(i) ?? [];
        list.push({ cwd, context: r.context });
        matched.set(i, list);
      }
    }
    const line = o.lines.line(cmd.cmdStart);
    const names = [...new Set(passed.map((a) => a.name))].join(", ");
    if (matched.size !== 1) {
      if (passed.length === 0) continue;
      let reason: string;
      if (matched.size > 1) {
        const which = [...matched.keys()].map((i) => display(o.repoRoot, o.migrations[i]!.dockerfile)).join(" or ");
        reason = `passes --build-arg ${names}, but the command may build ${which} depending on the working directory; migrate it by hand`;
      } else if (unsure || matched.size === 0) {
        const tried = resolutions
          .filter((x) => x.r && x.r.dockerfiles.length)
          .map((x) => display(o.repoRoot, x.r!.dockerfiles[0]!));
        reason =
          tried.length && !unsure
            ? `passes --build-arg ${names}, removed from a rewritten Dockerfile, but builds ${[...new Set(tried)].join(" or ")}, which was not rewritten; check it`
            : `passes --build-arg ${names}, but the Dockerfile or context it builds cannot be determined for sure; migrate it by hand`;
      } else reason = `passes --build-arg ${names}; migrate it by hand`;
      res.manual.push({ line, reason });
      continue;
    }
    const [index, where] = [...matched.entries()][0]!;
    const m = o.migrations[index]!;
    const ids = new Map(m.args.map((a) => [a.name, a.id]));
    // An ssh key the builder's agent now stands in for: its argument goes and --ssh comes.
    const sshArgs = new Set(m.args.filter((a) => a.ssh).map((a) => a.name));
    const needs = [...m.files.map((f) => `--secret id=${f.id},src=…`), ...(m.ssh ?? []).map((id) => `--ssh ${id}`)].join(" ");
    const mine = cmd.buildArgs.filter((a) => ids.has(a.name));
    // Other interpretations that did not resolve, or file secrets whose relative path depends on the cwd: not sure.
    const contexts = new Set(where.map((w) => `${w.cwd}\0${w.context}`));
    if (unsure || (contexts.size > 1 && m.files.length > 0)) {
      if (mine.length > 0 || passed.length > 0)
        res.manual.push({ line, reason: `passes --build-arg ${names || mine.map((a) => a.name).join(", ")}, but the working directory of the command is not known for sure; migrate it by hand` });
      else if (needs !== "")
        res.manual.push({ line, reason: `builds ${display(o.repoRoot, m.dockerfile)}, which now needs ${needs}, but the working directory is not known for sure; add it by hand` });
      continue;
    }
    const wrapper = wrapperProblem(front);
    if (wrapper !== null) {
      if (mine.length > 0) res.manual.push({ line, reason: `passes --build-arg ${[...new Set(mine.map((a) => a.name))].join(", ")}, but ${wrapper}; migrate it by hand` });
      else if (needs !== "") res.manual.push({ line, reason: `builds ${display(o.repoRoot, m.dockerfile)}, which now needs ${needs}, but ${wrapper}; add it by hand` });
      continue;
    }
    const { cwd, context } = where[0]!;
    // Decide every argument first: a command is rewritten completely or not at all.
    const plan: { arg: BuildArgUse; id: string; env: string; prefix: string | null; ssh?: true }[] = [];
    const problems: { line: number; reason: string }[] = [];
    // docker keeps the last --build-arg of a name: that one's value is migrated, the earlier ones go.
    const last = new Map(mine.map((a) => [a.name, a]));
    const earlier = mine.filter((a) => last.get(a.name) !== a);
    // Assignments already in front of docker apply before a moved value is expanded: not movable past them.
    const assignedInFront = front.filter((w) => /^[A-Za-z_]\w*=/.test(w)).map((w) => w.slice(0, w.indexOf("=")));
    let needsPrefix = false;
    for (const a of last.values()) {
      const id = ids.get(a.name)!;
      if (sshArgs.has(a.name)) {
        plan.push({ arg: a, id, env: "", prefix: null, ssh: true });
        continue;
      }
      const src = o.classify(a.name, a.value, cmd.cmdStart, region);
      if (src.kind === "manual") problems.push({ line: o.lines.line(a.start), reason: src.reason });
      else if (src.kind === "env") plan.push({ arg: a, id, env: src.variable, prefix: null });
      else if (src.kind === "stepEnv") {
        plan.push({ arg: a, id, env: src.variable, prefix: null });
        res.stepEnv.push({ name: src.variable, expression: src.expression, line: o.lines.line(a.start) });
      } else {
        needsPrefix = true;
        const clash = assignedInFront.find((v) => v === a.name || (a.argRaw !== null && new RegExp(`\\$\\{?${v}\\b`).test(a.argRaw)));
        // A quoted value that runs over lines would carry those lines (and any command in them) along.
        if (!o.prefixAllowed || a.argRaw === null || /[\r\n]/.test(a.argRaw))
          problems.push({ line: o.lines.line(a.start), reason: `--build-arg ${a.name} takes its value from an expression that cannot be moved in this file; pass it with --secret id=${id},env=${a.name} by hand` });
        else if (clash !== undefined)
          problems.push({ line: o.lines.line(a.start), reason: `--build-arg ${a.name} takes its value from an expression, and the command already sets ${clash} in front of docker; set ${a.name} before the command and pass --secret id=${id},env=${a.name} by hand` });
        else plan.push({ arg: a, id, env: a.name, prefix: a.argRaw });
      }
    }
    if (needsPrefix && problems.length === 0 && !isSimpleOneLine(cmd, front))
      problems.push({
        line,
        reason: `--build-arg ${plan.filter((p) => p.prefix).map((p) => p.arg.name).join(", ")} takes its value from an expression, and the command is not a simple one-line command; set the variable before the command and pass --secret id=…,env=… by hand`,
      });
    if (problems.length) {
      res.manual.push(...problems);
      res.stepEnv.length = 0;
      continue;
    }
    const have = new Set(cmd.secretIds);
    const prefixes: string[] = [];
    for (const a of earlier) {
      res.edits.push(removeToken(t, a.start, a.end, o.lines));
      res.changes.push({ line: o.lines.line(a.start), description: `removed --build-arg ${a.name} (docker uses the last --build-arg ${a.name})` });
    }
    for (const p of plan) {
      const l = o.lines.line(p.arg.start);
      if (p.ssh) {
        res.edits.push(removeToken(t, p.arg.start, p.arg.end, o.lines));
        res.changes.push({ line: l, description: `removed --build-arg ${p.arg.name} (the ssh key now comes from the builder's ssh agent: --ssh)` });
      } else if (have.has(p.id)) {
        res.edits.push(removeToken(t, p.arg.start, p.arg.end, o.lines));
        res.changes.push({ line: l, description: `removed --build-arg ${p.arg.name} (secret ${p.id} already passed)` });
      } else {
        const flag = secretFlag(p.id, { env: p.env });
        res.edits.push({ start: p.arg.start, end: p.arg.end, text: flag });
        res.changes.push({ line: l, description: `--build-arg ${p.arg.name} → ${flag}` });
        have.add(p.id);
      }
      if (p.prefix) prefixes.push(p.prefix);
    }
    if (prefixes.length) {
      res.edits.push({ start: cmd.cmdStart, end: cmd.cmdStart, text: prefixes.map((p) => `${p} `).join("") });
      res.changes.push({ line, description: `the value of ${plan.filter((p) => p.prefix).map((p) => p.arg.name).join(", ")} is now set in the command's environment` });
    }
    for (const p of plan)
      if (p.arg.literal)
        res.manual.push({
          line: o.lines.line(p.arg.start),
          reason: `${p.arg.name} is hard-coded here: it now reaches the build as a secret, but it is in the repository's history; rotate it and supply it from the environment or a secret store`,
        });
    const fileFlags: string[] = [];
    for (const f of m.files) {
      if (have.has(f.id)) continue;
      const src = relPath(cwd, secretFilePath(m, f, context));
      if (!isPlainPathText(src)) {
        res.manual.push({ line, reason: `add --secret id=${f.id},src=${src} (the path needs quoting)` });
        continue;
      }
      fileFlags.push(secretFlag(f.id, { file: src }));
      have.add(f.id);
    }
    // The agent forward, unless the command already passes one (`--ssh default=$SSH_AUTH_SOCK`).
    if (!/(?:^|\s)--ssh(?:[=\s]|$)/.test(t.slice(cmd.cmdStart, cmd.end))) for (const id of m.ssh ?? []) fileFlags.push(`--ssh ${id}`);
    if (fileFlags.length) {
      res.edits.push(insertFlags(t, cmd, fileFlags, o.lines));
      for (const f of fileFlags) res.changes.push({ line, description: `added ${f}` });
    }
  }
  // A removed argument passed by a command this scanner did not recognise.
  const re = /--build-arg(?:=|[ \t]+)["']?([A-Za-z_]\w*)/g;
  const text = t.slice(0, region.end);
  let next = 0;
  let reported = 0;
  re.lastIndex = region.start;
  let mm: RegExpExecArray | null;
  while ((mm = re.exec(text))) {
    if (!removed.has(mm[1]!)) continue;
    // Both in increasing order: one pass over the commands.
    while (next < covered.length && covered[next]![1] <= mm.index) next++;
    if (next < covered.length && covered[next]![0] <= mm.index) continue;
    const lit = looseLiteral(t, mm.index + mm[0].length, region.end, mm[1]!);
    if (lit) res.literals.push(lit);
    const lineFrom = Math.max(region.start, o.lines.lineStart(mm.index));
    if (/^\s*#/.test(t.slice(lineFrom, mm.index))) continue;
    if (reported++ < MAX_COMMANDS) res.manual.push({ line: o.lines.line(mm.index), reason: `passes --build-arg ${mm[1]} in a command unbake does not recognise as a build; migrate it by hand` });
  }
  if (reported > MAX_COMMANDS) res.manual.push({ line: o.lines.line(region.end), reason: `and ${reported - MAX_COMMANDS} more such commands; migrate them by hand` });
  return res;
}

const LOOSE_WINDOW = 4096;

/** The value after `--build-arg NAME` outside a recognised command (in quotes, a comment, another tool): `=` then a quoted string or a plain run. */
function looseLiteral(t: string, i: number, end: number, name: string): Literal | null {
  const q0 = t[i - name.length - 1];
  if (t[i] !== "=") return null;
  const s = i + 1;
  const q = t[s];
  // Looked for within a bounded window: many such arguments on one line stay linear.
  const stop = Math.min(end, s + LOOSE_WINDOW);
  let e: number;
  if ((q === '"' || q === "'") && q !== q0) {
    e = t.slice(s + 1, stop).indexOf(q);
    if (e < 0) return null;
    e += s + 2;
  } else {
    e = s;
    while (e < stop && !/[\s"'`;&|<>()]/.test(t[e]!)) e++;
  }
  const raw = t.slice(s, e);
  if (raw === "" || /[$`]/.test(raw)) return null;
  return { start: s, end: e, value: unquote(raw).word };
}

/** Remove a `--build-arg X` span with the blank before it, or its whole line when it stands alone on a continued line. */
function removeToken(t: string, start: number, end: number, lines: LineIndex): Edit {
  const ls = lines.lineStart(start);
  const le = lines.lineEnd(end);
  const before = t.slice(ls, start);
  const after = t.slice(end, le);
  if (/^\s*$/.test(before) && /^\s*\\$/.test(after)) return { start: ls, end: lines.lineEndAfterEol(end), text: "" };
  let s = start;
  while (s > ls && (t[s - 1] === " " || t[s - 1] === "\t")) s--;
  return { start: s, end, text: "" };
}

/** Insert flags before the context argument (on a line of their own when the context stands alone on a continued line), or at the end. */
function insertFlags(t: string, cmd: ParsedCommand, flags: string[], lines: LineIndex): Edit {
  const ctx = cmd.positionals[cmd.positionals.length - 1];
  const joined = flags.join(" ");
  if (!ctx) return { start: cmd.end, end: cmd.end, text: ` ${joined}` };
  const ls = lines.lineStart(ctx.start);
  const before = t.slice(ls, ctx.start);
  if (/^[ \t]*$/.test(before) && ls > cmd.cmdStart) {
    const eol = t[ls - 2] === "\r" ? "\r\n" : "\n";
    return { start: ctx.start, end: ctx.start, text: flags.map((f) => `${f} \\${eol}${before}`).join("") };
  }
  return { start: ctx.start, end: ctx.start, text: `${joined} ` };
}

/** Standard value classification for shell: `$NAME`, `${NAME}` or nothing → the variable; anything else → prefix form. */
export function shellVariable(value: string): string | null {
  const m = /^\$(?:([A-Za-z_]\w*)|\{([A-Za-z_]\w*)\})$/.exec(value);
  return m ? (m[1] ?? m[2])! : null;
}
