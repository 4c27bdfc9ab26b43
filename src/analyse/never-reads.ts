/**
 * Which RUNs cannot read a secret variable that reaches their environment, by the catalogue of
 * src/knowledge/never-read-credentials.ts: the mount stays off them. Anything the catalogue does
 * not cover (an unknown program, exec form, a program only `sh -c` or a heredoc runs, `env`
 * printing everything) may read it.
 */
import type { Instruction } from "../parse/dockerfile.js";
import type { ShellCommand } from "../parse/shell.js";
import { neverReads } from "../knowledge/never-read-credentials.js";
import { programOf, type RunScript } from "./run-script.js";

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** argv from the program on, or null for a command that runs nothing (assignments, redirections only). */
function argvOf(command: ShellCommand): string[] | null | "unknown" {
  const words = command.words.map((w) => w.value);
  const program = programOf(words);
  if (program) return [program.name, ...words.slice(program.index + 1)];
  // `env` or `sudo` alone print or run something programOf cannot name.
  return words.every((w) => ASSIGNMENT.test(w)) ? null : "unknown";
}

/** Does every command of the RUN never read the variable? */
export function runNeverReads(instr: Instruction, script: RunScript, variable: string): boolean {
  if (instr.json) return false;
  const commands = [...script.editable, ...script.readOnly];
  const direct = new Set<string>();
  let runs = 0;
  for (const c of commands) {
    const argv = argvOf(c);
    if (argv === null) continue;
    if (argv === "unknown" || !neverReads(argv, variable)) return false;
    direct.add(argv[0]);
    runs++;
  }
  // A program called only through `sh -c "…"`, `python -m` or a heredoc's reader is not among the commands.
  return runs > 0 && [...script.programs].every((p) => direct.has(p));
}

/**
 * Does the RUN call one of the programs that read the variable on their own, in a way that may
 * read it? `aws configure set default.region …` is aws, but reads no key.
 */
export function callsReader(script: RunScript, readers: readonly string[], variable: string): boolean {
  const called = readers.filter((r) => script.programs.has(r));
  if (called.length === 0) return false;
  const direct = new Set<string>();
  for (const c of [...script.editable, ...script.readOnly]) {
    const argv = argvOf(c);
    if (argv === null || argv === "unknown" || !called.includes(argv[0])) continue;
    if (!neverReads(argv, variable)) return true;
    direct.add(argv[0]);
  }
  return called.some((r) => !direct.has(r));
}
