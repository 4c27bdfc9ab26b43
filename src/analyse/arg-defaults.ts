/**
 * An ARG's default survives the rewrite. A build that passed no `--build-arg` gave the RUNs the
 * default (`ARG TOKEN=unset`); an optional secret mount that is not supplied gives the env form an
 * empty variable and the file form no file (REFERENCE §1), so an unquoted `--password $TOKEN`
 * would lose an argument. Each RUN mounting such a variable falls back to the default it saw:
 * the transform writes `export TOKEN="${TOKEN:-unset}" && ` before its command, one insertion
 * whatever the number of reads, exported as the ARG was, so tools that read it on their own see
 * it too. A default that is a hard-coded secret is never kept (it is reported, and rotated).
 */
import type { Instruction } from "../parse/dockerfile.js";
import { contextOf, position, type AnalysisContext, type PlannedSecret } from "./plan.js";
import { findSecretValues } from "./secret-values.js";

/**
 * Text that stands as it is inside `"${X:-…}"`: nothing the shell would expand or unquote there,
 * no `}` that would end it, nothing that ends the line.
 */
const PLAIN_DEFAULT = /^[^$`\\"}\r\n]+$/;

export function keepArgDefaults(ctx: AnalysisContext, secrets: PlannedSecret[]): void {
  for (const secret of secrets) {
    if (!secret.fixable || secret.source.type !== "env") continue;
    const args = secret.removals.flatMap((r) => (r.kind === "property" && !r.reset && r.instr.keyword === "ARG" ? [r.instr.properties[r.index]] : []));
    if (args.length === 0) continue;
    const kept = (value: string | undefined): value is string =>
      value !== undefined && value !== "" && !secret.values.includes(value) && findSecretValues(value).length === 0;
    const declared = args.map((p) => p.value ?? undefined).find(kept);
    if (declared !== undefined) secret.default = declared;
    const lost: number[] = [];
    for (const m of secret.mounts) {
      const variable = m.spec.env ?? m.spec.exportAs;
      if (!variable) continue;
      // What the RUN saw with no --build-arg: the default in force there (also through an ENV copy);
      // for an ONBUILD trigger, the last ONBUILD ARG of that name before it (the child build runs both).
      const seen = m.instr.trigger ? triggerDefault(ctx, secret, m.instr, variable) : contextOf(ctx, m.instr).env.get(variable);
      // A default that names a variable unbake could not resolve is not known: left alone.
      if (!kept(seen) || seen.includes("$")) continue;
      const script = ctx.script(m.instr);
      // Exec form and a heredoc's script have no place for the fallback before the command.
      if (m.instr.json || script.editable.length === 0 || !PLAIN_DEFAULT.test(seen)) lost.push(position(ctx, m.instr).line);
      else m.spec.default = seen;
    }
    if (lost.length > 0) {
      secret.review = true;
      const lines = [...new Set(lost)].sort((a, b) => a - b);
      const named = lines.length <= 8 ? lines.join(", ") : `${lines.slice(0, 8).join(", ")} and ${lines.length - 8} more`;
      secret.notes.push(
        `a build without the secret no longer gives line${lines.length > 1 ? "s" : ""} ${named} the ARG's default (exec form, a heredoc, or a default with shell characters): supply the secret, or set the default there by hand`,
      );
    }
  }
}

function triggerDefault(ctx: AnalysisContext, secret: PlannedSecret, run: Instruction, variable: string): string | undefined {
  const at = ctx.indexOf.get(run)!;
  let value: string | undefined;
  for (const r of secret.removals) {
    if (r.kind !== "property" || !r.instr.trigger || r.instr.keyword !== "ARG" || ctx.indexOf.get(r.instr)! > at) continue;
    const p = r.instr.properties[r.index];
    if (p.name === variable) value = p.value ?? undefined;
  }
  return value;
}
