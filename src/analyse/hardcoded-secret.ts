/**
 * Rule hardcoded-secret: secret values written in the Dockerfile itself (known token formats,
 * passwords in URLs) outside the ARG/ENV that the rewrite removes. They cannot be rewritten
 * safely, and rotating them is the only real fix; the value itself is never reported.
 */
import { findSecretValues } from "./secret-values.js";
import { position, type AnalysisContext } from "./plan.js";

export interface Span {
  start: number;
  end: number;
}

/** Report every hard-coded value in an instruction, except inside `handled` (ARG/ENV being removed). */
export function findHardcodedSecrets(ctx: AnalysisContext, handled: Span[]): void {
  const { text } = ctx.model;
  for (const instr of ctx.model.instructions) {
    const from = instr.outerStart;
    const slice = text.slice(from, instr.end);
    const matches = findSecretValues(slice);
    for (const m of matches) {
      const start = from + m.start;
      const end = from + m.end;
      if (ctx.ignored.has(instr) || handled.some((h) => start >= h.start && end <= h.end)) continue;
      ctx.findings.push({
        rule: "hardcoded-secret",
        ...position(ctx, instr, start, end),
        message: `${instr.keyword} contains a hard-coded ${m.label} (value not shown): rotate it, then pass it with a secret mount`,
        status: "manual",
      });
    }
  }
}
