/**
 * A credential a command stores in a file is no carrier when the same RUN deletes that file (or
 * a folder holding it) before the layer is written: `git clone https://…:$T@host/r.git /src &&
 * … && rm -rf /src/.git`. Only a deletion every successful run reaches counts: the store and
 * each command after it are joined by `&&` to the end of the RUN, so a failure before the `rm`
 * fails the build (no layer) instead of skipping it (README "Deleted in the same RUN").
 */
import { posix } from "node:path";
import type { Instruction } from "../parse/dockerfile.js";
import type { ShellCommand } from "../parse/shell.js";
import { programOf } from "./run-script.js";
import { contextOf, type AnalysisContext } from "./plan.js";

/** Options of `git clone` that take the next word as their value. */
const CLONE_VALUE_OPTIONS = new Set(["-b", "--branch", "-o", "--origin", "--depth", "-c", "--config", "--reference", "--reference-if-able", "-j", "--jobs", "--filter", "--template", "-u", "--upload-pack", "--shallow-since", "--shallow-exclude", "--server-option", "--bundle-uri"]);

/** Is the file `command` stores the credential in deleted later in `instr`, on every path that writes the layer? */
export function deletedLaterInRun(ctx: AnalysisContext, instr: Instruction, command: ShellCommand, rowId: string, argv: string[], writes: string): boolean {
  const list = ctx.script(instr).editable;
  const at = list.indexOf(command);
  if (at < 0 || list.slice(at + 1).some((c) => c.opBefore !== "&&")) return false;
  const { workdir, home } = contextOf(ctx, instr);
  let cwd = workdir;
  let file: string | null = null;
  for (let i = 0; i < list.length; i++) {
    const words = list[i].words.map((w) => w.value);
    const program = programOf(words);
    const args = program ? words.slice(program.index + 1) : [];
    if (i === at) {
      file = storedFile(rowId, argv, writes, cwd, home);
      if (!file) return false;
    } else if (program?.name === "cd" && words.length === program.index + 2) {
      const to = resolve(args[0], cwd, home);
      if (!to) return false;
      cwd = to;
    } else if (file && program?.name === "rm" && args.some((a) => /^-[a-zA-Z]*[rR]/.test(a) || a === "--recursive")) {
      if (args.filter((a) => !a.startsWith("-")).some((a) => covers(a, file!, cwd, home))) return true;
    } else if (file && program?.name === "rm" && args.filter((a) => !a.startsWith("-")).some((a) => resolve(a, cwd, home) === file)) {
      return true;
    }
  }
  return false;
}

/** The file a store writes, as an absolute path: a clone's `<dir>/.git/config`, a path row's own file. */
function storedFile(rowId: string, argv: string[], writes: string, cwd: string, home: string | null): string | null {
  if (rowId === "git-clone-url") {
    if (argv[1] !== "clone") return posix.join(cwd, ".git/config");
    if (argv.some((a) => a.startsWith("--separate-git-dir") || a === "--bare" || a === "--mirror")) return null;
    const operands: string[] = [];
    for (let i = 2; i < argv.length; i++) {
      if (CLONE_VALUE_OPTIONS.has(argv[i])) i++;
      else if (!argv[i].startsWith("-")) operands.push(argv[i]);
    }
    const dir = operands[1] ?? operands[0]?.replace(/\/+$/, "").split("/").pop()?.replace(/\.git$/, "");
    const abs = dir ? resolve(dir, cwd, home) : null;
    return abs ? posix.join(abs, ".git/config") : null;
  }
  return /^(?:~\/|\/)/.test(writes) ? resolve(writes, cwd, home) : null;
}

/** A word as an absolute path, or null when a variable or an unknown home is in it. */
function resolve(word: string, cwd: string, home: string | null): string | null {
  let p = word.replace(/^(["'])(.*)\1$/, "$2");
  const homeRef = /^(?:~|\$HOME|\$\{HOME\})(?=\/|$)/.exec(p);
  if (homeRef) {
    if (!home) return null;
    p = home + p.slice(homeRef[0].length);
  }
  if (p === "" || p.includes("$")) return null;
  return posix.resolve(cwd, p);
}

/** Does the `rm -r` operand (a path or a glob) delete the file or a folder holding it? */
function covers(operand: string, file: string, cwd: string, home: string | null): boolean {
  const path = resolve(operand, cwd, home);
  if (!path || path === "/") return false;
  // A glob's `*` or `?` at the start of a name does not match a leading dot (`rm -rf /src/*` keeps /src/.git).
  const glob = (c: string, i: number) => (path[i - 1] === "/" ? "(?!\\.)" : "") + (c === "*" ? "[^/]*" : "[^/]");
  const pattern = new RegExp(`^${path.split("").map((c, i) => (c === "*" || c === "?" ? glob(c, i) : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("")}$`);
  for (let p = file; p !== "/" && p !== "."; p = posix.dirname(p)) if (pattern.test(p)) return true;
  return false;
}
