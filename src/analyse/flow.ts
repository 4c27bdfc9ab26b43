/**
 * Where a secret goes after a RUN receives it (issue 10): a RUN that hands it to a command
 * storing it in a file (`git config --global url."https://${TOKEN}@…".insteadOf …`, `composer
 * config -g github-oauth.github.com $T`, `bundle config …`) leaves it in that RUN's layer, and the
 * RUNs that need it are the later ones running the tool that reads the file. The storing command
 * goes and each reader gets the secret mount plus the tool's file-free form, set for that command
 * only (REFERENCE §9, the catalogue in src/knowledge/tools). Where that cannot be done safely the
 * secret keeps a carrier: `stays` says what stays and where, and no finding about it says `fixed`.
 *
 * Pure: reads the analysis context, adds removals, mounts, assignments and carriers to the plan.
 */
import type { Instruction } from "../parse/dockerfile.js";
import type { ShellCommand } from "../parse/shell.js";
import { storingCommand, type Piece, type StoringRow } from "../knowledge/tools/index.js";
import { gitAssignments } from "../knowledge/tools/git.js";
import { composerAuthJson } from "../knowledge/tools/composer.js";
import { SSH_INSTEAD, SSH_PRIVATE_KEY } from "../knowledge/tools/ssh.js";
import { mentionsVariable, programOf } from "./run-script.js";
import { deletedLaterInRun } from "./deleted-in-run.js";
import { laterAmong, position, runsCalling, type AnalysisContext, type MountRequest, type PlannedSecret } from "./plan.js";

const GIT_PAIRS = /^GIT_CONFIG_(?:COUNT|KEY_\d+|VALUE_\d+)$/;

/** Wrappers that reset the command's environment (sudo's env_reset): a variable set before them does not arrive. */
const RESETS_ENVIRONMENT = new Set(["sudo", "doas"]);

interface Store {
  instr: Instruction;
  command: ShellCommand;
  hit: StoringRow;
  /** argv from the program on; word k of it is command.words[offset + k]. */
  argv: string[];
  offset: number;
  editable: boolean;
  /** The value reaches the command on its input (`echo $T | cargo login`), not on its command line. */
  piped: boolean;
}

interface Reader {
  instr: Instruction;
  command: ShellCommand;
}

/** The variable names that carry the secret: its ARG/ENV and their copies. */
export function secretVariables(secret: PlannedSecret): Set<string> {
  const out = new Set<string>();
  for (const r of secret.removals) if (r.kind === "property" && !r.reset) out.add(r.instr.properties[r.index].name);
  return out;
}

/**
 * Follow every variable secret into the commands that store it. Returns the commands the plan
 * removes or rewrites (run-writes-secret no longer looks at them: they write nothing after the rewrite).
 */
export function followStoredCredentials(ctx: AnalysisContext, secrets: PlannedSecret[]): Set<ShellCommand> {
  const handled = new Set<ShellCommand>();
  /** Variables already set before a reader command, by any secret: git's numbered pairs are shared, any other cannot be. */
  const assigned = new Map<ShellCommand, Set<string>>();
  for (const secret of secrets) {
    if (!secret.fixable || secret.source.type !== "env") continue;
    const names = secretVariables(secret);
    const stores = findStores(ctx, secret, names);
    if (stores.length === 0) continue;
    const outcome = planFileFree(ctx, stores, names, assigned);
    if (typeof outcome === "string") {
      (secret.stays ??= []).push(outcome);
      continue;
    }
    apply(ctx, secret, names, stores, outcome, assigned);
    for (const s of stores) handled.add(s.command);
  }
  return handled;
}

const mentions = (ctx: AnalysisContext, command: ShellCommand, names: Set<string>) => {
  const text = ctx.model.text.slice(command.start, command.end);
  return [...names].some((n) => mentionsVariable(text, n));
};

/** The storing commands, in the RUNs the secret is mounted on, that are given one of its variables. */
function findStores(ctx: AnalysisContext, secret: PlannedSecret, names: Set<string>): Store[] {
  const stores: Store[] = [];
  const runs = [...new Set(secret.mounts.map((m) => m.instr))].sort((a, b) => ctx.indexOf.get(a)! - ctx.indexOf.get(b)!);
  for (const instr of runs) {
    const script = ctx.script(instr);
    const commands = [...script.editable, ...script.readOnly];
    commands.forEach((command, i) => {
      const words = command.words.map((w) => w.value);
      const program = programOf(words);
      if (!program) return;
      const argv = [program.name, ...words.slice(program.index + 1)];
      const hit = storingCommand(argv);
      if (!hit) return;
      const named = mentions(ctx, command, names);
      const piped = !named && command.opBefore === "|" && i > 0 && mentions(ctx, commands[i - 1], names);
      if (!named && !piped) return;
      // Deleted before the layer is written (rm -rf of the file or its folder, same RUN): nothing stays.
      if (deletedLaterInRun(ctx, instr, command, hit.row.id, argv, hit.row.writes)) return;
      stores.push({ instr, command, hit, argv, offset: program.index, editable: script.editable.includes(command), piped });
    });
  }
  return stores;
}

interface Plan {
  pieces: Piece[];
  readers: Reader[];
}

/** The file-free form of every store and the commands that read what they stored, or what stays and why. */
function planFileFree(ctx: AnalysisContext, stores: Store[], names: Set<string>, assigned: Map<ShellCommand, Set<string>>): Plan | string {
  const pieces: Piece[] = [];
  for (const s of stores) {
    const { row } = s.hit;
    const where = `line ${position(ctx, s.instr).line}: ${s.argv.slice(0, 2).join(" ")} stores it in ${row.writes}, which stays in that layer`;
    if (!row.fileFree) return `${where}; ${row.manual ?? "it has no file-free form"}`;
    if (!s.editable) return `${where}; it sits in a heredoc, exec form or compound command, which the rewrite does not edit`;
    if (s.piped) return `${where}; it reads the value from its input, which has no file-free form`;
    if (s.command.opBefore === "||" || s.command.opAfter === "||") return `${where}; it runs only under a condition (||), which a variable given to the readers cannot follow`;
    const form = row.fileFree(s.argv);
    if (typeof form === "string") return `${where}; no file-free form for this command: ${form}`;
    const raw = s.command.words.slice(s.offset).map((w) => ctx.model.text.slice(w.start, w.end));
    if (raw.some((t) => t.includes("'") || t.includes("\\") || t.includes("`") || t.includes("$("))) {
      return `${where}; its words use quoting or substitutions the rewrite does not carry over`;
    }
    // Every variable the form names must have its value in the reader too: the secret, or an ARG/ENV.
    const unknown = [...JSON.stringify(form).matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]).find((n) => !names.has(n) && !declared(ctx, n));
    if (unknown) return `${where}; it uses $${unknown}, which only that RUN sets`;
    pieces.push(...form);
  }
  const first = stores[0];
  if (stores.some((s) => s.instr.stage !== first.instr.stage)) return `it is stored in more than one stage (line ${position(ctx, first.instr).line} and others)`;

  // Readers: later commands of the last storing RUN, then later RUNs of its stage and of stages built FROM it.
  const programs = new Set(stores.flatMap((s) => s.hit.tool.readers));
  const last = stores[stores.length - 1];
  const readers: Reader[] = [];
  const script = ctx.script(last.instr);
  const afterStore = script.editable.indexOf(last.command);
  for (const command of script.editable.slice(afterStore + 1)) if (readsHere(command, programs)) readers.push({ instr: last.instr, command });
  const scope = new Set(ctx.index.descendants(last.instr.stage));
  const positions = [...programs].flatMap((p) => runsCalling(ctx, p));
  for (const later of laterAmong(ctx, last.instr, positions)) {
    if (later.keyword !== "RUN" || !scope.has(later.stage)) continue;
    const s = ctx.script(later);
    if (onlyStores(s.editable.concat(s.readOnly), programs, s.programs)) continue;
    const found = s.editable.filter((c) => readsHere(c, programs));
    const line = position(ctx, later).line;
    if (found.length === 0) return `line ${line} runs ${[...programs].filter((p) => s.programs.has(p)).join(", ")} where the rewrite cannot set a variable for it (a heredoc, exec form, sh -c or compound command); the stored file stays (line ${position(ctx, first.instr).line})`;
    for (const command of found) {
      const words = command.words.map((w) => w.value);
      const program = programOf(words)!;
      const wrapper = words.slice(0, program.index).find((w) => RESETS_ENVIRONMENT.has(w.replace(/^.*\//, "")));
      if (wrapper) return `line ${line} runs ${program.name} through ${wrapper}, which may not pass a variable on; the stored file stays (line ${position(ctx, first.instr).line})`;
      readers.push({ instr: later, command });
    }
  }
  if (readers.length === 0) {
    return `line ${position(ctx, first.instr).line}: ${first.argv.slice(0, 2).join(" ")} stores it in ${first.hit.row.writes}, which stays in that layer; no later build step runs ${[...programs].join(", ")}, so if the container reads that file at run time it needs the credential then`;
  }
  // Git's pairs of several secrets on one command are numbered together (GIT_CONFIG_COUNT=2, KEY_0 … KEY_1).
  const variables = assignments(pieces).map((a) => a.name).filter((n) => !GIT_PAIRS.test(n));
  for (const r of readers) {
    const taken = assigned.get(r.command);
    if (taken && variables.some((v) => taken.has(v))) return `line ${position(ctx, r.instr).line} already gets ${variables.find((v) => taken.has(v))} for another secret; the two cannot be combined safely`;
  }
  return { pieces, readers };
}

/** Is the name an ARG or ENV of the file? */
function declared(ctx: AnalysisContext, name: string): boolean {
  return ctx.model.instructions.some((i) => (i.keyword === "ARG" || i.keyword === "ENV") && i.properties.some((p) => p.name === name));
}

/** Does the RUN call the programs only to store settings (a second `git config --global …`), never to fetch? */
function onlyStores(commands: ShellCommand[], programs: Set<string>, called: Set<string>): boolean {
  const direct = new Set<string>();
  for (const c of commands) {
    const words = c.words.map((w) => w.value);
    const program = programOf(words);
    if (!program || !programs.has(program.name)) continue;
    if (!storingCommand([program.name, ...words.slice(program.index + 1)])) return false;
    direct.add(program.name);
  }
  // A program called only through `sh -c "…"` or `python -m …` is not among the commands: it may fetch.
  return [...programs].every((p) => !called.has(p) || direct.has(p));
}

/** Does this top-level command run one of the programs (directly, or through a wrapper), other than to store a setting? */
function readsHere(command: ShellCommand, programs: Set<string>): boolean {
  if (command.compound || command.depth > 0) return false;
  const words = command.words.map((w) => w.value);
  const program = programOf(words);
  // Another storing command (`git config --global …` of a second credential) writes, it does not fetch.
  return program !== null && programs.has(program.name) && !storingCommand([program.name, ...words.slice(program.index + 1)]);
}

/** The variables of the file-free form, in order: git's numbered pairs, COMPOSER_AUTH, then each named variable. */
export function assignments(pieces: Piece[]): { name: string; value: string }[] {
  const git = pieces.filter((p): p is Extract<Piece, { kind: "git" }> => p.kind === "git");
  const composer = pieces.filter((p): p is Extract<Piece, { kind: "composer" }> => p.kind === "composer");
  const out = git.length > 0 ? gitAssignments(git) : [];
  if (composer.length > 0) out.push({ name: "COMPOSER_AUTH", value: composerAuthJson(composer) });
  for (const p of pieces) if (p.kind === "env") out.push({ name: p.name, value: p.value });
  return out;
}

/** The words set before a reader command: `NAME=value ` for each variable of the pieces (of every secret it gets). */
export function assignmentText(pieces: Piece[]): string {
  return assignments(pieces).map((v) => `${v.name}=${doubleQuoted(v.value)} `).join("");
}

/** A value as one shell word: as is when plain, else double-quoted (`$` still expands; `"`, `\` and backquotes escaped). */
export function doubleQuoted(value: string): string {
  if (/^[A-Za-z0-9_.\/:@%+=,-]+$/.test(value)) return value;
  return `"${value.replace(/[\\"`]/g, (c) => `\\${c}`)}"`;
}

function apply(ctx: AnalysisContext, secret: PlannedSecret, names: Set<string>, stores: Store[], plan: Plan, assigned: Map<ShellCommand, Set<string>>): void {
  // The storing commands go (or lose their credential words, when they also do something else).
  for (const s of stores) {
    const words = s.hit.row.credentialWords?.(s.argv);
    if (words) for (const k of words) secret.removals.push({ kind: "word", instr: s.instr, command: s.command, word: s.command.words[s.offset + k] });
    else secret.removals.push({ kind: "command", instr: s.instr, command: s.command });
  }
  const vars = assignments(plan.pieces);
  const used = [...names].filter((n) => plan.pieces.some((p) => mentionsVariable(JSON.stringify(p), n)));
  // A storing RUN keeps its mount only if what is left of it still names the secret.
  const storingRuns = new Set(stores.map((s) => s.instr));
  const keep = (m: MountRequest) => !storingRuns.has(m.instr) || stillNames(ctx, m.instr, stores, names);
  secret.mounts = secret.mounts.filter(keep);
  for (const r of plan.readers) {
    (secret.assignments ??= []).push({ instr: r.instr, command: r.command, pieces: plan.pieces });
    const taken = assigned.get(r.command) ?? new Set<string>();
    for (const v of vars) taken.add(v.name);
    assigned.set(r.command, taken);
    for (const variable of used) {
      // ONBUILD readers run under the child build's frontend: the file form (see env-secrets.ts).
      const spec = ctx.mountStyle === "file" || r.instr.trigger ? { exportAs: variable } : { env: variable };
      const dup = secret.mounts.some((m) => m.instr === r.instr && (m.spec.env ?? m.spec.exportAs) === variable);
      if (!dup) secret.mounts.push({ instr: r.instr, spec });
    }
  }
  secret.mounts.sort((a, b) => ctx.indexOf.get(a.instr)! - ctx.indexOf.get(b.instr)!);
  const tools = [...new Set(stores.map((s) => s.hit.tool.name))].join(", ");
  secret.notes.push(`the ${tools} credential it stored in a file is given to ${plan.readers.length === 1 ? "the command" : "the commands"} that read it instead (${[...new Set(vars.map((v) => v.name.replace(/_\d+$/, "_<n>")))].join(", ")})`);
}

/** Does the RUN still name one of the variables once the storing commands (or their credential words) are gone? */
function stillNames(ctx: AnalysisContext, instr: Instruction, stores: Store[], names: Set<string>): boolean {
  let text = ctx.model.text.slice(instr.commandStart, instr.end);
  const cut: { start: number; end: number }[] = [];
  for (const s of stores) {
    if (s.instr !== instr) continue;
    const words = s.hit.row.credentialWords?.(s.argv);
    if (words) for (const k of words) cut.push(s.command.words[s.offset + k]);
    else cut.push(s.command);
  }
  for (const c of cut.sort((a, b) => b.start - a.start)) {
    const from = c.start - instr.commandStart;
    const to = c.end - instr.commandStart;
    text = text.slice(0, from) + " ".repeat(to - from) + text.slice(to);
  }
  return [...names].some((n) => mentionsVariable(text, n));
}

/**
 * Writes the rewrite leaves (run-writes-secret) are carriers of the secret they write: its
 * finding cannot say `fixed`, and says what stays where (and, for an ssh key, what to do instead).
 */
/** A write of a variable read from a mounted secret file (`T=$(cat /oauth.txt)`, `git clone https://$T@…`): that file's secret is not `fixed`. */
export function keepFileWrites(ctx: AnalysisContext, secrets: PlannedSecret[], writes: { instr: Instruction; variable: string; file: string; from?: string }[]): void {
  for (const w of writes) {
    if (!w.from) continue;
    const owner = secrets.find((s) => s.fixable && s.source.type === "file" && s.mounts.some((m) => m.instr === w.instr && m.spec.target === w.from));
    const line = position(ctx, w.instr).line;
    if (!owner || owner.stays?.some((s) => s.startsWith(`line ${line}:`) || s.startsWith(`line ${line} `))) continue;
    (owner.stays ??= []).push(`line ${line} reads it into $${w.variable} and writes that into ${w.file}, which stays in that layer`);
  }
}

export function keepWrites(ctx: AnalysisContext, secrets: PlannedSecret[], writes: { instr: Instruction; variable: string; file: string }[]): void {
  for (const w of writes) {
    const owner = secrets.find((s) => s.fixable && s.source.type === "env" && secretVariables(s).has(w.variable));
    const line = position(ctx, w.instr).line;
    if (!owner || owner.stays?.some((s) => s.startsWith(`line ${line}:`))) continue;
    const instead = SSH_PRIVATE_KEY.test(w.file) ? `; ${SSH_INSTEAD}` : "";
    (owner.stays ??= []).push(`line ${line} writes $${w.variable} into ${w.file}, which stays in that layer${instead}`);
  }
}
