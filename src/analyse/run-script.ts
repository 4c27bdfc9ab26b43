/**
 * What a RUN instruction executes: its simple commands (with ranges, so clean-up commands
 * can be deleted), the programs it calls, and whether it mentions a variable or a path.
 */
import { posix } from "node:path";
import type { Instruction, DockerfileModel } from "../parse/dockerfile.js";
import { splitShell, type ShellCommand, type ShellWord } from "../parse/shell.js";
import { variableReferences } from "../parse/expansions.js";
import type { InstructionContext } from "./build-context.js";

export interface RunScript {
  /** Top-level commands of the shell-form part on the RUN line(s): these may be edited. */
  editable: ShellCommand[];
  /** Commands in heredoc bodies, exec form or nested in compounds: read, never edited. */
  readOnly: ShellCommand[];
  /** The commands of each quoted script given to `sh -c`, `su USER -c` (also in readOnly): a clean-up there may go. */
  nested: ShellCommand[][];
  /** Program names called (basenames), from every part. */
  programs: Set<string>;
  /** The text to search for references: everything after the flags, heredoc bodies included. */
  text: string;
  /** Variables the RUN's shell expands (`$X`, `"${X}"`; also single-quoted text given to `sh -c`, `eval` …). */
  expands: Set<string>;
  /** Where each expanded reference starts (offsets in the file): which command of the RUN expands it. */
  expandedAt: { name: string; start: number }[];
  /**
   * Variables named only inside single quotes or after `\$`: the RUN passes `$X` on as text
   * (e.g. a credential helper stored by git config), read later when that text runs.
   */
  storesReference: Set<string>;
}

const WRAPPERS = new Set(["sudo", "env", "exec", "time", "nohup", "nice", "command", "xargs", "su-exec", "gosu", "chroot"]);
const SHELLS = new Set(["sh", "bash", "ash", "dash", "zsh"]);
/** Programs that run the text they are given as a shell script in the same RUN: single quotes do not stop expansion there. */
const RUNS_TEXT = new Set([...SHELLS, "eval", "su", "runuser", "xargs", "watch", "flock", "script"]);

export function readRunScript(model: DockerfileModel, instr: Instruction): RunScript {
  const { text, escape } = model;
  const editable: ShellCommand[] = [];
  const readOnly: ShellCommand[] = [];
  const programs = new Set<string>();
  const collect = (commands: ShellCommand[], into: ShellCommand[]) => {
    for (const c of commands) {
      into.push(c);
      addPrograms(c.words.map((w) => w.value), programs);
    }
  };

  if (instr.json) {
    addPrograms(
      instr.json.map((w) => w.value),
      programs,
    );
  } else if (instr.heredocs.length === 0) {
    // Only top-level commands are edited; those inside if/then, $( ) or { } are read only.
    for (const c of splitShell(text, instr.commandStart, instr.end, escape)) collect([c], c.depth === 0 ? editable : readOnly);
  } else {
    const headerEnd = lineStartBefore(text, instr.heredocs[0].bodyStart);
    const header = splitShell(text, instr.commandStart, headerEnd, escape);
    collect(header, readOnly);
    // The body is a shell script when the RUN line names no program (or a shell) to read it.
    const reader = header.find((c) => c.words.length > 0 && !c.words[0].value.startsWith("<<"))?.words[0]?.value;
    const shellBody = !reader || SHELLS.has(posix.basename(reader));
    for (const h of instr.heredocs) {
      if (shellBody) collect(splitShell(text, h.bodyStart, h.bodyEnd, escape, true), readOnly);
    }
  }
  const nested: ShellCommand[][] = [];
  // `sh -c "…"`, `su www-data -c "…"`: the quoted script is read like the RUN's own commands.
  for (let k = 0; k < readOnly.length + editable.length; k++) {
    const c = k < editable.length ? editable[k] : readOnly[k - editable.length];
    const inner = quotedScript(text, c);
    if (!inner) continue;
    const list = splitShell(text, inner.start, inner.end, escape);
    collect(list, readOnly);
    nested.push(list);
  }
  const expands = new Set<string>();
  const expandedAt: { name: string; start: number }[] = [];
  const literal = new Set<string>();
  const inShell = shellRanges([...editable, ...readOnly]);
  for (const ref of variableReferences(text, instr.commandStart, instr.end, escape)) {
    if (!ref.literal || instr.json || inShell(ref.start)) {
      expands.add(ref.name);
      expandedAt.push({ name: ref.name, start: ref.start });
    } else literal.add(ref.name);
  }
  const storesReference = new Set([...literal].filter((n) => !expands.has(n)));
  return { editable, readOnly, nested, programs, text: text.slice(instr.commandStart, instr.end), expands, expandedAt, storesReference };
}

/**
 * Does a command of the RUN run as another user (`su USER -c`, `runuser`, `gosu`, `su-exec`,
 * `sudo -u`)? A file it reads must be readable by that user, not only by root.
 */
export function runsAsOtherUser(script: RunScript): boolean {
  return [...script.editable, ...script.readOnly].some((c) => {
    const words = c.words.map((w) => w.value);
    const program = programOf(words);
    if (!program) return false;
    if (program.name === "su" || program.name === "runuser") return true;
    return words.slice(0, program.index).some((w, i, all) => {
      const base = posix.basename(w);
      return base === "gosu" || base === "su-exec" || (base === "sudo" && all.slice(i + 1).some((f) => f === "-u" || f.startsWith("--user")));
    });
  });
}

/** Programs whose `-c` option takes a shell script: the shells, `su USER -c`, `runuser -l USER -c`. */
const TAKES_SCRIPT = new Set([...SHELLS, "su", "runuser"]);

/**
 * The range of the script a command gives to `-c`, inside its quotes, when the word is one
 * quoted string whose text is read as written (no other quote of its kind, no expansion that
 * would change its words): else null, and only the programs of its value count.
 */
function quotedScript(text: string, command: ShellCommand): { start: number; end: number } | null {
  const words = command.words.map((w) => w.value);
  const program = programOf(words);
  if (!program || !TAKES_SCRIPT.has(program.name)) return null;
  const c = words.indexOf("-c", program.index + 1);
  const word = c === -1 ? undefined : command.words[c + 1];
  if (!word) return null;
  const raw = text.slice(word.start, word.end);
  const q = raw[0];
  if ((q !== '"' && q !== "'") || raw.length < 2 || raw[raw.length - 1] !== q) return null;
  const body = raw.slice(1, -1);
  if (q === "'" ? body.includes("'") : /(?:^|[^\\])"|\\\\|\$\(|`/.test(body)) return null;
  return { start: word.start + 1, end: word.end - 1 };
}

/**
 * Is an offset inside a command that runs its words as a shell script (`sh -c '…'`, `eval`)?
 * Asked with growing offsets: a pointer walks the sorted ranges once.
 */
function shellRanges(commands: ShellCommand[]): (offset: number) => boolean {
  const ranges = commands
    .filter((c) => {
      const program = programOf(c.words.map((w) => w.value));
      return program !== null && RUNS_TEXT.has(program.name);
    })
    .map((c) => ({ start: c.start, end: c.end }))
    .sort((a, b) => a.start - b.start);
  let k = 0;
  return (offset) => {
    while (k < ranges.length && ranges[k].end <= offset && ranges[k].start <= offset) k++;
    for (let j = k; j < ranges.length && ranges[j].start <= offset; j++) if (ranges[j].end > offset) return true;
    return false;
  };
}

/** Does the RUN read the variable at build time: its shell expands it, or a program names it in quotes (os.environ["X"])? */
export function readsVariable(script: RunScript, name: string): boolean {
  return script.expands.has(name) || (!script.storesReference.has(name) && mentionsVariable(script.text, name));
}

function lineStartBefore(text: string, offset: number): number {
  let end = offset;
  if (text[end - 1] === "\n") end--;
  if (text[end - 1] === "\r") end--;
  return end;
}

/** Wrapper flags that take a value (`sudo -u app npm ci`: npm is the program, not app). */
const FLAGS_WITH_VALUE: Record<string, Set<string>> = {
  sudo: new Set(["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U"]),
  env: new Set(["-u", "-C", "-S"]),
  nice: new Set(["-n"]),
  time: new Set(["-f", "-o"]),
};
/** Wrappers whose first operand is not the program: `gosu USER cmd`, `su-exec USER cmd`, `chroot DIR cmd`. */
const OPERANDS_BEFORE_PROGRAM: Record<string, number> = { gosu: 1, "su-exec": 1, chroot: 1 };

/** The program a command runs, after env assignments and wrappers such as sudo. */
export function programOf(words: string[]): { name: string; index: number } | null {
  let i = 0;
  while (i < words.length) {
    const w = words[i];
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) {
      i++;
      continue;
    }
    const base = posix.basename(w);
    if (WRAPPERS.has(base)) {
      i++;
      const valued = FLAGS_WITH_VALUE[base];
      while (i < words.length && words[i].startsWith("-")) i += valued?.has(words[i]) ? 2 : 1;
      i += OPERANDS_BEFORE_PROGRAM[base] ?? 0;
      continue;
    }
    return { name: base, index: i };
  }
  return null;
}

function addPrograms(words: string[], into: Set<string>): void {
  const program = programOf(words);
  if (!program) return;
  into.add(program.name);
  const rest = words.slice(program.index + 1);
  // `python -m pip`, `sh -c "npm ci"`: the real program is further in.
  if (/^python[0-9.]*$/.test(program.name) && rest[0] === "-m" && rest[1]) into.add(rest[1]);
  if (SHELLS.has(program.name)) {
    const c = rest.indexOf("-c");
    if (c !== -1 && rest[c + 1]) {
      const script = rest[c + 1];
      for (const cmd of splitShell(script, 0, script.length, "\\", true)) addPrograms(cmd.words.map((w) => w.value), into);
    }
  }
}

/** Does the text use the variable ($X, ${X}, ${X:-…}), or name it in quotes (os.environ["X"])? */
export function mentionsVariable(text: string, name: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(name, from);
    if (at === -1) return false;
    from = at + 1;
    const after = text[at + name.length];
    if (after !== undefined && /[A-Za-z0-9_]/.test(after)) continue;
    const before = text[at - 1];
    if (before === "$" && (text[at - 2] !== "$" || text[at - 3] === "$")) return true;
    if (before === "{" && text[at - 2] === "$") return true;
    if ((before === '"' || before === "'") && after === before) return true;
  }
}

/** The ways a RUN may spell an absolute image path: as is, relative to WORKDIR, from ~ or $HOME. */
export function pathSpellings(path: string, ctx: InstructionContext): string[] {
  const spellings = [path];
  if (ctx.home && path.startsWith(ctx.home + "/")) {
    const rest = path.slice(ctx.home.length);
    spellings.push("~" + rest, "$HOME" + rest, "${HOME}" + rest);
  }
  if (ctx.workdir !== "/" && path.startsWith(ctx.workdir + "/")) {
    const rel = path.slice(ctx.workdir.length + 1);
    spellings.push(rel, "./" + rel);
  } else if (ctx.workdir === "/") {
    spellings.push(path.slice(1), "." + path);
  }
  return spellings;
}

const PATH_BOUNDARY_BEFORE = /[\s"'=:(`;|&<>,]/;
const PATH_BOUNDARY_AFTER = /[\s"'`;|&<>),/]/;

/** Does the text name the path (any spelling) as a whole path token, or as a path within it? */
export function mentionsPath(text: string, spellings: string[]): boolean {
  for (const s of spellings) {
    let from = 0;
    for (;;) {
      const at = text.indexOf(s, from);
      if (at === -1) break;
      from = at + 1;
      const before = at === 0 ? " " : text[at - 1];
      const after = at + s.length >= text.length ? " " : text[at + s.length];
      if (PATH_BOUNDARY_BEFORE.test(before) && PATH_BOUNDARY_AFTER.test(after)) return true;
    }
  }
  return false;
}

/** A word as an absolute image path, when it is a plain path (no globs or unknown variables). */
export function wordAsPath(word: ShellWord, ctx: InstructionContext): string | null {
  const v = word.value;
  if (v === "" || /[*?[\]]/.test(v)) return null;
  let p = v;
  const homeRef = /^(?:~|\$HOME|\$\{HOME\})(?=\/|$)/.exec(p);
  if (homeRef) {
    if (!ctx.home) return null;
    p = ctx.home + p.slice(homeRef[0].length);
  }
  if (p.includes("$")) return null;
  return posix.resolve(ctx.workdir, p);
}

/**
 * Can an `export NAME="$(cat …)" && ` open this RUN's script? Any shell-form RUN, a compound
 * one too (`export … && if …; fi` is one list); not the exec form or a heredoc body, whose
 * commands no text before them reaches.
 */
export function takesExport(instr: Instruction): boolean {
  return !instr.json && instr.heredocs.length === 0;
}
