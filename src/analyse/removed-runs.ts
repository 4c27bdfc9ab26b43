/**
 * A RUN whose every command the rewrite removes (a `composer config` whose store becomes
 * COMPOSER_AUTH on its readers) is gone from the output: no secret is mounted there, so none
 * may say it is (mountedOn, the finding's message).
 */
import type { Instruction } from "../parse/dockerfile.js";
import type { ShellCommand } from "../parse/shell.js";
import type { AnalysisContext, PlannedSecret } from "./plan.js";

export function dropMountsOnRemovedRuns(ctx: AnalysisContext, secrets: PlannedSecret[]): void {
  const removed = new Map<Instruction, Set<ShellCommand>>();
  for (const s of secrets) {
    if (!s.fixable) continue;
    for (const r of s.removals) {
      if (r.kind !== "command") continue;
      const set = removed.get(r.instr) ?? new Set<ShellCommand>();
      set.add(r.command);
      removed.set(r.instr, set);
    }
  }
  const gone = new Set<Instruction>();
  for (const [instr, commands] of removed) {
    // As the transform decides (src/transform/fix.ts): every top-level command goes, nothing nested stays.
    const script = ctx.script(instr);
    if (script.readOnly.length === 0 && script.editable.length > 0 && script.editable.every((c) => commands.has(c))) gone.add(instr);
  }
  if (gone.size === 0) return;
  for (const s of secrets) {
    const before = s.mounts.length;
    s.mounts = s.mounts.filter((m) => !gone.has(m.instr));
    // Nothing left that reads it in the build: a person should check nothing at run time did.
    if (before > 0 && s.mounts.length === 0) s.review = true;
  }
}
