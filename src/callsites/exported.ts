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
 * The scans are textual and over-approximate (a false "assigned" costs a redundant assignment).
 * Each text is scanned once into facts (names assigned, where each name is exported), so asking
 * about every build of a file costs a lookup each, not another pass.
 */

const KEYWORDS = new Set(["if", "then", "else", "elif", "while", "until", "do", "!", "time", "{"]);
const SETTERS = new Set(["read", "mapfile", "readarray", "getopts", "for", "select", "local", "declare", "typeset", "readonly", "printf", "unset"]);
const ASSIGNMENT = /^([A-Za-z_]\w*)(?:\[[^\]]*\])?\+?=/;
const NAME = /^[A-Za-z_]\w*/;

/** What a stretch of shell text does to its variables. */
export class ShellFacts {
  private readonly assigned = new Set<string>();
  private readonly exported = new Map<string, number[]>();
  private sources = false;

  constructor(t: string, from = 0, to = t.length) {
    let start = from;
    for (let i = from; i <= to; i++) {
      if (i < to && !"\n;&|(){}`".includes(t[i]!)) continue;
      this.command(t.slice(start, i), start);
      start = i + 1;
    }
  }

  /** One simple command (quotes ignored) starting at offset `at`. */
  private command(seg: string, at: number): void {
    const all = seg.split(/[ \t\r]+/).filter(Boolean);
    let k = 0;
    while (k < all.length && KEYWORDS.has(all[k]!)) k++;
    const words = all.slice(k);
    const cmd = words[0];
    if (cmd === undefined) return;
    if (cmd === "source" || cmd === "." || cmd === "eval") this.sources = true;
    const opts = words.filter((w) => w.startsWith("-"));
    const exporting =
      !opts.some((o) => /^-\w*n/.test(o)) && (cmd === "export" || ((cmd === "declare" || cmd === "typeset" || cmd === "local") && opts.some((o) => /^-\w*x/.test(o))));
    if (exporting) {
      for (const w of words.slice(1)) {
        const n = NAME.exec(w)?.[0];
        if (n === undefined || !(w === n || w[n.length] === "=" || w[n.length] === "+" || w[n.length] === "[")) continue;
        const list = this.exported.get(n);
        if (list) list.push(at);
        else this.exported.set(n, [at]);
      }
      return;
    }
    if (SETTERS.has(cmd)) {
      for (const w of words.slice(1)) {
        const n = NAME.exec(w)?.[0];
        if (n !== undefined) this.assigned.add(n);
      }
      return;
    }
    // `NAME=…` as a word of its own, not an option's value (`--build-arg NAME=…`).
    for (let j = 0; j < words.length; j++) {
      const m = ASSIGNMENT.exec(words[j]!);
      if (m && !(j > 0 && words[j - 1]!.startsWith("-"))) this.assigned.add(m[1]!);
    }
  }

  /** The text assigns `name` other than by `export`, or reads a file or string that could. */
  assigns(name: string): boolean {
    return this.sources || this.assigned.has(name);
  }

  /** An export of `name` starts in [from, at). */
  exportedBetween(name: string, from: number, at: number): boolean {
    return (this.exported.get(name) ?? []).some((o) => o >= from && o < at);
  }
}

/**
 * `name` is certainly in the environment of the command at offset `at`: exported in its shell
 * before it (from `exportFrom`, where that shell starts), known to be, or never assigned.
 */
export function certainlyExported(facts: ShellFacts, name: string, at: number, exportFrom: number, known: ReadonlySet<string> = new Set()): boolean {
  if (known.has(name)) return true;
  if (facts.exportedBetween(name, exportFrom, at)) return true;
  return !facts.assigns(name);
}

/** What a Makefile does to its variables, outside recipes (and `$(eval …)` anywhere). */
export class MakeFacts {
  private readonly assigned = new Set<string>();
  private readonly exported = new Set<string>();
  private readonly unexported = new Set<string>();
  private exportAll = false;
  private includes = false;

  constructor(t: string) {
    for (const raw of t.split("\n")) {
      const e = raw.indexOf("eval");
      // `$(eval NAME = …)`: every `NAME =` after it counts.
      if (e >= 0) for (const n of namesBeforeEquals(raw.slice(e))) this.assigned.add(n);
      if (raw.startsWith("\t")) continue;
      const c = raw.indexOf("#");
      const l = (c < 0 ? raw : raw.slice(0, c)).trim();
      const words = l.split(/\s+/);
      if (/^-?s?include$/.test(words[0]!)) this.includes = true;
      if (words[0] === "define" && words[1] !== undefined) this.assigned.add(words[1]);
      if (/^\.EXPORT_ALL_VARIABLES\s*:/.test(l)) this.exportAll = true;
      const eq = l.indexOf("=");
      const head = (eq < 0 ? l : l.slice(0, eq)).replace(/(?::{1,3}|[?+!])$/, "");
      const hw = head.split(/\s+/);
      if (hw[0] === "export") for (const w of hw.slice(1)) this.exported.add(w);
      if (hw[0] === "unexport") for (const w of hw.slice(1)) this.unexported.add(w);
      if (eq >= 0) {
        const target = head.trim().split(/[\s:;]+/).pop();
        if (target) this.assigned.add(target);
      }
    }
  }

  /**
   * A make variable `$(VAR)` in a recipe is certainly the value of VAR in the recipe's
   * environment when the Makefile exports it (`export VAR`, `.EXPORT_ALL_VARIABLES:`), or never
   * sets it and includes no other makefile: its value then comes from make's environment or
   * command line, both of which make exports to recipes (GNU make manual, "Communicating
   * Variables to a Sub-make").
   */
  certainlyExported(name: string): boolean {
    if (this.unexported.has(name)) return false;
    if (this.exportAll || this.exported.has(name)) return true;
    return !this.includes && !this.assigned.has(name);
  }
}

/** The name before each `=` (`NAME =`, `NAME :=`, `NAME+=` …), read backwards from the `=`. */
function namesBeforeEquals(s: string): string[] {
  const out: string[] = [];
  for (let i = s.indexOf("="); i >= 0; i = s.indexOf("=", i + 1)) {
    let j = i;
    while (j > 0 && i - j < 3 && "?+!:".includes(s[j - 1]!)) j--;
    while (j > 0 && (s[j - 1] === " " || s[j - 1] === "\t")) j--;
    let k = j;
    while (k > 0 && /\w/.test(s[k - 1]!)) k--;
    if (k < j && /[A-Za-z_]/.test(s[k]!)) out.push(s.slice(k, j));
  }
  return out;
}
