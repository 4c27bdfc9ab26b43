/**
 * What each instruction sees while the image builds: working directory, user and the
 * home directory, inherited by stages built FROM an earlier stage. Needed to turn the
 * relative and `~` paths of COPY destinations and RUN commands into absolute ones.
 */
import { posix } from "node:path";
import type { DockerfileModel } from "../parse/dockerfile.js";

export interface InstructionContext {
  workdir: string;
  /** USER in force, null for the default (root). */
  user: string | null;
  /** Home directory of that user, null when it cannot be known (numeric uid). */
  home: string | null;
  /** ENV values known so far in the stage, for expanding $VAR in WORKDIR and paths. */
  env: EnvView;
}

/** The ENV values in force at one instruction. */
export interface EnvView {
  get(name: string): string | undefined;
}

interface StageState {
  workdir: string;
  user: string | null;
  env: StageEnv;
}

/**
 * A stage's ENV history: each value with the position that set it, so every instruction's view
 * is a position, not a copy of the map (a copy per ENV line made 40,000 ENV lines quadratic).
 * A stage built FROM another sees that stage's final values.
 */
class StageEnv {
  private readonly history = new Map<string, { at: number; value: string }[]>();
  private readonly parentCache = new Map<string, string | undefined>();
  constructor(private readonly parent: StageEnv | null) {}

  set(name: string, value: string, at: number): void {
    const h = this.history.get(name);
    if (h) h.push({ at, value });
    else this.history.set(name, [{ at, value }]);
  }

  at(position: number): EnvView {
    return { get: (name) => this.lookup(name, position) };
  }

  lookup(name: string, position: number): string | undefined {
    const h = this.history.get(name);
    if (h && h[0].at <= position) {
      let lo = 0;
      let hi = h.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (h[mid].at <= position) lo = mid;
        else hi = mid - 1;
      }
      return h[lo].value;
    }
    if (!this.parent) return undefined;
    // The parent stage is complete: its answers never change.
    if (this.parentCache.has(name)) return this.parentCache.get(name);
    const value = this.parent.lookup(name, Infinity);
    this.parentCache.set(name, value);
    return value;
  }
}

export function instructionContexts(model: DockerfileModel): InstructionContext[] {
  const finalState: StageState[] = [];
  let state: StageState = { workdir: "/", user: null, env: new StageEnv(null) };
  const out: InstructionContext[] = [];
  // ARGs before the first FROM: a stage sees one only when it declares it again (`ARG NAME`).
  const globalArgs = new Map<string, string>();
  model.instructions.forEach((instr, position) => {
    if (instr.keyword === "ARG" && instr.stage < 0 && !instr.trigger) {
      for (const p of instr.properties) if (p.value !== null) globalArgs.set(p.name, p.value);
    }
    if (instr.keyword === "FROM" && !instr.trigger) {
      const stage = model.stages[instr.stage];
      // The stage before this one is complete: record it first, it may be this one's parent.
      if (instr.stage > 0) finalState[instr.stage - 1] = state;
      const parent = stage.parent !== null ? finalState[stage.parent] : undefined;
      state = parent
        ? { workdir: parent.workdir, user: parent.user, env: new StageEnv(parent.env) }
        : { workdir: "/", user: null, env: new StageEnv(null) };
    } else if (!instr.trigger && instr.stage >= 0) {
      if (instr.keyword === "WORKDIR" && instr.args.length > 0) {
        const dir = expandVariables(instr.args.map((a) => a.value).join(" "), state.env.at(position));
        state = { ...state, workdir: posix.resolve(state.workdir, dir) };
      } else if (instr.keyword === "USER" && instr.args.length > 0) {
        state = { ...state, user: instr.args[0].value.split(":")[0] };
      } else if (instr.keyword === "ARG") {
        // An ARG's default (or the global one it declares) expands like ENV in later paths, but an
        // ENV of the same name wins over it, as BuildKit has it; --build-arg may still change it.
        const env = state.env.at(position);
        for (const p of instr.properties) {
          const value = p.value ?? globalArgs.get(p.name);
          if (value !== undefined && env.get(p.name) === undefined) state.env.set(p.name, expandVariables(value, env), position);
        }
      } else if (instr.keyword === "ENV") {
        const env = state.env.at(position);
        for (const p of instr.properties) if (p.value !== null) state.env.set(p.name, expandVariables(p.value, env), position);
      }
    }
    const env = state.env.at(position);
    out.push({ workdir: state.workdir, user: state.user, home: homeOf(state.user, env), env });
  });
  return out;
}

function homeOf(user: string | null, env: EnvView): string | null {
  const home = env.get("HOME");
  if (home && home.startsWith("/")) return home;
  if (user === null || user === "root" || user === "0") return "/root";
  if (/^\d+$/.test(user) || user.includes("$")) return null;
  return `/home/${user}`;
}

/** Longest expansion kept: `ENV B=$A$A`, `ENV C=$B$B`, … doubles at each line. */
const MAX_EXPANSION = 64 * 1024;

/** Expand $X and ${X} with known values; unknown variables are left as written (all of them when the result would be huge). */
export function expandVariables(text: string, env: EnvView): string {
  if (!text.includes("$")) return text;
  let size = text.length;
  const out = text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, a, b) => {
    const value = env.get(a ?? b);
    if (value === undefined || size > MAX_EXPANSION) return whole;
    size += value.length - whole.length;
    return value;
  });
  return size > MAX_EXPANSION ? text : out;
}

/**
 * The absolute path an image path names for an instruction: `~/x`, `$HOME/x` and relative
 * paths are resolved; null when it depends on something unknown (an unset variable).
 * `literalTilde`: a COPY/ADD destination, where `~` is a plain folder name (REFERENCE §10).
 */
export function resolveImagePath(path: string, ctx: InstructionContext, options: { literalTilde?: boolean } = {}): string | null {
  let p = path;
  const homeRef = (options.literalTilde ? /^(?:\$HOME|\$\{HOME\})(?=\/|$)/ : /^(?:~|\$HOME|\$\{HOME\})(?=\/|$)/).exec(p);
  if (homeRef) {
    if (!ctx.home) return null;
    p = ctx.home + p.slice(homeRef[0].length);
  }
  p = expandVariables(p, ctx.env);
  if (p.includes("$")) return null;
  const resolved = posix.resolve(ctx.workdir, p);
  return resolved;
}

/** The stage and every stage built FROM it, directly or not. */
export function stageAndDescendants(model: DockerfileModel, stage: number): Set<number> {
  const set = new Set<number>([stage]);
  for (const s of model.stages) if (s.parent !== null && set.has(s.parent)) set.add(s.index);
  return set;
}
