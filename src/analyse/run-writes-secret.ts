/**
 * Rule run-writes-secret: a RUN that writes a secret into a file (`echo "…${NPM_TOKEN}" >
 * .npmrc`, `git config … ${TOKEN}`, `docker login -p …`) leaves it in the layer even when
 * the value itself arrives through a secret mount — unless the same RUN deletes the file.
 */
import { posix } from "node:path";
import type { Instruction } from "../parse/dockerfile.js";
import type { ShellCommand } from "../parse/shell.js";
import { programOf, type RunScript } from "./run-script.js";
import { storingCommand } from "../knowledge/tools/index.js";
import { position, type AnalysisContext } from "./plan.js";
import { isPlaceholder } from "../knowledge/placeholders.js";
import { isPublicKeyFile } from "../knowledge/public-key-files.js";
import { deletedLaterInRun } from "./deleted-in-run.js";

const VARIABLE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;
/** A value that is a file's content: `$(cat F)`, `` `cat F` ``, `$(< F)`. */
const READ_FILE = /^(?:\$\(\s*(?:cat\s+|<\s*)|`\s*cat\s+)["']?([^\s"'`)]+)["']?\s*[`)]$/;

/** A write that stays: the RUN, the variable it writes and the file. */
export interface RunWrite {
  instr: Instruction;
  variable: string;
  file: string;
  /** The mounted secret file the variable was read from (`T=$(cat /run/secrets/x)`), if any. */
  from?: string;
}

/**
 * `rewritten`: commands the plan removes or rewrites (a stored credential given in its
 * file-free form, src/analyse/flow.ts): they write nothing after the rewrite.
 */
export function findRunWrites(
  ctx: AnalysisContext,
  secretVariables: Set<string>,
  rewritten: ReadonlySet<ShellCommand> = new Set(),
  mountedFiles: ReadonlyMap<Instruction, ReadonlySet<string>> = new Map(),
): RunWrite[] {
  const writes: RunWrite[] = [];
  // Secrets the analysis found, or secret-named environment variables (upper case by convention:
  // a lower-case `$key` is a shell loop variable, such as a GPG fingerprint in docker-library
  // files) that something gives a value: an ARG or ENV of the file, a secret mount of the RUN, an
  // assignment in the RUN. A name nothing declares is empty at build time: it carries no secret.
  const declared = declaredNames(ctx);
  for (const instr of ctx.model.instructions) {
    if (instr.keyword !== "RUN" || ctx.ignores(instr, "run-writes-secret")) continue;
    const script = ctx.script(instr);
    if (!script.text.includes("$")) continue;
    const given = (name: string) => declared.has(name) || mountsEnv(instr, name) || assignsIn(script.text, name);
    const named = (name: string) => secretVariables.has(name) || (name === name.toUpperCase() && ctx.isSecretName(name) && given(name));
    const carriers = carriersIn(script, named, mountedFiles.get(instr) ?? new Set());
    const reported = new Set<string>();
    const isSecret = (name: string) => named(name) || carriers.has(name);
    // Only what the writing command's shell expands: `echo '…${NPM_TOKEN}' > .npmrc` stores the
    // reference as text, even when another command of the RUN (`[ -n "$NPM_TOKEN" ]`) expands it.
    const expandedBy = (command: ShellCommand) => (name: string) =>
      isSecret(name) && script.expandedAt.some((r) => r.name === name && r.start >= command.start && r.start < command.end);
    const commands = [...script.editable, ...script.readOnly];
    commands.forEach((command, i) => {
      const variable =
        secretIn(command, expandedBy(command)) ??
        (command.opBefore === "|" && i > 0 && passesInputOn(command) ? secretIn(commands[i - 1], expandedBy(commands[i - 1])) : null);
      if (!variable || rewritten.has(command)) return;
      const written = writtenFile(command);
      // authorized_keys, known_hosts, *.pub hold public keys: a variable only known by its name
      // that goes there is public (src/analyse/public-key-writes.ts); a found secret still leaks.
      if (!written || (isPublicKeyFile(written) && !secretVariables.has(variable))) return;
      if (commands.slice(i + 1).some((later) => removes(later, written)) || storeDeleted(ctx, instr, command)) return;
      // One finding per variable and file: seven clones with one token are one leak.
      if (!reported.has(`${variable}\0${written}`)) report(ctx, instr, variable, written);
      reported.add(`${variable}\0${written}`);
      const from = carriers.get(variable);
      writes.push({ instr, variable, file: written, ...(from ? { from } : {}) });
    });
  }
  return writes;
}

/**
 * Variables the RUN sets from a secret one (`GITHUB=https://$TOKEN:x-oauth-basic@github.com`,
 * then `git clone $GITHUB/…`) or reads from a mounted secret file (`TOKEN=$(cat /oauth.txt)`):
 * they carry the secret on, whatever their name. Each maps to that file, or "" for a variable.
 */
function carriersIn(script: RunScript, isSecret: (name: string) => boolean, mounted: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  const assignments = [...script.editable, ...script.readOnly].flatMap((c) => {
    const words = c.words.map((w) => w.value);
    const program = programOf(words);
    const end = program ? (program.name === "export" ? words.length : program.index) : words.length;
    return words.slice(program?.name === "export" ? program.index + 1 : 0, end).map((w) => /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w)).filter((m) => m !== null);
  });
  for (let grew = true; grew; ) {
    grew = false;
    for (const [, name, value] of assignments) {
      if (out.has(name)) continue;
      const read = READ_FILE.exec(value.trim())?.[1];
      const via = [...value.matchAll(VARIABLE)].map((m) => m[1]).find((v) => isSecret(v) || out.has(v));
      if ((read && mounted.has(read)) || via !== undefined) {
        out.set(name, read && mounted.has(read) ? read : (out.get(via!) ?? ""));
        grew = true;
      }
    }
  }
  return out;
}

/**
 * Programs whose output still carries what was piped in (`echo $T | tee f`, `| base64 > f`);
 * a digest (`| sha256sum > f`) or a count does not.
 */
const PASS_THROUGH = new Set(["tee", "cat", "sed", "awk", "tr", "base64", "envsubst", "head", "tail", "cut", "jq", "xxd", "gzip", "openssl", "xargs", "docker", "podman", "buildah", "helm", "npm", "pnpm", "yarn"]);

export function passesInputOn(command: ShellCommand): boolean {
  const program = programOf(command.words.map((w) => w.value));
  return program !== null && PASS_THROUGH.has(program.name);
}

/**
 * Every name an ARG or ENV of the file declares, except an ENV that only sets a placeholder
 * (`ENV SECRET_KEY_BASE=dummy`, src/knowledge/placeholders.ts): a build-time dummy is no secret.
 */
function declaredNames(ctx: AnalysisContext): Set<string> {
  const out = new Set<string>();
  for (const instr of ctx.model.instructions) {
    if (instr.keyword !== "ARG" && instr.keyword !== "ENV") continue;
    for (const p of instr.properties) if (!(instr.keyword === "ENV" && p.value && isPlaceholder(p.value))) out.add(p.name);
  }
  return out;
}

/** Does the RUN mount a secret into the variable (`--mount=type=secret,…,env=NAME`)? */
function mountsEnv(instr: Instruction, name: string): boolean {
  return instr.flags.some((f) => f.name === "mount" && f.value !== null && new RegExp(`(?:^|,)env=${name}(?:,|$)`, "i").test(f.value));
}

/** Does the script set the variable itself (`NAME=…`, `export NAME=…`, `read NAME`)? */
function assignsIn(text: string, name: string): boolean {
  return new RegExp(`(?:^|[\\s;&|(])${name}=|\\bread\\b[^;&|\\n]*\\b${name}\\b`).test(text);
}

/**
 * The first secret variable the command is given. Leading assignments (`GIT_CONFIG_KEY_0=…$T git
 * clone …`) only set the command's environment: the command does not write them anywhere.
 */
function secretIn(command: ShellCommand, isSecret: (n: string) => boolean): string | null {
  const words = command.words.map((w) => w.value);
  for (const w of command.words.slice(programOf(words)?.index ?? 0)) {
    for (const m of w.value.matchAll(VARIABLE)) if (isSecret(m[1])) return m[1];
  }
  return null;
}

export function writtenFile(command: ShellCommand): string | null {
  const out = command.redirects.find((r) => r.op.includes(">") && !r.op.includes("&") && r.target.value !== "/dev/null" && !/^&?\d$/.test(r.target.value));
  if (out) return out.target.value;
  const words = command.words.map((w) => w.value);
  const program = programOf(words);
  if (!program) return null;
  const argv = [program.name, ...words.slice(program.index + 1)];
  if (program.name === "tee") return argv.slice(1).find((a) => !a.startsWith("-")) ?? null;
  return storingCommand(argv)?.row.writes ?? null;
}

/** A credential-storing command whose file the RUN deletes before its layer is written (deleted-in-run.ts). */
function storeDeleted(ctx: AnalysisContext, instr: Instruction, command: ShellCommand): boolean {
  const words = command.words.map((w) => w.value);
  const program = programOf(words);
  if (!program) return false;
  const argv = [program.name, ...words.slice(program.index + 1)];
  const hit = storingCommand(argv);
  return hit !== null && hit !== undefined && deletedLaterInRun(ctx, instr, command, hit.row.id, argv, hit.row.writes);
}

function removes(command: ShellCommand, file: string): boolean {
  const words = command.words.map((w) => w.value);
  const program = programOf(words);
  if (!program || !/^(rm|shred|unlink)$/.test(program.name)) return false;
  const base = posix.basename(file);
  return words.slice(program.index + 1).some((w) => {
    if (w.startsWith("-")) return false;
    return posix.basename(w) === base || file.startsWith(w.replace(/\/+$/, "") + "/") || file.includes(posix.basename(w) + "/");
  });
}

function report(ctx: AnalysisContext, instr: Instruction, variable: string, file: string): void {
  ctx.findings.push({
    rule: "run-writes-secret",
    ...position(ctx, instr),
    message: `writes $${variable} into ${file}, which stays in the layer even when the value comes from a secret mount; delete it in the same RUN or keep it on a tmpfs mount`,
    status: "manual",
  });
}
