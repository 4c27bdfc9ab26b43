/**
 * A secret-named variable whose every use writes it into a public-key file (`echo "$SSH_KEY" >>
 * /root/.ssh/authorized_keys`) holds a public key: no secret, no finding (README "Public keys").
 */
import type { ShellCommand } from "../parse/shell.js";
import { isPublicKeyFile } from "../knowledge/public-key-files.js";
import { passesInputOn, writtenFile } from "./run-writes-secret.js";
import type { AnalysisContext } from "./plan.js";

/** Does every instruction that mentions `name`, other than its own ARG/ENV, only write it into a public-key file (at least once)? */
export function onlyWrittenToPublicKeys(ctx: AnalysisContext, name: string): boolean {
  let writes = 0;
  for (const i of ctx.index.mentioning(name)) {
    const instr = ctx.model.instructions[i];
    if ((instr.keyword === "ARG" || instr.keyword === "ENV") && instr.properties.every((p) => p.name === name || !(p.value ?? "").includes(name))) continue;
    if (instr.keyword !== "RUN" || instr.json) return false;
    const script = ctx.script(instr);
    if (script.storesReference.has(name)) return false;
    const commands = [...script.editable, ...script.readOnly].sort((a, b) => a.start - b.start);
    for (const ref of script.expandedAt) {
      if (ref.name !== name) continue;
      const at = innermost(commands, ref.start);
      if (at < 0 || !writesPublicKey(commands, at)) return false;
      writes++;
    }
  }
  return writes > 0;
}

/** The smallest command whose range holds the offset. */
function innermost(commands: ShellCommand[], offset: number): number {
  let best = -1;
  commands.forEach((c, i) => {
    if (c.start <= offset && offset < c.end && (best < 0 || c.end - c.start < commands[best].end - commands[best].start)) best = i;
  });
  return best;
}

/** The command writes into a public-key file, itself or through the pipe it feeds (`echo "$K" | tee -a …/authorized_keys`). */
function writesPublicKey(commands: ShellCommand[], i: number): boolean {
  const file = writtenFile(commands[i]);
  if (file) return isPublicKeyFile(file);
  const next = commands[i + 1];
  if (next?.opBefore !== "|" || !passesInputOn(next)) return false;
  const piped = writtenFile(next);
  return piped !== null && isPublicKeyFile(piped);
}
