/**
 * Which folders exist in the image before an instruction (REFERENCE §10): those nearly every base
 * image has, and those an earlier WORKDIR, `RUN mkdir` or COPY/ADD of the stage (or of a stage it
 * is built FROM) made, or a `RUN rm` of a file inside shows. A COPY destination that is such a
 * folder takes the file inside it, and a folder that only a removed COPY made must be made another
 * way when a later step needs it.
 */
import { posix } from "node:path";
import type { Instruction } from "../parse/dockerfile.js";
import { resolveImagePath } from "./build-context.js";
import { contextOf, type AnalysisContext } from "./plan.js";
import { programOf, wordAsPath } from "./run-script.js";

/** Folders that exist in nearly every base image, so `COPY x /root` means "into /root". */
export const BASE_IMAGE_FOLDERS: ReadonlySet<string> = new Set([
  "/", "/root", "/tmp", "/etc", "/opt", "/srv", "/home", "/app", "/usr/src/app", "/workspace", "/var/tmp",
  "/usr", "/usr/local", "/usr/local/bin", "/usr/share", "/var", "/var/lib", "/bin", "/lib", "/run", "/mnt",
]);

/** Folder → positions of the instructions that make it, by stage. */
type Made = Map<number, Map<string, number[]>>;
const madeCache = new WeakMap<AnalysisContext, Made>();

function addMade(made: Made, stage: number, path: string, position: number): void {
  let byPath = made.get(stage);
  if (!byPath) made.set(stage, (byPath = new Map()));
  for (let p = path; p !== "/" && p !== "."; p = posix.dirname(p)) {
    const list = byPath.get(p);
    if (!list) byPath.set(p, [position]);
    else if (list[list.length - 1] !== position) list.push(position);
  }
}

function madeFolders(ctx: AnalysisContext): Made {
  let made = madeCache.get(ctx);
  if (made) return made;
  made = new Map();
  ctx.model.instructions.forEach((instr, position) => {
    if (instr.trigger || instr.stage < 0) return;
    const ictx = ctx.contexts[position];
    if (instr.keyword === "WORKDIR") addMade(made!, instr.stage, ictx.workdir, position);
    else if (instr.keyword === "RUN") {
      const script = ctx.script(instr);
      for (const command of [...script.editable, ...script.readOnly]) {
        const words = command.words.map((w) => w.value);
        const program = programOf(words);
        // `rm dir/file` shows that dir is a folder: whoever removes a file in it knows it is there.
        if (program?.name !== "mkdir" && program?.name !== "rm") continue;
        for (const w of command.words.slice(program.index + 1)) {
          if (w.value.startsWith("-")) continue;
          const p = wordAsPath(w, ictx);
          if (p !== null) addMade(made!, instr.stage, program.name === "rm" ? posix.dirname(p) : p, position);
        }
      }
    } else if (instr.keyword === "COPY" || instr.keyword === "ADD") {
      const words = instr.json ?? instr.args;
      if (words.length < 2) return;
      const dest = words[words.length - 1].value;
      const resolved = resolveImagePath(dest, ictx, { literalTilde: true });
      if (resolved === null) return;
      // The destination folder itself when it is one; its parent in any case.
      addMade(made!, instr.stage, words.length > 2 || dest.endsWith("/") ? resolved : posix.dirname(resolved), position);
    }
  });
  madeCache.set(ctx, made);
  return made;
}

/**
 * Is `path` a folder in the image when `instr` runs? `except` leaves out the folders one
 * instruction made (the COPY being removed, when asking what remains without it).
 */
export function isFolderBefore(ctx: AnalysisContext, instr: Instruction, path: string, except?: ReadonlySet<Instruction> | Instruction): boolean {
  if (BASE_IMAGE_FOLDERS.has(path) || /^\/home\/[^/]+$/.test(path)) return true;
  const ictx = contextOf(ctx, instr);
  if (path === ictx.workdir || path === ictx.home) return true;
  const made = madeFolders(ctx);
  const at = ctx.indexOf.get(instr)!;
  const skipped = new Set<number>();
  for (const e of except === undefined ? [] : "keyword" in except ? [except] : except) skipped.add(ctx.indexOf.get(e)!);
  // This stage up to the instruction, then each stage it is built FROM, whole.
  let limit = at;
  for (let stage: number | null = instr.stage; stage !== null && stage >= 0; stage = ctx.model.stages[stage].parent) {
    const positions = made.get(stage)?.get(path) ?? [];
    if (positions.some((p) => p < limit && !skipped.has(p))) return true;
    limit = Infinity;
  }
  return false;
}

/**
 * The USER instruction in force at `instr` (in its stage, or a stage it is built FROM) when it
 * names a user other than root: COPY made its missing folders as root whatever USER said, so a
 * RUN that makes them instead must run as root too and hand the stage back to that USER.
 */
export function nonRootUserAt(ctx: AnalysisContext, instr: Instruction): Instruction | null {
  const user = contextOf(ctx, instr).user;
  if (user === null || user === "root" || user === "0") return null;
  let limit = ctx.indexOf.get(instr)!;
  for (let stage: number | null = instr.stage; stage !== null && stage >= 0; stage = ctx.model.stages[stage].parent) {
    const users = ctx.index.inStage(stage).filter((p) => p < limit && ctx.model.instructions[p].keyword === "USER" && !ctx.model.instructions[p].trigger);
    if (users.length > 0) return ctx.model.instructions[users[users.length - 1]];
    limit = Infinity;
  }
  return null;
}
