/**
 * Indexes over a parsed Dockerfile so that the consumer searches cost what they find, not the
 * file's size times the number of secrets: a crafted file with thousands of stages, ARGs or
 * copies must stay near-linear. Each index is built once, on first use.
 */
import type { DockerfileModel, Instruction } from "../parse/dockerfile.js";
import { mentionsVariable } from "./run-script.js";

export interface InstructionIndex {
  /** Positions in model.instructions of each stage's instructions, ascending (-1: before the first FROM). */
  inStage(stage: number): readonly number[];
  /** The stage and every stage built FROM it, directly or not, in ascending order. */
  descendants(stage: number): readonly number[];
  /** Positions of the instructions whose command text mentions the variable (as mentionsVariable says), ascending. */
  mentioning(name: string): readonly number[];
  /** Positions of the instructions the predicate picks, ascending; memoised under `key`. */
  where(key: string, pick: (instr: Instruction) => boolean): readonly number[];
  /** The stage a `COPY --from=<ref>` takes from: the first stage of that name, else that stage number; undefined for an image. */
  stageNamed(ref: string): number | undefined;
}

const IDENTIFIER = /^[A-Za-z0-9_]+$/;
const IDENTIFIER_RUN = /[A-Za-z0-9_]+/g;
const NONE: readonly number[] = [];

export function indexInstructions(model: DockerfileModel): InstructionIndex {
  const { instructions, stages } = model;
  const byStage = new Map<number, number[]>();
  instructions.forEach((instr, i) => {
    let list = byStage.get(instr.stage);
    if (!list) byStage.set(instr.stage, (list = []));
    list.push(i);
  });
  const children = new Map<number, number[]>();
  for (const s of stages) {
    if (s.parent === null) continue;
    let list = children.get(s.parent);
    if (!list) children.set(s.parent, (list = []));
    list.push(s.index);
  }
  const descendantsMemo = new Map<number, readonly number[]>();
  let mentions: Map<string, number[]> | null = null;
  const picked = new Map<string, readonly number[]>();
  let stageByName: Map<string, number> | null = null;

  const bodyOf = (instr: Instruction) => model.text.slice(instr.commandStart, instr.end);

  return {
    inStage: (stage) => byStage.get(stage) ?? NONE,
    stageNamed(ref) {
      if (!stageByName) {
        stageByName = new Map();
        for (const s of stages) if (s.name !== null && !stageByName.has(s.name.toLowerCase())) stageByName.set(s.name.toLowerCase(), s.index);
      }
      const named = stageByName.get(ref.toLowerCase());
      if (named !== undefined) return named;
      return /^(?:0|[1-9][0-9]*)$/.test(ref) && Number(ref) < stages.length ? Number(ref) : undefined;
    },
    descendants(stage) {
      let out = descendantsMemo.get(stage);
      if (!out) {
        // A stage's parent always comes before it, so a walk down the child lists is the whole set.
        const found: number[] = [];
        const stack = [stage];
        while (stack.length > 0) {
          const s = stack.pop()!;
          found.push(s);
          for (const c of children.get(s) ?? NONE) stack.push(c);
        }
        out = found.sort((a, b) => a - b);
        descendantsMemo.set(stage, out);
      }
      return out;
    },
    mentioning(name) {
      // Names that are not plain identifiers are rare: those are searched the slow way.
      if (!IDENTIFIER.test(name)) {
        const out: number[] = [];
        instructions.forEach((instr, i) => {
          if (mentionsVariable(bodyOf(instr), name)) out.push(i);
        });
        return out;
      }
      mentions ??= indexMentions(instructions.map(bodyOf));
      return mentions.get(name) ?? NONE;
    },
    where(key, pick) {
      let out = picked.get(key);
      if (!out) {
        out = instructions.flatMap((instr, i) => (pick(instr) ? [i] : []));
        picked.set(key, out);
      }
      return out;
    },
  };
}

/**
 * Every identifier each body mentions the way mentionsVariable means it: `$NAME` (not `$$NAME`),
 * `${NAME…`, or `"NAME"` / `'NAME'`. One pass over each body.
 */
function indexMentions(bodies: string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  bodies.forEach((text, i) => {
    IDENTIFIER_RUN.lastIndex = 0;
    for (let m = IDENTIFIER_RUN.exec(text); m; m = IDENTIFIER_RUN.exec(text)) {
      const at = m.index;
      const after = text[at + m[0].length];
      const before = text[at - 1];
      const named =
        (before === "$" && (text[at - 2] !== "$" || text[at - 3] === "$")) ||
        (before === "{" && text[at - 2] === "$") ||
        ((before === '"' || before === "'") && after === before);
      if (!named) continue;
      let list = out.get(m[0]);
      if (!list) out.set(m[0], (list = []));
      if (list[list.length - 1] !== i) list.push(i);
    }
  });
  return out;
}
