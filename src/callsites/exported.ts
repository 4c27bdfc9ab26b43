/**
 * Is a variable certainly in the environment `docker build` starts with? A migrated build reads
 * its secret from docker's environment (`--secret id=…,env=VAR`), while `--build-arg NAME=$VAR`
 * only needed the shell to expand `$VAR`: a variable the script set without `export`
 * (`T=$(cat token)`) expands fine but never reaches docker, which then gets an empty secret.
 *
 * "Certainly exported" here means one of:
 * - an `export VAR` / `declare -x VAR` (or `typeset -x`, `local -x`) earlier in the same shell, or a
 *   name the caller knows is in the environment (a CI `env:` entry);
 * - the shell never assigns VAR and reads no other file (`source`, `.`, `eval`), so its value can
 *   only come from the environment the shell was started with, which is exported by definition.
 * Anything else — an assignment anywhere in the text, a `read`/`for`/`local`/`declare` of the name,
 * a sourced file — is not certain, and the caller moves the value into a command-scoped assignment
 * (`NAME="$VAR" docker build …`), which is right whether or not VAR was exported.
 * The scans are textual and over-approximate (a false "assigned" costs a redundant assignment),
 * and linear: the text is split once into simple commands, never searched with backtracking.
 */

export interface ShellScope {
  /** Where assignments are looked for (the whole shell the command runs in, or more). */
  from: number;
  to: number;
  /** Where an `export` still applies to the command (the start of its shell: the file, a make recipe line). */
  exportFrom: number;
}

const KEYWORDS = new Set(["if", "then", "else", "elif", "while", "until", "do", "!", "time", "{"]);
const SETTERS = new Set(["read", "mapfile", "readarray", "getopts", "for", "select", "local", "declare", "typeset", "readonly", "printf"]);

/** The words of each simple command (split at line ends and operators, blanks; quotes ignored), leading keywords dropped. */
function simpleCommands(t: string): string[][] {
  const out: string[][] = [];
  for (const seg of t.split(/[\n;&|(){}`]/)) {
    const words = seg.split(/[ \t\r]+/).filter(Boolean);
    let k = 0;
    while (k < words.length && KEYWORDS.has(words[k]!)) k++;
    if (k < words.length) out.push(words.slice(k));
  }
  return out;
}

const namesWord = (w: string, name: string): boolean => w === name || w.startsWith(`${name}=`) || w.startsWith(`${name}+=`) || w.startsWith(`${name}[`);

function exports(words: string[], name: string): boolean {
  const cmd = words[0]!;
  const opts = words.filter((w) => w.startsWith("-"));
  if (opts.some((o) => /^-\w*n/.test(o))) return false;
  const exporting = cmd === "export" || ((cmd === "declare" || cmd === "typeset" || cmd === "local") && opts.some((o) => /^-\w*x/.test(o)));
  return exporting && words.slice(1).some((w) => namesWord(w, name));
}

/** `VAR` is certainly in the environment of a command at offset `at` of shell text `t`. */
export function shellCertainlyExported(t: string, name: string, at: number, scope: ShellScope, known: ReadonlySet<string> = new Set()): boolean {
  if (known.has(name)) return true;
  if (simpleCommands(t.slice(scope.exportFrom, at)).some((w) => exports(w, name))) return true;
  return !shellAssigns(t.slice(scope.from, scope.to), name);
}

/** Does shell text assign `name` (other than by `export`), or read a file or string that could? */
export function shellAssigns(t: string, name: string): boolean {
  for (const words of simpleCommands(t)) {
    const cmd = words[0]!;
    if (cmd === "source" || cmd === "." || cmd === "eval") return true;
    if (exports(words, name)) continue;
    if (SETTERS.has(cmd) && words.some((w) => namesWord(w, name))) return true;
    // `NAME=…` as a word of its own, not an option's value (`--build-arg NAME=…`).
    for (let k = 0; k < words.length; k++) if (namesWord(words[k]!, name) && words[k] !== name && !(k > 0 && words[k - 1]!.startsWith("-"))) return true;
  }
  return false;
}

/** Non-recipe lines of a Makefile, comments cut. */
function makeLines(t: string): string[] {
  return t
    .split("\n")
    .filter((l) => !l.startsWith("\t"))
    .map((l) => {
      const c = l.indexOf("#");
      return (c < 0 ? l : l.slice(0, c)).trim();
    });
}

/**
 * A make variable `$(VAR)` in a recipe is certainly the value of VAR in the recipe's environment
 * when the Makefile exports it (`export VAR`, `.EXPORT_ALL_VARIABLES:`), or never sets it and
 * includes no other makefile: its value then comes from make's environment or command line, both of
 * which make exports to recipes (GNU make manual, "Communicating Variables to a Sub-make").
 */
export function makeCertainlyExported(t: string, name: string): boolean {
  let exported = false;
  for (const l of makeLines(t)) {
    const head = l.split("=")[0]!.replace(/(?::{1,3}|[?+!])$/, "");
    const words = head.split(/\s+/);
    if (words[0] === "unexport" && words.includes(name)) return false;
    if (/^\.EXPORT_ALL_VARIABLES\s*:/.test(l) || (words[0] === "export" && words.includes(name))) exported = true;
  }
  return exported || !makeAssigns(t, name);
}

/** A make-level assignment of `name` (global, target-specific, `define`, `$(eval …)`), or an include that could hold one. */
export function makeAssigns(t: string, name: string): boolean {
  for (const l of makeLines(t)) {
    const words = l.split(/\s+/);
    if (/^-?s?include$/.test(words[0]!)) return true;
    if (words[0] === "define" && words[1] === name) return true;
    const eq = l.indexOf("=");
    if (eq < 0) continue;
    const target = l.slice(0, eq).replace(/(?::{1,3}|[?+!])$/, "").trim().split(/[\s:;]+/).pop();
    if (target === name) return true;
  }
  // `$(eval NAME = …)`, in a recipe or not.
  for (const l of t.split("\n")) {
    const e = l.indexOf("eval");
    if (e < 0) continue;
    const rest = l.slice(e);
    let i = rest.indexOf(name);
    while (i >= 0) {
      if (/^[ \t]*(?::{1,3}|[?+!])?=/.test(rest.slice(i + name.length, i + name.length + 64))) return true;
      i = rest.indexOf(name, i + 1);
    }
  }
  return false;
}
