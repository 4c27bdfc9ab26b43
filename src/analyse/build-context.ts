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
  env: Map<string, string>;
}

interface StageState {
  workdir: string;
  user: string | null;
  env: Map<string, string>;
}

export function instructionContexts(model: DockerfileModel): InstructionContext[] {
  const finalState: StageState[] = [];
  let state: StageState = { workdir: "/", user: null, env: new Map() };
  const out: InstructionContext[] = [];
  for (const instr of model.instructions) {
    if (instr.keyword === "FROM" && !instr.trigger) {
      const stage = model.stages[instr.stage];
      // The stage before this one is complete: record it first, it may be this one's parent.
      if (instr.stage > 0) finalState[instr.stage - 1] = state;
      const parent = stage.parent !== null ? finalState[stage.parent] : undefined;
      state = parent
        ? { workdir: parent.workdir, user: parent.user, env: new Map(parent.env) }
        : { workdir: "/", user: null, env: new Map() };
    } else if (!instr.trigger && instr.stage >= 0) {
      if (instr.keyword === "WORKDIR" && instr.args.length > 0) {
        const dir = expandVariables(instr.args.map((a) => a.value).join(" "), state.env);
        state = { ...state, workdir: posix.resolve(state.workdir, dir) };
      } else if (instr.keyword === "USER" && instr.args.length > 0) {
        state = { ...state, user: instr.args[0].value.split(":")[0] };
      } else if (instr.keyword === "ENV") {
        const env = new Map(state.env);
        for (const p of instr.properties) if (p.value !== null) env.set(p.name, expandVariables(p.value, env));
        state = { ...state, env };
      }
    }
    out.push({ workdir: state.workdir, user: state.user, home: homeOf(state.user, state.env), env: state.env });
  }
  return out;
}

function homeOf(user: string | null, env: Map<string, string>): string | null {
  const home = env.get("HOME");
  if (home && home.startsWith("/")) return home;
  if (user === null || user === "root" || user === "0") return "/root";
  if (/^\d+$/.test(user) || user.includes("$")) return null;
  return `/home/${user}`;
}

/** Expand $X and ${X} with known values; unknown variables are left as written. */
export function expandVariables(text: string, env: Map<string, string>): string {
  if (!text.includes("$")) return text;
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, a, b) => {
    const value = env.get(a ?? b);
    return value ?? whole;
  });
}

/**
 * The absolute path an image path names for an instruction: `~/x`, `$HOME/x` and relative
 * paths are resolved; null when it depends on something unknown (an unset variable).
 */
export function resolveImagePath(path: string, ctx: InstructionContext): string | null {
  let p = path;
  const homeRef = /^(?:~|\$HOME|\$\{HOME\})(?=\/|$)/.exec(p);
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
