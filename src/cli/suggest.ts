/**
 * "Did you mean …?" for what a user typed: a command name taken for a path (`unbake chek`), a
 * misspelt rule (`unbake explain secret-args-env`).
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { closest } from "../config/config.js";

/** ` (did you mean "x"?)`, or "" when nothing is close. */
export function didYouMean(got: string, known: readonly string[]): string {
  const hint = closest(got, known);
  return hint === undefined ? "" : ` (did you mean ${hint}?)`;
}

/**
 * The first path argument, when it is no file or folder and looks like a command name: the
 * usage error to print instead of "no such file or directory". A path that exists is a path.
 */
export function mistypedCommand(argv: string[], commands: readonly string[], cwd: string): string | null {
  const first = argv.find((a) => !a.startsWith("-"));
  if (first === undefined || first !== argv[0] || commands.includes(first)) return null;
  if (!/^[a-z][a-z-]*$/.test(first) || existsSync(resolve(cwd, first))) return null;
  const hint = closest(first, commands);
  return hint === undefined ? null : `unknown command ${first} (did you mean ${hint}?); a path of that name does not exist`;
}
