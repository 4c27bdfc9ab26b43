/**
 * An ssh private key put into ~/.ssh for `git clone git@…` (`echo "$SSH_KEY" > ~/.ssh/id_rsa`,
 * `COPY id_rsa /root/.ssh/id_rsa`) stays in that layer. The key need not enter the build at all:
 * BuildKit forwards the builder's ssh agent to the RUNs that talk ssh (`RUN --mount=type=ssh`,
 * `docker build --ssh default`), and the ssh client asks the agent when the key file is missing
 * (REFERENCE §2, §9; the row in src/knowledge/tools/ssh.ts).
 *
 * The write and the commands that prepare or clean up the key file (`chmod 600`, `rm`) go; a
 * `known_hosts` write stays (not a secret). Where something reads the key file by its path (`ssh
 * -i`, GIT_SSH_COMMAND, an ssh config naming it), an agent cannot stand in: the key is mounted as a
 * file at its old path, mode 0600, instead. Pure: reads the analysis context, edits the plan.
 */
import { posix } from "node:path";
import type { Instruction } from "../parse/dockerfile.js";
import type { ShellCommand } from "../parse/shell.js";
import { KEY_HANDLERS, KEY_WRITERS, READS_KEY_FILE, RESETS_AGENT, SSH_PRIVATE_KEY, SSH_READERS } from "../knowledge/tools/ssh.js";
import { isFolderBefore } from "./image-folders.js";
import { mentionsPath, mentionsVariable, pathSpellings, programOf, wordAsPath } from "./run-script.js";
import { contextOf, laterAmong, position, runsCalling, type AnalysisContext, type MountSpec, type PlannedSecret, type Removal } from "./plan.js";
import { secretVariables } from "./flow.js";

interface KeyWrite {
  instr: Instruction;
  command: ShellCommand;
  /** The key file, absolute. */
  path: string;
}

/**
 * Give the RUNs that used a written or copied ssh key the builder's agent instead (or the key as
 * a file mount where they read it by path). Returns the write commands the plan removes.
 */
export function forwardSshKeys(ctx: AnalysisContext, secrets: PlannedSecret[]): Set<ShellCommand> {
  const handled = new Set<ShellCommand>();
  for (const secret of secrets) {
    if (!secret.fixable || secret.mounts.length === 0) continue;
    if (secret.source.type === "env") for (const c of forwardWrittenKey(ctx, secret)) handled.add(c);
    else forwardCopiedKey(ctx, secret);
  }
  return handled;
}

/** `echo "$SSH_KEY" > ~/.ssh/id_rsa` in a RUN the secret is mounted on. */
function forwardWrittenKey(ctx: AnalysisContext, secret: PlannedSecret): ShellCommand[] {
  const names = secretVariables(secret);
  const writes: KeyWrite[] = [];
  const runs = [...new Set(secret.mounts.map((m) => m.instr))].sort((a, b) => ctx.indexOf.get(a)! - ctx.indexOf.get(b)!);
  for (const instr of runs) {
    const script = ctx.script(instr);
    for (const command of [...script.editable, ...script.readOnly]) {
      const path = keyWritten(ctx, instr, command, names);
      if (path === null) continue;
      // Only a plain top-level command can go; anything else keeps today's finding (manual).
      if (!script.editable.includes(command) || command.opBefore === "|" || command.opAfter === "|" || command.opBefore === "||" || command.opAfter === "||") return [];
      writes.push({ instr, command, path });
    }
  }
  if (writes.length === 0) return [];
  const first = writes[0];
  if (writes.some((w) => w.instr.stage !== first.instr.stage || w.instr.trigger !== first.instr.trigger)) return [];
  const paths = new Set(writes.map((w) => w.path));
  // A COPY --from of the key (or its folder) into another stage needs the file: leave it as it is (manual).
  if (copiedFromStage(ctx, paths)) return [];
  const scope = laterRuns(ctx, first.instr);
  const handlers = keyHandlers(ctx, [first.instr, ...scope], paths, first.command);
  if (handlers === null) return [];
  const removed = new Set<ShellCommand>([...writes.map((w) => w.command), ...handlers.filter((h) => h.kind === "command").map((h) => h.command)]);

  // Readers: the commands after the first write in its RUN, and later RUNs, that run ssh or git.
  const readers = readerRuns(ctx, first, scope);
  if (readers.length === 0) return [];
  const byPath = [...readsKeyByPath(ctx, [first.instr, ...scope], paths, removed, handlers), ...agentUnreachable(ctx, readers)];

  for (const w of writes) secret.removals.push({ kind: "command", instr: w.instr, command: w.command });
  secret.removals.push(...handlers);
  // A writing RUN keeps its mount only if what is left of it still names the secret.
  const writingRuns = new Set(writes.map((w) => w.instr));
  secret.mounts = secret.mounts.filter((m) => !writingRuns.has(m.instr) || stillNames(ctx, m.instr, removed, names));
  // A RUN that still reads the variable needs the secret itself: one form for all, the key file.
  for (const m of secret.mounts) byPath.push(`line ${position(ctx, m.instr).line} also reads $${[...names][0]} itself`);
  const keyPath = [...paths][0];
  for (const run of readers) {
    const spec: MountSpec = byPath.length > 0 ? { target: keyPath, mode: "0600" } : agentMount(ctx, run);
    if (!secret.mounts.some((m) => m.instr === run && sameMount(m.spec, spec))) secret.mounts.push({ instr: run, spec });
  }
  secret.mounts.sort((a, b) => ctx.indexOf.get(a.instr)! - ctx.indexOf.get(b.instr)!);
  const lines = readers.map((r) => position(ctx, r).line).join(", ");
  if (byPath.length > 0) {
    secret.notes.push(
      `the ssh key it wrote into ${keyPath} is mounted there as a file (mode 0600) on line${readers.length > 1 ? "s" : ""} ${lines} instead of being written, because ${byPath[0]}: an ssh agent cannot stand in for a key read by its path`,
    );
  } else {
    secret.notes.push(
      `the ssh key it wrote into ${keyPath} is no longer written: line${readers.length > 1 ? "s" : ""} ${lines} get${readers.length > 1 ? "" : "s"} the builder's ssh agent (RUN --mount=type=ssh); build with --ssh default from a shell whose ssh agent holds the key (ssh-add <key file>)`,
    );
    (secret.sshAgent ??= []).push(keyPath);
  }
  if (keptInFinalImage(ctx, first.instr, scope, paths)) {
    secret.review = true;
    secret.notes.push(`the image no longer holds ${keyPath}: if the container used it at run time (git pull, ssh), mount the key then`);
  }
  return [...removed];
}

/** `COPY id_rsa /root/.ssh/id_rsa`: its file mounts become the agent, unless a RUN reads the key by its path. */
function forwardCopiedKey(ctx: AnalysisContext, secret: PlannedSecret): void {
  const target = secret.target;
  if (!target || !SSH_PRIVATE_KEY.test(target)) return;
  if (!secret.mounts.every((m) => m.spec.target === target && !m.instr.trigger)) return;
  const copies = secret.removals.filter((r) => r.kind === "source").map((r) => r.instr);
  if (copies.length !== 1) return;
  const copy = copies[0];
  const removed = new Set(secret.removals.flatMap((r) => (r.kind === "command" ? [r.command] : [])));
  const handlers = secret.removals.filter((r): r is Extract<Removal, { kind: "word" }> => r.kind === "word");
  const runs = [...new Set(secret.mounts.map((m) => m.instr))];
  const byPath = [...readsKeyByPath(ctx, laterRuns(ctx, copy), new Set([target]), removed, handlers, runs), ...agentUnreachable(ctx, runs)];
  if (byPath.length > 0) {
    secret.notes.push(`the ssh key stays a file mount at ${target}, because ${byPath[0]}: an ssh agent cannot stand in for a key read by its path`);
    return;
  }
  // `rm -rf ~/.ssh` went only because it would fail on the mount point inside it: with no mount it stays.
  const folderRemoval = (r: Removal) => (r.kind === "command" || r.kind === "word") && removesFolderOf(ctx, r, target);
  secret.removals = secret.removals.filter((r) => !folderRemoval(r));
  secret.mounts = secret.mounts.map((m) => {
    const spec: MountSpec = { ssh: true };
    if (m.spec.uid !== undefined) {
      spec.uid = m.spec.uid;
      spec.gid = m.spec.gid;
    } else Object.assign(spec, agentMount(ctx, m.instr));
    return { instr: m.instr, spec };
  });
  // The COPY made ~/.ssh; without a mount inside it nothing makes it now for a later step that
  // writes there (known_hosts), unless that step makes it itself.
  const folder = posix.dirname(target);
  if (!isFolderBefore(ctx, copy, folder, copy) && !(secret.folders ?? []).some((f) => f.instr === copy) && needsFolder(ctx, laterRuns(ctx, copy), folder, target)) {
    const owner = copy.flags.find((f) => f.name === "chown")?.value ?? undefined;
    (secret.folders ??= []).push({ instr: copy, dirs: [folder], ...(owner ? { owner } : {}) });
  }
  const lines = [...new Set(runs.map((r) => position(ctx, r).line))].join(", ");
  secret.notes.push(
    `the ssh key is not mounted as a file: line${runs.length > 1 ? "s" : ""} ${lines} get${runs.length > 1 ? "" : "s"} the builder's ssh agent (RUN --mount=type=ssh); build with --ssh default from a shell whose ssh agent holds the key (ssh-add ${secret.source.type === "file" ? secret.source.path : "<key file>"})`,
  );
  (secret.sshAgent ??= []).push(target);
}

/** The key file a command writes the secret into (`echo "$K" > ~/.ssh/id_rsa`, `printf '%s' "$K" > …`), absolute. */
function keyWritten(ctx: AnalysisContext, instr: Instruction, command: ShellCommand, names: Set<string>): string | null {
  const program = programOf(command.words.map((w) => w.value));
  if (!program || !KEY_WRITERS.includes(program.name)) return null;
  const text = ctx.model.text.slice(command.start, command.end);
  if (![...names].some((n) => mentionsVariable(text, n))) return null;
  const out = command.redirects.find((r) => r.op === ">" || r.op === ">|" || r.op === ">>");
  if (!out) return null;
  const path = wordAsPath(out.target, contextOf(ctx, instr));
  return path !== null && SSH_PRIVATE_KEY.test(path) ? path : null;
}

/** The RUNs after `from` in its stage and the stages built FROM it (triggers only with triggers). */
function laterRuns(ctx: AnalysisContext, from: Instruction): Instruction[] {
  return laterAmong(ctx, from, ctx.index.descendants(from.stage).flatMap((s) => ctx.index.inStage(s))).filter((i) => i.keyword === "RUN");
}

/**
 * `chmod 600 ~/.ssh/id_rsa`, `rm ~/.ssh/id_rsa`: they would fail on a missing key (or a read-only
 * mount). The whole command goes, or only the key's word when it names other files too; null when
 * one cannot be edited. In the writing RUN only the commands after the write count.
 */
function keyHandlers(ctx: AnalysisContext, runs: Instruction[], paths: Set<string>, after: ShellCommand): Removal[] | null {
  const out: Removal[] = [];
  for (const instr of runs) {
    const script = ctx.script(instr);
    for (const command of [...script.editable, ...script.readOnly]) {
      if (command.start < after.end && instr === runs[0]) continue;
      const words = command.words.map((w) => w.value);
      const program = programOf(words);
      if (!program || !KEY_HANDLERS.includes(program.name)) continue;
      let operands = command.words.slice(program.index + 1).filter((w) => !w.value.startsWith("-"));
      if (program.name === "chmod" || program.name === "chown") operands = operands.slice(1);
      const hits = operands.filter((w) => {
        const p = wordAsPath(w, contextOf(ctx, instr));
        return p !== null && paths.has(p);
      });
      if (hits.length === 0) continue;
      if (!script.editable.includes(command)) return null;
      if (hits.length === operands.length) out.push({ kind: "command", instr, command });
      else for (const word of hits) out.push({ kind: "word", instr, command, word });
    }
  }
  return out;
}

/** The RUNs that talk ssh after the write: its own RUN when a later command there does, and later RUNs. */
function readerRuns(ctx: AnalysisContext, write: KeyWrite, scope: Instruction[]): Instruction[] {
  const out: Instruction[] = [];
  const own = ctx.script(write.instr);
  const callsReader = (c: ShellCommand) => {
    const p = programOf(c.words.map((w) => w.value));
    return p !== null && SSH_READERS.includes(p.name);
  };
  if ([...own.editable, ...own.readOnly].some((c) => c.start >= write.command.end && callsReader(c))) out.push(write.instr);
  const inScope = new Set(scope);
  const positions = SSH_READERS.flatMap((p) => runsCalling(ctx, p));
  for (const run of laterAmong(ctx, write.instr, positions)) if (inScope.has(run)) out.push(run);
  return out;
}

/**
 * Why a RUN reads the key file by its path (an agent cannot stand in then): `ssh -i`, an ssh
 * config, GIT_SSH_COMMAND, ssh-add, or a command other than the removed ones naming the file.
 * `also`: RUNs to check besides `runs` (the copied key's mounts). A COPY into ~/.ssh/config is an
 * ssh config the analysis cannot read: it may name the file.
 */
function readsKeyByPath(ctx: AnalysisContext, runs: Instruction[], paths: Set<string>, removed: Set<ShellCommand>, handlers: Removal[], also: Instruction[] = []): string[] {
  const why = new Set<string>();
  const handled = new Set(handlers.flatMap((h) => (h.kind === "command" || h.kind === "word" ? [h.command] : [])));
  const first = runs[0] ?? also[0];
  if (!first) return [];
  for (const instr of [...new Set([...also, ...runs])]) {
    const script = ctx.script(instr);
    for (const r of READS_KEY_FILE) if (r.pattern.test(script.text)) why.add(`line ${position(ctx, instr).line}: ${r.why}`);
    const spellings = [...paths].flatMap((p) => pathSpellings(p, contextOf(ctx, instr)));
    // Exec form and heredoc bodies are not split into commands here: any mention counts.
    if ((instr.json || instr.heredocs.length > 0) && mentionsPath(script.text, spellings)) why.add(`line ${position(ctx, instr).line} names the key file`);
    for (const command of [...script.editable, ...script.readOnly]) {
      if (removed.has(command) || handled.has(command)) continue;
      if (mentionsPath(ctx.model.text.slice(command.start, command.end), spellings)) why.add(`line ${position(ctx, instr).line} names the key file`);
    }
  }
  // An ssh config copied into the image: its text is not known here.
  const folders = new Set([...paths].map((p) => posix.dirname(p)));
  const scopeStages = new Set(ctx.index.descendants(first.stage));
  for (const instr of ctx.model.instructions) {
    if ((instr.keyword !== "COPY" && instr.keyword !== "ADD") || !scopeStages.has(instr.stage)) continue;
    const dest = (instr.json ?? instr.args).at(-1)?.value ?? "";
    const ictx = contextOf(ctx, instr);
    const abs = dest.startsWith("/") ? dest : posix.join(ictx.workdir, dest);
    if ([...folders].some((f) => abs === `${f}/config` || ((abs === f || abs === `${f}/`) && /(?:^|\/)config$/.test((instr.json ?? instr.args)[0]?.value ?? "")))) {
      why.add(`line ${position(ctx, instr).line} copies an ssh config, which may name the key file`);
    }
  }
  return [...why];
}

/** Reader RUNs that go through sudo or su: the agent's socket variable does not reach the command there. */
function agentUnreachable(ctx: AnalysisContext, runs: Instruction[]): string[] {
  return runs.filter((r) => RESETS_AGENT.test(ctx.script(r).text)).map((r) => `line ${position(ctx, r).line} runs it through sudo or su, which do not pass SSH_AUTH_SOCK on`);
}

/** The agent's mount for a RUN: a user other than root needs the socket given to it. */
function agentMount(ctx: AnalysisContext, run: Instruction): MountSpec {
  const user = contextOf(ctx, run).user;
  if (user === null || user === "root" || user === "0" || user.startsWith("0:")) return { ssh: true };
  const [uid, gid] = user.split(":");
  if (/^\d+$/.test(uid) && (gid === undefined || /^\d+$/.test(gid))) return { ssh: true, uid, gid: gid ?? uid };
  // A user known only by name: the socket is made usable by every user, as the key file was by its owner.
  return { ssh: true, mode: "0666" };
}

function sameMount(a: MountSpec, b: MountSpec): boolean {
  return a.ssh === b.ssh && a.target === b.target && a.env === b.env && a.exportAs === b.exportAs;
}

/** Does the RUN still name one of the variables once the removed commands are gone? */
function stillNames(ctx: AnalysisContext, instr: Instruction, removed: Set<ShellCommand>, names: Set<string>): boolean {
  let text = ctx.model.text.slice(instr.commandStart, instr.end);
  const cut = ctx.script(instr).editable.filter((c) => removed.has(c)).sort((a, b) => b.start - a.start);
  for (const c of cut) text = text.slice(0, c.start - instr.commandStart) + " ".repeat(c.end - c.start) + text.slice(c.end - instr.commandStart);
  return [...names].some((n) => mentionsVariable(text, n));
}

/** Did the final image hold the key (written in its stages and never removed)? */
function keptInFinalImage(ctx: AnalysisContext, write: Instruction, scope: Instruction[], paths: Set<string>): boolean {
  const final = new Set<number>();
  for (let s: number | null = ctx.model.stages.length - 1; s !== null && s >= 0 && !final.has(s); s = ctx.model.stages[s].parent) final.add(s);
  if (!final.has(write.stage) || write.trigger) return false;
  const removes = (instr: Instruction) =>
    ctx.script(instr).editable.some((c) => {
      const p = programOf(c.words.map((w) => w.value));
      if (!p || !/^(?:rm|shred|unlink)$/.test(p.name)) return false;
      return c.words.slice(p.index + 1).some((w) => {
        const path = wordAsPath(w, contextOf(ctx, instr));
        return path !== null && [...paths].some((k) => k === path || k.startsWith(path + "/"));
      });
    });
  return ![write, ...scope].some((i) => final.has(i.stage) && removes(i));
}

/** Does the removal delete a folder the key is in (`rm -rf ~/.ssh`), and nothing else? */
function removesFolderOf(ctx: AnalysisContext, r: Extract<Removal, { kind: "command" | "word" }>, key: string): boolean {
  const words = r.command.words.map((w) => w.value);
  const program = programOf(words);
  if (!program || !/^(?:rm|shred|unlink)$/.test(program.name)) return false;
  const operands = r.kind === "word" ? [r.word] : r.command.words.slice(program.index + 1).filter((w) => !w.value.startsWith("-"));
  return (
    operands.length > 0 &&
    operands.every((w) => {
      const p = wordAsPath(w, contextOf(ctx, r.instr));
      return p !== null && key.startsWith(p.replace(/\/+$/, "") + "/");
    })
  );
}

/** Does the first later RUN that names the folder (other than through the key) need it made, i.e. not make it itself? */
function needsFolder(ctx: AnalysisContext, runs: Instruction[], folder: string, key: string): boolean {
  for (const run of runs) {
    const ictx = contextOf(ctx, run);
    let text = ctx.script(run).text;
    for (const k of pathSpellings(key, ictx)) text = text.split(k).join(" ");
    const spellings = pathSpellings(folder, ictx);
    if (!mentionsPath(text, spellings) && !spellings.some((f) => text.includes(f + "/"))) continue;
    return !ctx.script(run).editable.some((c) => {
      const p = programOf(c.words.map((w) => w.value));
      return p !== null && p.name === "mkdir" && c.words.slice(p.index + 1).some((w) => wordAsPath(w, ictx) === folder);
    });
  }
  return false;
}

/** Does a COPY/ADD --from take the key file or a folder holding it out of its stage? */
function copiedFromStage(ctx: AnalysisContext, paths: Set<string>): boolean {
  return ctx.model.instructions.some((instr) => {
    if ((instr.keyword !== "COPY" && instr.keyword !== "ADD") || !instr.flags.some((f) => f.name === "from")) return false;
    const words = instr.json ?? instr.args;
    return words.slice(0, -1).some((w) => {
      const src = w.value.replace(/\/+$/, "");
      return [...paths].some((k) => src !== "" && (k === src || k.startsWith(src + "/") || src === "/" || /[*?[]/.test(src)));
    });
  });
}
