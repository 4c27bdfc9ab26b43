/**
 * The tool catalogue's row types (STYLE direction 1): one entry per tool, holding what the
 * analysis needs to know about it as data — the programs that are the tool, the commands that
 * store a credential in a file (REFERENCE §9), what they write, who reads that file, and the
 * file-free form the tool reads instead.
 */

/**
 * One part of a file-free form. `env`: one variable; `git`: one `GIT_CONFIG_KEY_n`/`VALUE_n`
 * pair (numbered when a command gets them); `composer`: one entry of the COMPOSER_AUTH JSON.
 * Values are shell text as the storing command's words held it after quote removal
 * (`https://${TOKEN}@github.com/`): they are written back in double quotes, so `$` still expands.
 */
export type Piece =
  | { kind: "env"; name: string; value: string }
  | { kind: "git"; key: string; value: string }
  | { kind: "composer"; section: string; host: string; value: string | { username: string; password: string } };

export interface StoringCommand {
  /** Names the row in messages and fixtures (`git-config`, `composer-config`, …). */
  id: string;
  /** Recognise the command: argv[0] is the program's basename, wrappers (sudo, env …) removed. */
  match(argv: readonly string[]): boolean;
  /** The file it writes, as the tool's documentation names it. */
  writes: string;
  /**
   * The file-free form for this command line: its pieces, or why this spelling of the command
   * has none the rewrite can give (a flag it does not know, a value piped in …).
   * Absent: the tool has no file-free form at all (see `manual`).
   */
  fileFree?(argv: readonly string[]): Piece[] | string;
  /**
   * The command also does something besides storing the credential (registers a package source):
   * it stays, without the argv words at these indexes, instead of going as a whole.
   */
  credentialWords?(argv: readonly string[]): number[];
  /** Absent fileFree: what a person has to do instead, for the `manual` finding. */
  manual?: string;
  /** Where the file-free form was checked; "unchecked" when it was not. */
  docs: string;
}

export interface Tool {
  name: string;
  /** The programs that read the files this tool's storing commands write (a RUN calling one is a reader). */
  readers: readonly string[];
  /** Commands that store a credential in a file that stays in the layer. */
  stores: readonly StoringCommand[];
  /**
   * Variables the tool reads from its environment on its own, without the RUN naming them
   * (REFERENCE §9, last paragraphs): exact names, or patterns for families such as TF_TOKEN_<host>.
   * A RUN calling one of `environmentReaders` (default: `readers`) reads them.
   */
  environment?: readonly (string | RegExp)[];
  /** The programs that read `environment`, when they are not `readers`. */
  environmentReaders?: readonly string[];
  /**
   * Files the tool reads whose references it fills from its environment (maven's `${env.X}` in
   * settings.xml, pip's `${X}` in requirements files, npm's `${X}` in .npmrc): `file` matches the
   * basename, `reference` (global, group 1: the name) finds the variables.
   */
  expandsIn?: readonly { file: RegExp; reference: RegExp }[];
}

/** Flags of a command line and the rest, for rows that accept a known set of flags only. */
export function splitFlags(args: readonly string[], known: Record<string, "bool" | "value">): { flags: Map<string, string | true>; rest: string[] } | string {
  const flags = new Map<string, string | true>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith("-") || a === "-") {
      rest.push(a);
      continue;
    }
    const eq = a.indexOf("=");
    const name = eq === -1 ? a : a.slice(0, eq);
    const kind = known[name];
    if (!kind) return `the flag ${name} is not one the rewrite knows`;
    if (kind === "bool") flags.set(name, true);
    else if (eq !== -1) flags.set(name, a.slice(eq + 1));
    else if (i + 1 < args.length) flags.set(name, args[++i]);
    else return `${name} has no value`;
  }
  return { flags, rest };
}
