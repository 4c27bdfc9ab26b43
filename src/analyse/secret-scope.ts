/**
 * Where a secret was before the rewrite: in the shipped image — the final stage's config and
 * layers, those of the stages it is built FROM, or a file the final stage takes with COPY --from —
 * or only in build stages the image never takes it from (their layers, the build cache).
 * A build with `--target` ships another stage; unbake judges the file's last stage, as a plain
 * `docker build` does.
 */
import { posix } from "node:path";
import type { Instruction } from "../parse/dockerfile.js";
import type { FindingScope } from "../types.js";
import type { AnalysisContext, PlannedSecret } from "./plan.js";

/**
 * Something that held the secret: an instruction's metadata only (`path` absent: an ARG/ENV
 * value, in the stage's config and history), or also a file, at `path` (absolute) or somewhere
 * unknown ("unknown": a RUN's write, a copy unbake did not follow).
 */
export interface Placement {
  instr: Instruction;
  path?: string;
}

export function scopeOf(ctx: AnalysisContext, placements: readonly Placement[]): FindingScope {
  return placements.some((p) => reachesImage(ctx, p)) ? "image" : "build-stages";
}

/**
 * Everything that held the secret: its ARG/ENV (metadata), the files its COPYs made (a COPY --from
 * of it at a path unbake did not work out counts as anywhere), and, when a RUN writes it into a
 * file that stays (or it is left as it is), every RUN that reads it.
 */
export function secretScope(ctx: AnalysisContext, secret: PlannedSecret): FindingScope {
  const placements: Placement[] = [];
  for (const r of secret.removals) {
    if (r.kind === "property" && !r.reset) placements.push({ instr: r.instr });
    else if (r.kind === "source") placements.push({ instr: r.instr, path: r.instr === secret.carrier && secret.target ? secret.target : "unknown" });
  }
  if (secret.source.type === "file" && !secret.removals.some((r) => r.kind === "source")) {
    placements.push({ instr: secret.carrier, path: secret.target ?? "unknown" });
  }
  if (!secret.fixable || secret.stays?.length) for (const m of secret.mounts) placements.push({ instr: m.instr, path: "unknown" });
  return scopeOf(ctx, placements);
}

/** The scope of a finding about one instruction, with no secret to follow: a RUN or COPY may have left a file anywhere. */
export function instructionScope(ctx: AnalysisContext, instr: Instruction): FindingScope {
  const file = instr.keyword === "RUN" || instr.keyword === "COPY" || instr.keyword === "ADD";
  return scopeOf(ctx, [{ instr, ...(file ? { path: "unknown" } : {}) }]);
}

const reachCache = new WeakMap<AnalysisContext, Map<string, boolean>>();

function reachesImage(ctx: AnalysisContext, p: Placement): boolean {
  if (ctx.model.stages.length === 0 || p.instr.stage < 0) return false; // an ARG before the first FROM is in no stage
  if (shipped(ctx).has(p.instr.stage)) return true;
  if (p.path === undefined) return false;
  // Thousands of secrets may sit in one stage: each stage and path is followed once.
  let memo = reachCache.get(ctx);
  if (!memo) reachCache.set(ctx, (memo = new Map()));
  const key = `${p.instr.stage}\0${p.path}`;
  let found = memo.get(key);
  if (found === undefined) memo.set(key, (found = copiedIntoFinal(ctx, p.instr.stage, p.path)));
  return found;
}

/**
 * Does a chain of COPY --from take the file at `path` of `stage` into the final stage? The stage
 * and those built FROM it hold it at `path`; a COPY --from one of them that covers it puts it
 * somewhere unbake does not follow, from where any later copy counts (reachesFinal).
 */
function copiedIntoFinal(ctx: AnalysisContext, stage: number, path: string): boolean {
  const final = ctx.model.stages.length - 1;
  const onward = reachesFinal(ctx);
  for (const s of new Set([stage, ...ctx.index.descendants(stage)])) {
    if (s === final) return true;
    for (const copy of copiesOf(ctx).get(s) ?? []) {
      if (onward[copy.instr.stage] && copy.sources.some((src) => covers(src, path))) return true;
    }
  }
  return false;
}

const onwardCache = new WeakMap<AnalysisContext, boolean[]>();

/**
 * For each stage: does a file somewhere in it reach the final stage (through stages built FROM
 * it, or any COPY --from it, and so on)? Stages only take from earlier ones, so one pass from the
 * last stage back settles every stage: linear, whatever the chains a crafted file builds.
 */
function reachesFinal(ctx: AnalysisContext): boolean[] {
  let out = onwardCache.get(ctx);
  if (out) return out;
  const { stages } = ctx.model;
  out = new Array<boolean>(stages.length).fill(false);
  const children = new Map<number, number[]>();
  for (const st of stages) {
    if (st.parent === null) continue;
    const list = children.get(st.parent);
    if (list) list.push(st.index);
    else children.set(st.parent, [st.index]);
  }
  for (let s = stages.length - 1; s >= 0; s--) {
    out[s] =
      s === stages.length - 1 ||
      (children.get(s) ?? []).some((c) => out![c]) ||
      (copiesOf(ctx).get(s) ?? []).some((copy) => out![copy.instr.stage]);
  }
  onwardCache.set(ctx, out);
  return out;
}

/** Does a COPY --from source take the file at `path`? A pattern or a variable may: counted. */
function covers(source: string, path: string): boolean {
  if (path === "unknown" || /[*?[\]$]/.test(source)) return true;
  const s = posix.resolve("/", source);
  return s === "/" || path === s || path.startsWith(s + "/");
}

const shippedCache = new WeakMap<AnalysisContext, Set<number>>();

/** The final stage and the stages it is built FROM. */
function shipped(ctx: AnalysisContext): Set<number> {
  let out = shippedCache.get(ctx);
  if (!out) {
    out = new Set();
    for (let s: number | null = ctx.model.stages.length - 1; s !== null && s >= 0; s = ctx.model.stages[s].parent) out.add(s);
    shippedCache.set(ctx, out);
  }
  return out;
}

interface StageCopy {
  instr: Instruction;
  sources: string[];
}

const copiesCache = new WeakMap<AnalysisContext, Map<number, StageCopy[]>>();

/** Every `COPY --from=<stage>` (ONBUILD ones run in other builds), by the stage it copies from. */
function copiesOf(ctx: AnalysisContext): Map<number, StageCopy[]> {
  let out = copiesCache.get(ctx);
  if (out) return out;
  out = new Map();
  for (const instr of ctx.model.instructions) {
    const from = instr.flags.find((f) => f.name === "from")?.value;
    if (instr.keyword !== "COPY" || !from || instr.trigger || instr.stage < 0) continue;
    const stage = ctx.index.stageNamed(from);
    if (stage === undefined || stage >= instr.stage) continue;
    const words = instr.json ?? instr.args;
    const list = out.get(stage) ?? [];
    list.push({ instr, sources: words.slice(0, -1).map((w) => w.value) });
    out.set(stage, list);
  }
  copiesCache.set(ctx, out);
  return out;
}
