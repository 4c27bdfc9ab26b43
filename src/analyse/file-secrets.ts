/**
 * Rule secret-file-copy: COPY/ADD of credential files, where each lands in the image, the
 * RUNs that read it (by path or through a program that reads it implicitly), the clean-up
 * commands that become errors on a read-only mount, and `COPY --from` that carry it on.
 */
import { isNeverCredential } from "../knowledge/never-credential-files.js";
import { posix } from "node:path";
import type { Instruction, Word } from "../parse/dockerfile.js";
import { removalRange, type ShellCommand } from "../parse/shell.js";
import { classifySecretPath, type SecretFileKind } from "./secret-files.js";
import { resolveImagePath, type InstructionContext } from "./build-context.js";
import { mentionsPath, pathSpellings, programOf, runsAsOtherUser, wordAsPath } from "./run-script.js";
import { isFolderBefore, nonRootUserAt } from "./image-folders.js";
import { aliasOf, ALIAS_PROGRAMS, type Alias } from "./file-aliases.js";
import { findContextCopies } from "./context-copies.js";
import { classifyContent, type ContentVerdict } from "./file-contents.js";
import {
  contextOf,
  laterAmong,
  laterInstructions,
  runsCalling,
  newSecret,
  position,
  type AnalysisContext,
  type FolderNeed,
  type MountRequest,
  type MountSpec,
  type PlannedSecret,
} from "./plan.js";

export interface Location {
  /** The instruction that put the file there. */
  after: Instruction;
  path: string;
  /** What the file is where it lies: the destination's kind wins when tools read it there. */
  kind: SecretFileKind;
  uid?: string;
  gid?: string;
  mode?: string;
  /** COPY --chown named a user whose uid is unknown here. */
  namedOwner: boolean;
}

const REMOVERS = new Set(["rm", "shred", "srm", "unlink"]);
const PERMISSION_CHANGERS = new Set(["chmod", "chown", "chgrp"]);

export function sourcesOf(instr: Instruction): Word[] {
  const words = instr.json ?? instr.args;
  return words.length >= 2 ? words.slice(0, -1) : [];
}

export function destinationOf(instr: Instruction): Word | null {
  const words = instr.json ?? instr.args;
  return words.length >= 2 ? words[words.length - 1] : null;
}

/**
 * The context path a COPY/ADD source names: relative to the context root, where a leading `/`
 * also points (REFERENCE §10), `..` never leaving it.
 */
export function contextPathOf(src: string): string {
  return posix.normalize("/" + src.replace(/\/+$/, "")).slice(1);
}

/**
 * The kind of a credential file, from its source name and from where it lands: `creds.ini`
 * copied to `/root/.aws/credentials` is what the AWS tools read.
 */
export function kindAt(source: SecretFileKind | null, destination: SecretFileKind | null): SecretFileKind | null {
  if (!destination || destination.directory) return source;
  if (!source || (destination.tools.length > 0 && destination.kind !== source.kind)) return destination.tools.length > 0 || !source ? destination : source;
  return source;
}

export function findFileSecrets(ctx: AnalysisContext): PlannedSecret[] {
  const secrets = new Map<string, PlannedSecret>();
  const locations = new Map<PlannedSecret, Location[]>();
  const templates: Template[] = [];

  for (const instr of ctx.model.instructions) {
    if ((instr.keyword !== "COPY" && instr.keyword !== "ADD") || ctx.ignores(instr, "secret-file-copy")) continue;
    if (instr.flags.some((f) => f.name === "from") || instr.heredocs.length > 0) continue;
    const sources = sourcesOf(instr);
    const dest = destinationOf(instr);
    if (!dest) continue;
    sources.forEach((src, index) => {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(src.value)) return;
      const byName = ctx.classifyPath(src.value);
      // A Dockerfile or a document copied under a credential's name is still what it was.
      if (!byName && isNeverCredential(src.value)) return;
      const target = targetOf(ctx, instr, src.value, dest.value, sources.length);
      // A destination that names a file types it; one that is a folder only when the source is unknown.
      const intoFolder = target !== null && target !== resolveImagePath(dest.value, contextOf(ctx, instr), { literalTilde: true });
      const byPlace = target !== null && (byName || !intoFolder) ? ctx.classifyPath(target) : null;
      const kind = kindAt(byName, byPlace) ?? (sources.length === 1 && !byName ? ctx.classifyPath(dest.value) : null);
      if (!kind) return;
      const contextPath = contextPathOf(src.value);
      const key = `file:${contextPath}`;
      // Batch mode: what the file holds, when the caller read it (file-contents.ts); else the name decides.
      // An ONBUILD trigger copies from the context of the builds FROM this image, not from this one.
      const content = kind.directory || instr.trigger ? UNREAD : classifyContent(kind.kind, ctx.contextFiles?.[contextPath]);
      if (content.verdict === "none") return; // no credential in it: an ordinary file
      if (content.verdict === "template") {
        templates.push({ instr, kind, path: contextPath, target, names: content.names });
        return;
      }
      const problem = unfixableCopy(src.value, kind);
      if (problem || target === null) {
        ctx.findings.push({
          rule: "secret-file-copy",
          ...position(ctx, instr),
          message: `${instr.keyword} puts ${kind.label} into the image; ${problem ?? "its destination depends on a variable unbake cannot resolve"}${content.verdict === "literal" ? `; ${LITERAL_NOTE}` : ""}`,
          status: "manual",
        });
        return;
      }
      let secret = secrets.get(key);
      if (!secret) {
        secret = newSecret(key, { type: "file", path: contextPath }, instr, target);
        secrets.set(key, secret);
        locations.set(secret, []);
      }
      if (content.verdict === "literal" && !secret.hardcoded) {
        secret.hardcoded = true;
        secret.notes.push(LITERAL_NOTE);
      }
      secret.removals.push({ kind: "source", instr, index });
      if (/^~(?:\/|$)/.test(dest.value) && !secret.notes.some((n) => n.startsWith("COPY does not expand"))) {
        secret.notes.push(`COPY does not expand ~: the file was at ${target}, and is mounted there`);
      }
      if (!secret.ignorePaths.includes(contextPath)) secret.ignorePaths.push(contextPath);
      locations.get(secret)!.push({ after: instr, path: target, kind, ...ownership(instr) });
    });
  }

  // Files reached through a copy of the whole context (`COPY . /src`) and copied out or read there.
  for (const found of findContextCopies(ctx, secrets)) {
    const key = `file:${found.contextPath}`;
    let secret = secrets.get(key);
    if (!secret) {
      secret = newSecret(key, { type: "file", path: found.contextPath }, found.copy, found.path);
      secrets.set(key, secret);
      locations.set(secret, []);
    }
    if (!secret.ignorePaths.includes(found.contextPath)) secret.ignorePaths.push(found.contextPath);
    locations.get(secret)!.push({ after: found.copy, path: found.path, kind: found.kind, namedOwner: false });
  }

  for (const t of templates) reportTemplate(ctx, t);
  for (const secret of secrets.values()) planConsumers(ctx, secret, locations.get(secret)!);
  // COPYs that lose a source may go whole: they make no folder a later step can count on.
  const losing = new Set([...secrets.values()].flatMap((s) => s.removals.flatMap((r) => (r.kind === "source" ? [r.instr] : []))));
  for (const secret of secrets.values()) {
    for (const r of secret.removals) {
      if (r.kind !== "source") continue;
      const loc = locations.get(secret)!.find((l) => l.after === r.instr);
      if (loc) planFolders(ctx, secret, r.instr, loc.path, losing);
    }
  }
  return [...secrets.values()];
}

const UNREAD: ContentVerdict = { verdict: "unknown" };
const LITERAL_NOTE = "the file holds a literal credential (in the build context, and in every image built before): rotate it";

/** A credential file that is a template: the tool fills its `${VAR}`s from its environment. */
interface Template {
  instr: Instruction;
  kind: SecretFileKind;
  path: string;
  target: string | null;
  names: string[];
}

/**
 * A template COPY stays: it holds no secret, its variables are the secret. When the Dockerfile
 * declares them (ARG/ENV), the variable rule mounts them where the tool reads them; otherwise the
 * build as written never gets them, and the finding says how to give them to the RUNs that read
 * the file.
 */
function reportTemplate(ctx: AnalysisContext, t: Template): void {
  const declared = new Set(ctx.model.instructions.flatMap((i) => (i.keyword === "ARG" || i.keyword === "ENV" ? i.properties.map((p) => p.name) : [])));
  const missing = t.names.filter((n) => !declared.has(n));
  if (missing.length === 0) return;
  const base = posix.basename(t.target ?? t.path);
  const scope = new Set(ctx.index.descendants(t.instr.stage));
  const readers = laterInstructions(ctx, t.instr, scope).filter((i) => {
    if (i.keyword !== "RUN") return false;
    const script = ctx.script(i);
    return t.kind.tools.some((tool) => script.programs.has(tool)) || mentionsPath(script.text, [base]);
  });
  const all = [...new Set(readers.map((r) => position(ctx, r).line))];
  // A crafted file can have thousands of readers: the first eight lines and a count.
  const lines = all.length > 8 ? [...all.slice(0, 8), `and ${all.length - 8} more`] : all;
  const id = (n: string) => n.toLowerCase().replace(/[^a-z0-9_.-]+/g, "_");
  const mounts = missing.map((n) => `--mount=type=secret,id=${id(n)},env=${n}`).join(" ");
  const flags = missing.map((n) => `--secret id=${id(n)},env=${n}`).join(" ");
  const where = lines.length > 0 ? `the RUN${lines.length > 1 ? "s" : ""} on line${lines.length > 1 ? "s" : ""} ${lines.join(", ")}` : "the RUNs that read it";
  const refs = missing.map((n) => `\${${n}}`).join(", ");
  ctx.findings.push({
    rule: "secret-file-copy",
    ...position(ctx, t.instr),
    message: `${t.instr.keyword} puts ${t.path} into the image as a template: ${t.kind.tools[0] ?? "its tool"} fills ${refs} from its environment when it reads the file, so the file holds no secret and stays; ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} the secret, and nothing in this Dockerfile gives ${missing.length > 1 ? "them" : "it"} to the build: add ${mounts} to ${where} and build with ${flags}`,
    status: "needs-review",
  });
}

/**
 * The folders a COPY to `target` creates (those above it that did not exist before it), kept
 * when a later RUN of the stage still writes or reads inside them (REFERENCE §10).
 */
function planFolders(ctx: AnalysisContext, secret: PlannedSecret, copy: Instruction, target: string, losing: ReadonlySet<Instruction>): void {
  if (copy.trigger) return;
  const made: string[] = [];
  for (let dir = posix.dirname(target); dir !== "/" && !isFolderBefore(ctx, copy, dir, losing); dir = posix.dirname(dir)) made.unshift(dir);
  if (made.length === 0) return;
  const deepest = made[made.length - 1];
  const naming = runsNamingFolder(ctx, deepest);
  const names = (run: Instruction, text = ctx.script(run).text) => pathSpellings(deepest, contextOf(ctx, run)).some((s) => mentionsFolder(text, s));
  // An earlier RUN that names the folder (`git clone … /var/www/app`) most likely made it.
  const at = ctx.indexOf.get(copy)!;
  const lineage = new Set(earlierStages(ctx, copy.stage));
  if (naming.some((p) => p < at && lineage.has(ctx.model.instructions[p].stage) && !ctx.model.instructions[p].trigger && names(ctx.model.instructions[p]))) return;
  const scope = new Set(ctx.index.descendants(copy.stage));
  // The first later RUN that names the folder (or a path in it other than the secret's own) needs it,
  // unless that RUN mounts the secret inside it: the mount makes the folder there.
  const first = laterAmong(ctx, copy, naming).find((run) => {
    if (!scope.has(run.stage)) return false;
    let text = ctx.script(run).text;
    for (const s of pathSpellings(target, contextOf(ctx, run))) text = text.split(s).join(" ");
    return names(run, text);
  });
  if (!first || secret.mounts.some((m) => m.instr === first && m.spec.target?.startsWith(deepest + "/"))) return;
  // Another instruction on the way makes it (`COPY id_rsa.pub /root/.ssh/`, WORKDIR, mkdir).
  if (isFolderBefore(ctx, first, deepest, losing)) return;
  const owner = copy.flags.find((f) => f.name === "chown")?.value ?? undefined;
  const user = nonRootUserAt(ctx, copy);
  const need: FolderNeed = { instr: copy, dirs: [deepest], ...(owner ? { owner } : {}), ...(user ? { user: userText(ctx, user) } : {}) };
  if (owner) need.dirs = made; // each folder the COPY made belongs to the owner
  (secret.folders ??= []).push(need);
}

/** A USER instruction's argument as written (a continued one joined). */
function userText(ctx: AnalysisContext, user: Instruction): string {
  const raw = ctx.model.text.slice(user.commandStart, user.end).trim();
  return /[\r\n]/.test(raw) ? user.args.map((a) => a.value).join(" ") : raw;
}

/** The stage and the stages it is built FROM. */
function earlierStages(ctx: AnalysisContext, stage: number): number[] {
  const out: number[] = [];
  for (let s: number | null = stage; s !== null && s >= 0; s = ctx.model.stages[s].parent) out.push(s);
  return out;
}

/** Does the text name the folder, or a path inside it? */
function mentionsFolder(text: string, folder: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(folder, from);
    if (at === -1) return false;
    from = at + 1;
    const before = at === 0 ? " " : text[at - 1];
    const after = at + folder.length >= text.length ? " " : text[at + folder.length];
    if (/[\s"'=:(`;|&<>,]/.test(before) && /[\s"'`;|&<>),/]/.test(after)) return true;
  }
}

function unfixableCopy(src: string, kind: SecretFileKind): string | null {
  if (/[*?[\]]/.test(src)) return "the source is a pattern, so the files it copies are not known: name each credential file in a COPY of its own, then run unbake again";
  if (kind.directory) return "a folder of secrets cannot be one secret mount (for ssh keys use RUN --mount=type=ssh)";
  if (src.includes("$")) return "the source depends on a variable, so unbake cannot tell which file (nor give it an id of its own in the batch): name the file in the COPY, then run unbake again";
  return null;
}

/**
 * Where a COPY puts one source (REFERENCE §10): into the destination folder — a trailing `/`,
 * several sources, or a folder the image already has — or at the destination path. `~` is a
 * plain name there, `$VAR` comes from ARG/ENV.
 */
function targetOf(ctx: AnalysisContext, instr: Instruction, src: string, dest: string, sourceCount: number): string | null {
  const resolved = resolveImagePath(dest, contextOf(ctx, instr), { literalTilde: true });
  if (resolved === null) return null;
  const intoFolder =
    sourceCount > 1 ||
    /\/$/.test(dest) ||
    dest === "." ||
    dest === ".." ||
    isFolderBefore(ctx, instr, resolved) ||
    classifySecretPath(resolved)?.directory === true;
  return intoFolder ? posix.join(resolved, posix.basename(src.replace(/\/+$/, ""))) : resolved;
}

function ownership(instr: Instruction): Omit<Location, "after" | "path" | "kind"> {
  const out: Omit<Location, "after" | "path" | "kind"> = { namedOwner: false };
  const chown = instr.flags.find((f) => f.name === "chown")?.value;
  if (chown) {
    const [user, group] = chown.split(":");
    if (/^\d+$/.test(user) && (group === undefined || /^\d+$/.test(group))) {
      out.uid = user;
      out.gid = group ?? user;
    } else out.namedOwner = true;
  }
  const chmod = instr.flags.find((f) => f.name === "chmod")?.value;
  if (chmod && /^[0-7]{3,4}$/.test(chmod)) out.mode = chmod.padStart(4, "0");
  return out;
}

function planConsumers(ctx: AnalysisContext, secret: PlannedSecret, queue: Location[]): void {
  const mounts = new Map<string, MountRequest>();
  const seen = new Set<string>();
  const mount = (run: Instruction, loc: Location) => {
    const key = `${ctx.indexOf.get(run)}:${loc.path}`;
    if (!mounts.has(key)) mounts.set(key, { instr: run, spec: mountFor(loc, contextOf(ctx, run), runsAsOtherUser(ctx.script(run))) });
  };
  const aliased = new Set<string>();
  // Does some place of the file outlive its stage (no later RUN there deletes it)?
  let outlives = false;
  for (let q = 0; q < queue.length; q++) {
    const loc = queue[q];
    const { kind } = loc;
    const scope = new Set(ctx.index.descendants(loc.after.stage));
    // Stages where a RUN already deleted the file (and the stages built from them) never see it.
    const gone = new Set<number>();
    // Once copied to where its tools read it, the file's first place is read only where a RUN names it.
    let copiedOut = false;
    for (const later of laterAmong(ctx, loc.after, runsConcerning(ctx, loc.path, kind, scope))) {
      if (later.keyword !== "RUN" || gone.has(later.stage)) continue;
      const use = useOfFile(ctx, secret, later, loc, copiedOut ? { ...kind, tools: [] } : kind);
      if (use.aliases.length > 0) copiedOut = true;
      if (use.reads) mount(later, loc);
      for (const alias of use.aliases) {
        const tag = `${ctx.indexOf.get(later)}:${alias.path}`;
        if (aliased.has(tag)) continue;
        aliased.add(tag);
        const place = ctx.classifyPath(alias.path);
        const next: Location = {
          after: later,
          path: alias.path,
          kind: kindAt(kind, place) ?? kind,
          namedOwner: loc.namedOwner,
          ...(alias.uid !== undefined ? { uid: alias.uid, gid: alias.gid } : loc.uid !== undefined ? { uid: loc.uid, gid: loc.gid } : {}),
          ...(alias.mode ?? loc.mode ? { mode: alias.mode ?? loc.mode } : {}),
        };
        // The rest of this RUN may read the copy already, or clean it up (`cp … ~/.npmrc && npm ci && rm ~/.npmrc`).
        const here = useOfFile(ctx, secret, later, next, next.kind, use.skip);
        if (here.reads) mount(later, next);
        if (!here.deletes) queue.push(next);
      }
      if (use.deletes) for (const s of ctx.index.descendants(later.stage)) gone.add(s);
    }
    if (!gone.has(loc.after.stage)) outlives = true;
    // COPY --from=<stage> of the file carries the secret into another stage: remove it there too.
    const copies = copiesFrom(ctx);
    const carried = [...scope].flatMap((s) => copies.get(s) ?? []).sort((a, b) => a - b);
    for (const position of carried) {
      const instr = ctx.model.instructions[position];
      const sources = sourcesOf(instr);
      const dest = destinationOf(instr)!;
      sources.forEach((src, index) => {
        if (posix.resolve("/", src.value) !== loc.path) return;
        const target = targetOf(ctx, instr, src.value, dest.value, sources.length);
        const tag = `${ctx.indexOf.get(instr)}:${index}`;
        if (target === null || seen.has(tag)) return;
        seen.add(tag);
        secret.removals.push({ kind: "source", instr, index });
        queue.push({ after: instr, path: target, kind: kindAt(loc.kind, ctx.classifyPath(target)) ?? loc.kind, ...ownership(instr) });
      });
    }
  }
  secret.mounts = [...mounts.values()];
  if (secret.mounts.length === 0 && !outlives) {
    secret.notes.push("no build step reads it and a later RUN deletes it before the image is done: nothing needs it, so it goes with its clean-up");
  } else if (secret.mounts.length === 0) {
    secret.review = true;
    secret.notes.push(
      `no build step reads it, so it leaves the image: the running container must get it at run time (docker run --mount type=bind,src=./${secret.source.type === "file" ? secret.source.path : ""},dst=${secret.target},readonly)`,
    );
  }
}

/** Characters around a path in a RUN (mentionsPath's boundaries) and inside it. */
const PATH_TOKEN_SPLIT = /[\s"'=:(`;|&<>,)/]+/;

interface RunIndex {
  /** Word pieces between path boundaries → RUN positions. */
  tokens: Map<string, number[]>;
  /** Absolute paths operands of rm/chmod/… name → RUN positions. */
  cleanups: Map<string, number[]>;
  all: number[];
}

const runIndexCache = new WeakMap<AnalysisContext, RunIndex>();

/**
 * The RUNs that may read, delete or re-permission the file at `path`, in file order: those that
 * name its last path part (every spelling mentionsPath accepts ends with it, between
 * boundaries), call a program that reads that kind of file, or clean up that path or a folder
 * above it. useOfFile gives nothing for every other RUN, so looking only at these is exact.
 */
function runsConcerning(ctx: AnalysisContext, path: string, kind: SecretFileKind, stages: ReadonlySet<number>): number[] {
  const index = runIndex(ctx);
  const base = posix.basename(path);
  if (base === "" || PATH_TOKEN_SPLIT.test(base)) return inStages(ctx, index.all, stages);
  const found = [...inStages(ctx, index.tokens.get(base) ?? [], stages), ...kind.tools.flatMap((t) => inStages(ctx, runsCalling(ctx, t), stages))];
  for (let p = path; p !== "/" && p !== "."; p = posix.dirname(p)) found.push(...inStages(ctx, index.cleanups.get(p) ?? [], stages));
  return found;
}

const byStageCache = new WeakMap<readonly number[], Map<number, number[]>>();

/**
 * Of a list of instruction positions, those in the given stages. Each list is split by stage once:
 * every copy in a chain of `COPY --from` stages names the same file, and filtering the whole list
 * for each would cost stages².
 */
function inStages(ctx: AnalysisContext, list: readonly number[], stages: ReadonlySet<number>): number[] {
  let split = byStageCache.get(list);
  if (!split) {
    split = new Map();
    for (const p of list) {
      const stage = ctx.model.instructions[p].stage;
      const l = split.get(stage);
      if (l) l.push(p);
      else split.set(stage, [p]);
    }
    byStageCache.set(list, split);
  }
  const out: number[] = [];
  for (const s of stages) out.push(...(split.get(s) ?? []));
  return out;
}

/** The RUNs whose text has the folder's last part between path boundaries: all that can name the folder. */
function runsNamingFolder(ctx: AnalysisContext, folder: string): readonly number[] {
  const index = runIndex(ctx);
  const base = posix.basename(folder);
  return base === "" || PATH_TOKEN_SPLIT.test(base) ? index.all : (index.tokens.get(base) ?? []);
}

function runIndex(ctx: AnalysisContext): RunIndex {
  let index = runIndexCache.get(ctx);
  if (!index) {
    index = { tokens: new Map(), cleanups: new Map(), all: [] };
    const add = (map: Map<string, number[]>, key: string, position: number) => {
      const list = map.get(key);
      if (!list) map.set(key, [position]);
      else if (list[list.length - 1] !== position) list.push(position);
    };
    for (const [position, instr] of ctx.model.instructions.entries()) {
      if (instr.keyword !== "RUN") continue;
      index.all.push(position);
      const script = ctx.script(instr);
      for (const token of script.text.split(PATH_TOKEN_SPLIT)) if (token) add(index.tokens, token, position);
      const rctx = contextOf(ctx, instr);
      for (const command of [...script.editable, ...script.readOnly]) {
        const program = programOf(command.words.map((w) => w.value));
        if (!program || (!REMOVERS.has(program.name) && !PERMISSION_CHANGERS.has(program.name))) continue;
        for (const w of command.words.slice(program.index + 1)) {
          const p = wordAsPath(w, rctx);
          if (p !== null) add(index.cleanups, p, position);
        }
      }
    }
    runIndexCache.set(ctx, index);
  }
  return index;
}

const copiesFromCache = new WeakMap<AnalysisContext, Map<number, number[]>>();

/** The COPY --from instructions (not ignored), by the stage they copy from. */
function copiesFrom(ctx: AnalysisContext): Map<number, number[]> {
  let out = copiesFromCache.get(ctx);
  if (out) return out;
  out = new Map();
  ctx.model.instructions.forEach((instr, position) => {
    const from = instr.flags.find((f) => f.name === "from")?.value;
    if (instr.keyword !== "COPY" || !from || ctx.ignores(instr, "secret-file-copy")) return;
    const stage = ctx.index.stageNamed(from);
    if (stage === undefined) return;
    const list = out!.get(stage);
    if (list) list.push(position);
    else out!.set(stage, [position]);
  });
  copiesFromCache.set(ctx, out);
  return out;
}

/**
 * Does this RUN read the secret file, and does it delete it? Clean-up of it (rm, chmod …) is
 * not a read, and is planned for removal.
 */
function useOfFile(
  ctx: AnalysisContext,
  secret: PlannedSecret,
  run: Instruction,
  loc: Location,
  kind: SecretFileKind,
  skip: ReadonlySet<ShellCommand> = new Set(),
): { reads: boolean; deletes: boolean; aliases: Alias[]; skip: Set<ShellCommand> } {
  const script = ctx.script(run);
  const rctx = contextOf(ctx, run);
  let text = script.text;
  const base = run.commandStart;
  const removed = new Set(skip);
  const blank = (c: ShellCommand) => {
    removed.add(c);
    text = text.slice(0, c.start - base) + " ".repeat(c.end - c.start) + text.slice(c.end - base);
  };
  for (const c of skip) blank(c);
  const report = (message: string) => {
    secret.fixable = false;
    ctx.findings.push({ rule: "secret-file-copy", ...position(ctx, run), message, status: "manual" });
  };
  const blocked = (where: string) =>
    report(`this RUN deletes or changes ${loc.path} ${where}, which unbake does not edit; a secret mount is read-only, so change that command by hand first`);
  const unfollowed = (where: string) =>
    report(`this RUN copies ${loc.path} ${where}, which unbake does not follow; the copy would keep the secret in this layer, so mount the secret where the copy is read by hand`);
  const isFolder = (p: string) => isFolderBefore(ctx, run, p);
  const copies = script.programs.size > 0 && ALIAS_PROGRAMS.some((p) => script.programs.has(p));
  const aliases: Alias[] = [];
  let deletes = false;
  // The folder each top-level command runs in: WORKDIR, then each `cd` before it (`cd ~/.ssh && chmod 400 key`).
  let cwd = rctx.workdir;
  script.editable.forEach((command, i) => {
    const here = cwd;
    cwd = cdTarget(command, { ...rctx, workdir: here }) ?? cwd;
    if (skip.has(command)) return;
    const alias = copies ? aliasOf(command, loc.path, rctx, isFolder) : null;
    if (alias === "unknown") return unfollowed("in a form (a target folder, a glob, an owner name)");
    if (alias) {
      const alone = script.editable.length === 1 && script.readOnly.length === 0;
      if (command.compound || command.depth > 0 || (!alone && removalRange(script.editable, i) === null)) {
        return unfollowed("in a pipeline or compound command");
      }
      secret.removals.push({ kind: "command", instr: run, command });
      blank(command);
      aliases.push(alias);
      if (alias.moves) deletes = true;
      return;
    }
    const cleanup = cleanupOf(command, loc.path, { ...rctx, workdir: here });
    if (cleanup && cleanup !== "blocked" && REMOVERS.has(programOf(command.words.map((w) => w.value))!.name)) deletes = true;
    if (cleanup === "all") {
      const alone = script.editable.length === 1 && script.readOnly.length === 0;
      if (!alone && removalRange(script.editable, i) === null) return blocked("in a pipeline or compound command");
      secret.removals.push({ kind: "command", instr: run, command });
      blank(command);
    } else if (cleanup === "blocked") {
      blocked("in a pipeline or compound command");
    } else if (cleanup) {
      for (const word of cleanup) {
        secret.removals.push({ kind: "word", instr: run, command, word });
        // A path only named to be deleted is no read of it.
        text = text.slice(0, word.start - base) + " ".repeat(word.end - word.start) + text.slice(word.end - base);
      }
    }
  });
  for (const command of script.readOnly) {
    const cleanup = cleanupOf(command, loc.path, rctx);
    const list = script.nested.find((l) => l.includes(command));
    // A clean-up in a quoted `sh -c '…'` script goes like a top-level one when others stay there.
    if (cleanup === "all" && list && list.length > 1 && !skip.has(command) && removalRange(list, list.indexOf(command)) !== null) {
      if (REMOVERS.has(programOf(command.words.map((w) => w.value))!.name)) deletes = true;
      secret.removals.push({ kind: "command", instr: run, command });
      blank(command);
    } else if (cleanup) blocked("inside a heredoc, exec form or compound command");
    else if (copies && aliasOf(command, loc.path, rctx, isFolder)) unfollowed("inside a heredoc, exec form or compound command");
  }
  const reads = mentionsPath(text, pathSpellings(loc.path, rctx)) || kind.tools.some((t) => script.programs.has(t));
  return { reads, deletes, aliases, skip: removed };
}

/** The folder a top-level `cd DIR` moves to; an unknown one (`cd $X`, `cd -`) matches no path; null for other commands. */
function cdTarget(command: ShellCommand, ctx: InstructionContext): string | null {
  const words = command.words.map((w) => w.value);
  const program = programOf(words);
  if (program?.name !== "cd" || command.depth > 0 || command.compound) return null;
  const operand = command.words.slice(program.index + 1).find((w) => !w.value.startsWith("-") || w.value === "-");
  if (!operand) return ctx.home ?? UNKNOWN_FOLDER;
  return (operand.value === "-" ? null : wordAsPath(operand, ctx)) ?? UNKNOWN_FOLDER;
}
const UNKNOWN_FOLDER = "/\0unknown";

/**
 * "all" when the command only deletes or re-permissions the secret (so it goes), the words to
 * drop when it also touches other files, null when it is not about the secret.
 */
function cleanupOf(
  command: ShellCommand,
  path: string,
  ctx: InstructionContext,
): "all" | "blocked" | ShellCommand["words"] | null {
  const words = command.words.map((w) => w.value);
  const program = programOf(words);
  if (!program) return null;
  const remover = REMOVERS.has(program.name);
  if (!remover && !PERMISSION_CHANGERS.has(program.name)) return null;
  let operands = command.words.slice(program.index + 1).filter((w) => !w.value.startsWith("-"));
  if (!remover) operands = operands.slice(1);
  if (operands.length === 0) return null;
  const hits = operands.filter((w) => {
    const p = wordAsPath(w, ctx);
    if (p === null) return false;
    if (p === path) return true;
    // `rm -rf ~/.ssh` would fail on the mount point inside it.
    return remover && path.startsWith(p + "/") && posix.basename(p).startsWith(".");
  });
  if (hits.length === 0) return null;
  if (command.compound || command.depth > 0) return "blocked";
  return hits.length === operands.length ? "all" : hits;
}

function mountFor(loc: Location, runCtx: InstructionContext, otherUser: boolean): MountSpec {
  const spec: MountSpec = { target: loc.path };
  if (loc.uid !== undefined) {
    spec.uid = loc.uid;
    spec.gid = loc.gid;
  }
  if (loc.mode) spec.mode = loc.mode;
  else if (loc.uid === undefined && (loc.namedOwner || otherUser || (runCtx.user !== null && runCtx.user !== "root" && runCtx.user !== "0"))) {
    // A COPY'd file was readable by every user; a secret mount is 0400 root unless told otherwise.
    spec.mode = "0444";
  }
  return spec;
}
