/**
 * Rule secret-printed: a RUN that prints a secret to its output (`echo $TOKEN`, `printf`, `cat`
 * of the secret file, `env`/`printenv`, a command traced by `set -x`). Build output is shown by
 * `docker build`, kept by CI in its job logs and by BuildKit in its build history (REFERENCE §10):
 * a secret mount keeps the value out of the image, not out of the log.
 */
import { posix } from "node:path";
import type { Instruction } from "../parse/dockerfile.js";
import type { ShellCommand } from "../parse/shell.js";
import { variableReferences } from "../parse/expansions.js";
import { programOf, wordAsPath } from "./run-script.js";
import { contextOf, position, type AnalysisContext, type PlannedSecret } from "./plan.js";
import { writtenSecretMounts } from "./written-mounts.js";

/** Where a RUN gets a secret from: a secret of the analysis, or a secret mount already written. */
type Source = { key: string } | { key: undefined };

/** What a program writes to its standard output. */
type Prints = "arguments" | "files" | "environment" | "named-variables";

/** Commands that print what they are given (data: one row per program). */
export const PRINTING_COMMANDS: readonly { program: string; prints: Prints }[] = [
  { program: "echo", prints: "arguments" },
  { program: "printf", prints: "arguments" },
  { program: "cat", prints: "files" },
  { program: "head", prints: "files" },
  { program: "tail", prints: "files" },
  { program: "more", prints: "files" },
  { program: "less", prints: "files" },
  { program: "nl", prints: "files" },
  { program: "od", prints: "files" },
  { program: "xxd", prints: "files" },
  { program: "hexdump", prints: "files" },
  { program: "base64", prints: "files" },
  // Bare `env`, `printenv`, `export -p`, `set`: the whole environment, mounted env secrets included.
  { program: "env", prints: "environment" },
  { program: "printenv", prints: "named-variables" },
  { program: "export", prints: "environment" },
  { program: "declare", prints: "environment" },
];

const PRINTS = new Map(PRINTING_COMMANDS.map((r) => [r.program, r.prints]));

/** Run after ids are given: a file mounted without a target is at /run/secrets/<id>. */
export function findSecretPrints(ctx: AnalysisContext, secrets: PlannedSecret[]): void {
  const planned = new Map<Instruction, PlannedSecret[]>();
  for (const s of secrets) for (const m of s.mounts) planned.set(m.instr, [...(planned.get(m.instr) ?? []), s]);
  // Per RUN: the variables and files of the secrets it receives (mounted by the rewrite, or already).
  for (const instr of ctx.model.instructions) {
    if (instr.keyword !== "RUN" || ctx.ignores(instr, "secret-printed")) continue;
    const variables = new Map<string, Source>();
    const files = new Map<string, Source>();
    for (const s of planned.get(instr) ?? []) {
      for (const m of s.mounts) {
        if (m.instr !== instr) continue;
        const name = m.spec.env ?? m.spec.exportAs;
        if (name) variables.set(name, { key: s.key });
        if (s.source.type === "file") files.set(m.spec.target ?? `/run/secrets/${s.id}`, { key: s.key });
      }
    }
    for (const mount of writtenSecretMounts(instr)) {
      if (mount.env) variables.set(mount.env, { key: undefined });
      if (mount.target) files.set(posix.resolve(contextOf(ctx, instr).workdir, mount.target), { key: undefined });
    }
    if (variables.size === 0 && files.size === 0) continue;
    const script = ctx.script(instr);
    // Only what the shell expands: `echo '$TOKEN'` prints the name, not the value.
    for (const name of [...variables.keys()]) if (!script.expands.has(name)) variables.delete(name);
    if (variables.size === 0 && files.size === 0) continue;
    const commands = [...script.editable, ...script.readOnly].sort((a, b) => a.start - b.start);
    let traced = false;
    const reported = new Set<string | undefined>();
    const report = (secret: Source, what: string) => {
      if (reported.has(secret.key)) return;
      reported.add(secret.key);
      reportPrint(ctx, instr, secret, what);
    };
    for (const command of commands) {
      const words = command.words.map((w) => w.value);
      if (words[0] === "set" && words.slice(1).some((w) => /^-[a-wyz]*x/.test(w) || w === "xtrace")) {
        traced = !words.includes("+x");
        continue;
      }
      if (words[0] === "set" && words.includes("+x")) {
        traced = false;
        continue;
      }
      const used = variablesIn(ctx.model.text, command, variables);
      if (traced && used) {
        report(used.secret, `set -x traces a command that expands $${used.name}, with its value`);
        continue;
      }
      if (!toLog(command, commands)) continue;
      const printed = printedSecret(ctx, instr, command, words, variables, files);
      if (printed) report(printed.secret, printed.what);
    }
  }
}

/** Is the command's standard output the build log: not redirected to a file, not piped on, not captured? */
function toLog(command: ShellCommand, commands: ShellCommand[]): boolean {
  if (command.opAfter === "|") return false;
  // Inside $( … ) or backticks, a word of another command: its output is captured, not printed.
  if (command.depth > 0 && commands.some((c) => c !== command && c.words.some((w) => w.start < command.start && command.end <= w.end))) return false;
  return !command.redirects.some((r) => /^1?>[>|]?$/.test(r.op) || r.op === "&>" || r.op === "&>>");
}

/** The first secret variable the command's words expand (`'$X'` is text, not the value). */
function variablesIn(text: string, command: ShellCommand, variables: Map<string, Source>): { name: string; secret: Source } | null {
  for (const w of command.words) {
    if (!w.value.includes("$")) continue;
    for (const ref of variableReferences(text, w.start, w.end)) {
      const secret = ref.literal ? undefined : variables.get(ref.name);
      if (secret) return { name: ref.name, secret };
    }
  }
  return null;
}

function printedSecret(
  ctx: AnalysisContext,
  instr: Instruction,
  command: ShellCommand,
  words: string[],
  variables: Map<string, Source>,
  files: Map<string, Source>,
): { secret: Source; what: string } | null {
  const bare = words.length > 0 && (words[0] === "env" || words[0] === "export" || words[0] === "declare");
  const program = bare ? { name: words[0], index: 0 } : programOf(words);
  if (!program) return null;
  const prints = PRINTS.get(program.name);
  const args = words.slice(program.index + 1);
  switch (prints) {
    case "arguments": {
      const used = variablesIn(ctx.model.text, { ...command, words: command.words.slice(program.index + 1) }, variables);
      return used ? { secret: used.secret, what: `${program.name} prints $${used.name}` } : null;
    }
    case "files": {
      const rctx = contextOf(ctx, instr);
      for (const w of command.words.slice(program.index + 1)) {
        if (w.value.startsWith("-")) continue;
        const path = wordAsPath(w, rctx);
        const secret = path ? files.get(path) : undefined;
        if (secret) return { secret, what: `${program.name} prints the secret file ${path}` };
      }
      return null;
    }
    case "environment": {
      // `env`, `export -p`, `declare -x` with nothing to run or set: the whole environment.
      if (args.some((a) => !a.startsWith("-") && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(a))) return null;
      if (args.some((a) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) && program.name !== "env") return null;
      const [name, secret] = [...variables][0] ?? [];
      return secret ? { secret, what: `${program.name} prints the environment, $${name} included` } : null;
    }
    case "named-variables": {
      if (args.length === 0) {
        const [name, secret] = [...variables][0] ?? [];
        return secret ? { secret, what: `printenv prints the environment, $${name} included` } : null;
      }
      const name = args.find((a) => variables.has(a));
      return name ? { secret: variables.get(name)!, what: `printenv prints $${name}` } : null;
    }
    default:
      return null;
  }
}

function reportPrint(ctx: AnalysisContext, instr: Instruction, secret: Source, what: string): void {
  ctx.findings.push({
    rule: "secret-printed",
    ...position(ctx, instr),
    message: `${what}: the build output goes to build and CI logs, which keep it; remove the command or send its output to /dev/null`,
    status: "needs-review",
    ...(secret.key ? { secretId: secret.key } : {}),
  });
}
