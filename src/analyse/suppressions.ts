/**
 * Inline directives that switch rules off:
 *  - `# unbake-ignore` on the line above an instruction: every rule, for that instruction;
 *  - `# unbake-ignore=rule-a,rule-b reason=…`: only those rules (the reason is for readers);
 *  - `# unbake-ignore-file[=rules]` on any comment line: the whole file;
 *  - BuildKit's `# check=skip=SecretsUsedInArgOrEnv` (or `skip=all`) directive: its own check
 *    is this project's secret-arg-env, so that rule is off for the file.
 */
import type { DockerfileModel, Instruction } from "../parse/dockerfile.js";
import type { RuleId } from "../types.js";
import { RULES } from "./rules.js";

export type RuleSet = Set<RuleId> | "all";

export interface Suppressions {
  file: RuleSet | null;
  perInstruction: Map<Instruction, RuleSet>;
  ignores(instr: Instruction, rule: RuleId): boolean;
}

const INSTRUCTION_IGNORE = /^[ \t]*#[ \t]*unbake-ignore(?![-\w])(?:=([\w,-]+))?/;
const FILE_IGNORE = /^[ \t]*#[ \t]*unbake-ignore-file(?![-\w])(?:=([\w,-]+))?/m;

function ruleSet(list: string | undefined): RuleSet {
  if (!list) return "all";
  const known = list.split(",").filter((r): r is RuleId => r in RULES);
  return new Set(known);
}

const has = (set: RuleSet | null | undefined, rule: RuleId) => set === "all" || (set instanceof Set && set.has(rule));

export function readSuppressions(model: DockerfileModel): Suppressions {
  const { text } = model;
  let file: RuleSet | null = null;
  const fileMatch = text.includes("unbake-ignore-file") ? FILE_IGNORE.exec(text) : null;
  if (fileMatch) file = ruleSet(fileMatch[1]);
  const check = model.directives.directives.find((d) => d.name === "check");
  if (check && /(?:^|;)\s*skip\s*=\s*(?:[^;]*,)?\s*(?:all|SecretsUsedInArgOrEnv)\s*(?:,|;|$)/i.test(check.value)) {
    if (file !== "all") file = new Set([...(file ?? []), "secret-arg-env"]);
  }

  const perInstruction = new Map<Instruction, RuleSet>();
  if (text.includes("unbake-ignore")) {
    const { lineStarts } = model.layout;
    for (const instr of model.instructions) {
      if (instr.line === 0) continue;
      const m = INSTRUCTION_IGNORE.exec(text.slice(lineStarts[instr.line - 1], lineStarts[instr.line]));
      if (m) perInstruction.set(instr, ruleSet(m[1]));
    }
  }
  return {
    file,
    perInstruction,
    ignores: (instr, rule) => has(file, rule) || has(perInstruction.get(instr), rule),
  };
}
