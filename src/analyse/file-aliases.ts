/**
 * Commands that put a copy of a file somewhere else (REFERENCE §9, last row): `cp`, `mv`,
 * `install`, `ln` and `cat file > other`. Of a secret file, the copy keeps the value in the
 * RUN's layer; the rewrite mounts the secret where the copy was read instead, and the command
 * that only made the copy goes.
 */
import { posix } from "node:path";
import type { ShellCommand, ShellWord } from "../parse/shell.js";
import type { InstructionContext } from "./build-context.js";
import { programOf, wordAsPath } from "./run-script.js";

export interface Alias {
  /** Where the copy is (absolute). */
  path: string;
  /** The original is gone afterwards (`mv`). */
  moves: boolean;
  uid?: string;
  gid?: string;
  mode?: string;
}

/** Per program: the flags that take a value (the rest are switches). */
const COPIERS: Record<string, { valued: ReadonlySet<string>; moves: boolean }> = {
  cp: { valued: new Set(["-S", "--suffix"]), moves: false },
  mv: { valued: new Set(["-S", "--suffix"]), moves: true },
  install: { valued: new Set(["-m", "--mode", "-o", "--owner", "-g", "--group", "-S", "--suffix"]), moves: false },
  ln: { valued: new Set(["-S", "--suffix"]), moves: false },
};

export const ALIAS_PROGRAMS: readonly string[] = [...Object.keys(COPIERS), "cat"];

/**
 * The copy this command makes of the file at `path`: null when it makes none, "unknown" when it
 * names the file in a form this does not follow (a target folder given with -t, a glob …).
 * `isFolder` answers whether a destination path is an existing folder.
 */
export function aliasOf(
  command: ShellCommand,
  path: string,
  ctx: InstructionContext,
  isFolder: (p: string) => boolean,
): Alias | "unknown" | null {
  const words = command.words.map((w) => w.value);
  const program = programOf(words);
  if (!program) return null;
  const names = (w: ShellWord) => wordAsPath(w, ctx) === path;
  const args = command.words.slice(program.index + 1);
  if (program.name === "cat") {
    if (!args.some(names)) return null;
    // Printed (to the log, /dev/null, a pipe), not copied: a read.
    const out = command.redirects.filter((r) => (r.op === ">" || r.op === ">>" || r.op === ">|") && !/^\/(?:dev|proc)\//.test(r.target.value));
    if (out.length === 0) return null;
    const to = out.length === 1 && args.length === 1 && out[0].op !== ">>" ? wordAsPath(out[0].target, ctx) : null;
    return to === null ? "unknown" : { path: to, moves: false };
  }
  const spec = COPIERS[program.name];
  if (!spec) return null;
  const operands: ShellWord[] = [];
  const values = new Map<string, string>();
  let optionsEnd = false;
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value;
    if (optionsEnd || !v.startsWith("-") || v === "-") {
      operands.push(args[i]);
      continue;
    }
    if (v === "--") {
      optionsEnd = true;
      continue;
    }
    const eq = v.indexOf("=");
    const flag = v.startsWith("--") && eq !== -1 ? v.slice(0, eq) : v;
    if (flag === "-t" || flag === "--target-directory" || (program.name === "install" && (flag === "-d" || flag === "--directory"))) {
      return operands.some(names) || args.slice(i).some(names) ? "unknown" : null;
    }
    if (spec.valued.has(flag)) {
      const value = eq !== -1 && v.startsWith("--") ? v.slice(eq + 1) : args[++i]?.value;
      if (value !== undefined) values.set(flag.replace(/^--(\w)\w*$/, "-$1"), value);
    } else if (/^-[a-zA-Z]*[mog]$/.test(v) && program.name === "install" && spec.valued.has(`-${v.slice(-1)}`)) {
      // `install -Dm 600 …`: the last letter of a cluster takes the value.
      const value = args[++i]?.value;
      if (value !== undefined) values.set(`-${v.slice(-1)}`, value);
    }
  }
  if (operands.length < 2) return null;
  const sources = operands.slice(0, -1);
  if (!sources.some(names)) return null;
  const dest = operands[operands.length - 1];
  const to = wordAsPath(dest, ctx);
  if (to === null) return "unknown";
  const intoFolder = sources.length > 1 || dest.value.endsWith("/") || isFolder(to);
  const alias: Alias = { path: intoFolder ? posix.join(to, posix.basename(path)) : to, moves: spec.moves };
  const mode = values.get("-m");
  if (mode !== undefined) {
    if (!/^[0-7]{3,4}$/.test(mode)) return "unknown";
    alias.mode = mode.padStart(4, "0");
  }
  const owner = values.get("-o");
  const group = values.get("-g");
  if (owner !== undefined || group !== undefined) {
    if ((owner !== undefined && !/^\d+$/.test(owner)) || (group !== undefined && !/^\d+$/.test(group))) return "unknown";
    alias.uid = owner ?? "0";
    alias.gid = group ?? owner ?? "0";
  }
  return alias;
}
