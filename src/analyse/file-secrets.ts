/**
 * Rule secret-file-copy: COPY/ADD of credential files, where each lands in the image, the
 * RUNs that read it (by path or through a program that reads it implicitly), the clean-up
 * commands that become errors on a read-only mount, and `COPY --from` that carry it on.
 */
import { posix } from "node:path";
import type { Instruction, Word } from "../parse/dockerfile.js";
import { removalRange, type ShellCommand } from "../parse/shell.js";
import { classifySecretPath, type SecretFileKind } from "./secret-files.js";
import { resolveImagePath, type InstructionContext } from "./build-context.js";
import { mentionsPath, pathSpellings, programOf, wordAsPath } from "./run-script.js";
import {
  contextOf,
  laterAmong,
  runsCalling,
  newSecret,
  position,
  type AnalysisContext,
  type MountRequest,
  type MountSpec,
  type PlannedSecret,
} from "./plan.js";

interface Location {
  /** The instruction that put the file there. */
  after: Instruction;
  path: string;
  uid?: string;
  gid?: string;
  mode?: string;
  /** COPY --chown named a user whose uid is unknown here. */
  namedOwner: boolean;
}

/** Folders that exist in nearly every base image, so `COPY x /root` means "into /root". */
const EXISTING_DIRS = new Set(["/", "/root", "/tmp", "/etc", "/opt", "/srv", "/home", "/app", "/usr/src/app", "/workspace", "/var/tmp"]);
const REMOVERS = new Set(["rm", "shred", "srm", "unlink"]);
const PERMISSION_CHANGERS = new Set(["chmod", "chown", "chgrp"]);

export function sourcesOf(instr: Instruction): Word[] {
  const words = instr.json ?? instr.args;
  return words.length >= 2 ? words.slice(0, -1) : [];
}

function destinationOf(instr: Instruction): Word | null {
  const words = instr.json ?? instr.args;
  return words.length >= 2 ? words[words.length - 1] : null;
}

export function findFileSecrets(ctx: AnalysisContext): PlannedSecret[] {
  const secrets = new Map<string, PlannedSecret>();
  const locations = new Map<PlannedSecret, Location[]>();
  const kinds = new Map<PlannedSecret, SecretFileKind>();

  for (const instr of ctx.model.instructions) {
    if ((instr.keyword !== "COPY" && instr.keyword !== "ADD") || ctx.ignores(instr, "secret-file-copy")) continue;
    if (instr.flags.some((f) => f.name === "from") || instr.heredocs.length > 0) continue;
    const sources = sourcesOf(instr);
    const dest = destinationOf(instr);
    if (!dest) continue;
    sources.forEach((src, index) => {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(src.value)) return;
      const kind = ctx.classifyPath(src.value) ?? (sources.length === 1 ? ctx.classifyPath(dest.value) : null);
      if (!kind) return;
      const contextPath = posix.normalize(src.value.replace(/\/+$/, "")).replace(/^\.\//, "");
      const key = `file:${contextPath}`;
      const problem = unfixableCopy(src.value, kind);
      const target = problem ? null : targetOf(src.value, dest.value, sources.length, contextOf(ctx, instr));
      if (problem || target === null) {
        ctx.findings.push({
          rule: "secret-file-copy",
          ...position(ctx, instr),
          message: `${instr.keyword} puts ${kind.label} into the image; ${problem ?? "its destination depends on a variable unbake cannot resolve"}`,
          status: "manual",
        });
        return;
      }
      let secret = secrets.get(key);
      if (!secret) {
        secret = newSecret(key, { type: "file", path: contextPath }, instr, target);
        secrets.set(key, secret);
        locations.set(secret, []);
        kinds.set(secret, kind);
      }
      secret.removals.push({ kind: "source", instr, index });
      if (!secret.ignorePaths.includes(contextPath)) secret.ignorePaths.push(contextPath);
      locations.get(secret)!.push({ after: instr, path: target, ...ownership(instr) });
    });
  }

  for (const secret of secrets.values()) planConsumers(ctx, secret, locations.get(secret)!, kinds.get(secret)!);
  return [...secrets.values()];
}

function unfixableCopy(src: string, kind: SecretFileKind): string | null {
  if (/[*?[\]]/.test(src)) return "the source is a pattern, so the files it copies are not known";
  if (kind.directory) return "a folder of secrets cannot be one secret mount (for ssh keys use RUN --mount=type=ssh)";
  if (src.includes("$")) return "the source depends on a variable";
  return null;
}

/** Where a COPY puts one source: into the destination folder, or at the destination path. */
function targetOf(src: string, dest: string, sourceCount: number, ctx: InstructionContext): string | null {
  const resolved = resolveImagePath(dest, ctx);
  if (resolved === null) return null;
  const intoFolder =
    sourceCount > 1 ||
    /\/$/.test(dest) ||
    dest === "." ||
    dest === ".." ||
    resolved === ctx.workdir ||
    resolved === ctx.home ||
    EXISTING_DIRS.has(resolved) ||
    /^\/home\/[^/]+$/.test(resolved) ||
    classifySecretPath(resolved)?.directory === true;
  return intoFolder ? posix.join(resolved, posix.basename(src.replace(/\/+$/, ""))) : resolved;
}

function ownership(instr: Instruction): Omit<Location, "after" | "path"> {
  const out: Omit<Location, "after" | "path"> = { namedOwner: false };
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

function planConsumers(ctx: AnalysisContext, secret: PlannedSecret, queue: Location[], kind: SecretFileKind): void {
  const mounts = new Map<string, MountRequest>();
  const seen = new Set<string>();
  for (let q = 0; q < queue.length; q++) {
    const loc = queue[q];
    const scope = new Set(ctx.index.descendants(loc.after.stage));
    // Stages where a RUN already deleted the file (and the stages built from them) never see it.
    const gone = new Set<number>();
    for (const later of laterAmong(ctx, loc.after, runsConcerning(ctx, loc.path, kind).filter((p) => scope.has(ctx.model.instructions[p].stage)))) {
      if (later.keyword !== "RUN" || gone.has(later.stage)) continue;
      const use = useOfFile(ctx, secret, later, loc, kind);
      if (use.reads) {
        const key = `${ctx.indexOf.get(later)}:${loc.path}`;
        if (!mounts.has(key)) mounts.set(key, { instr: later, spec: mountFor(loc, contextOf(ctx, later)) });
      }
      if (use.deletes) for (const s of ctx.index.descendants(later.stage)) gone.add(s);
    }
    // COPY --from=<stage> of the file carries the secret into another stage: remove it there too.
    const copies = copiesFrom(ctx);
    const carried = [...scope].flatMap((s) => copies.get(s) ?? []).sort((a, b) => a - b);
    for (const position of carried) {
      const instr = ctx.model.instructions[position];
      const sources = sourcesOf(instr);
      const dest = destinationOf(instr)!;
      sources.forEach((src, index) => {
        if (posix.resolve("/", src.value) !== loc.path) return;
        const target = targetOf(src.value, dest.value, sources.length, contextOf(ctx, instr));
        const tag = `${ctx.indexOf.get(instr)}:${index}`;
        if (target === null || seen.has(tag)) return;
        seen.add(tag);
        secret.removals.push({ kind: "source", instr, index });
        queue.push({ after: instr, path: target, ...ownership(instr) });
      });
    }
  }
  secret.mounts = [...mounts.values()];
  if (secret.mounts.length === 0) {
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
function runsConcerning(ctx: AnalysisContext, path: string, kind: SecretFileKind): number[] {
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
  const base = posix.basename(path);
  if (base === "" || PATH_TOKEN_SPLIT.test(base)) return index.all;
  const found = [...(index.tokens.get(base) ?? []), ...kind.tools.flatMap((t) => runsCalling(ctx, t))];
  for (let p = path; p !== "/" && p !== "."; p = posix.dirname(p)) found.push(...(index.cleanups.get(p) ?? []));
  return found;
}

const copiesFromCache = new WeakMap<AnalysisContext, Map<number, number[]>>();

/** The COPY --from instructions (not ignored), by the stage they copy from. */
function copiesFrom(ctx: AnalysisContext): Map<number, number[]> {
  let out = copiesFromCache.get(ctx);
  if (out) return out;
  out = new Map();
  // The first stage with the name, or the stage with that number, as a linear search would find.
  const stageByRef = new Map<string, number>();
  for (const s of ctx.model.stages) {
    if (s.name !== null && !stageByRef.has(s.name.toLowerCase())) stageByRef.set(s.name.toLowerCase(), s.index);
  }
  ctx.model.instructions.forEach((instr, position) => {
    const from = instr.flags.find((f) => f.name === "from")?.value;
    if (instr.keyword !== "COPY" || !from || ctx.ignores(instr, "secret-file-copy")) return;
    const byName = stageByRef.get(from.toLowerCase());
    const byIndex = /^(?:0|[1-9][0-9]*)$/.test(from) && Number(from) < ctx.model.stages.length ? Number(from) : undefined;
    const stage = byName === undefined ? byIndex : byIndex === undefined ? byName : Math.min(byName, byIndex);
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
): { reads: boolean; deletes: boolean } {
  const script = ctx.script(run);
  const rctx = contextOf(ctx, run);
  let text = script.text;
  const base = run.commandStart;
  const blank = (c: ShellCommand) => {
    text = text.slice(0, c.start - base) + " ".repeat(c.end - c.start) + text.slice(c.end - base);
  };
  const blocked = (where: string) => {
    secret.fixable = false;
    ctx.findings.push({
      rule: "secret-file-copy",
      ...position(ctx, run),
      message: `this RUN deletes or changes ${loc.path} ${where}, which unbake does not edit; a secret mount is read-only, so change that command by hand first`,
      status: "manual",
    });
  };
  let deletes = false;
  script.editable.forEach((command, i) => {
    const cleanup = cleanupOf(command, loc.path, rctx);
    if (cleanup && cleanup !== "blocked" && REMOVERS.has(programOf(command.words.map((w) => w.value))!.name)) deletes = true;
    if (cleanup === "all") {
      const alone = script.editable.length === 1 && script.readOnly.length === 0;
      if (!alone && removalRange(script.editable, i) === null) return blocked("in a pipeline or compound command");
      secret.removals.push({ kind: "command", instr: run, command });
      blank(command);
    } else if (cleanup === "blocked") {
      blocked("in a pipeline or compound command");
    } else if (cleanup) {
      for (const word of cleanup) secret.removals.push({ kind: "word", instr: run, command, word });
    }
  });
  for (const command of script.readOnly) {
    if (cleanupOf(command, loc.path, rctx)) blocked("inside a heredoc or exec form");
  }
  const reads = mentionsPath(text, pathSpellings(loc.path, rctx)) || kind.tools.some((t) => script.programs.has(t));
  return { reads, deletes };
}

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

function mountFor(loc: Location, runCtx: InstructionContext): MountSpec {
  const spec: MountSpec = { target: loc.path };
  if (loc.uid !== undefined) {
    spec.uid = loc.uid;
    spec.gid = loc.gid;
  }
  if (loc.mode) spec.mode = loc.mode;
  else if (loc.uid === undefined && (loc.namedOwner || (runCtx.user !== null && runCtx.user !== "root" && runCtx.user !== "0"))) {
    // A COPY'd file was readable by every user; a secret mount is 0400 root unless told otherwise.
    spec.mode = "0444";
  }
  return spec;
}
