/**
 * Secret mounts a Dockerfile already has: `--mount=type=secret,id=…[,target=…][,env=…]`
 * (REFERENCE §1: `src`/`source` alias `id`, `dst`/`destination` alias `target`, keys are
 * case-insensitive, no target and no env → `/run/secrets/<id>`, no id → the target's basename).
 */
import { posix } from "node:path";
import type { DockerfileModel, Instruction } from "../parse/dockerfile.js";

export interface WrittenMount {
  id?: string;
  env?: string;
  target?: string;
}

export function writtenSecretMounts(instr: Instruction): WrittenMount[] {
  const out: WrittenMount[] = [];
  for (const flag of instr.flags) {
    if (flag.name !== "mount" || flag.value === null) continue;
    const options = new Map<string, string>();
    for (const part of flag.value.split(",")) {
      const eq = part.indexOf("=");
      options.set((eq === -1 ? part : part.slice(0, eq)).trim().toLowerCase(), eq === -1 ? "" : part.slice(eq + 1).replace(/^"|"$/g, ""));
    }
    if (options.get("type") !== "secret") continue;
    const target = options.get("target") ?? options.get("dst") ?? options.get("destination");
    const id = options.get("id") ?? options.get("src") ?? options.get("source") ?? (target ? posix.basename(target) : undefined);
    const env = options.get("env");
    out.push({
      ...(id ? { id } : {}),
      ...(env ? { env } : {}),
      ...(target ? { target } : !env && id ? { target: `/run/secrets/${id}` } : {}),
    });
  }
  return out;
}

/**
 * The variables this build already takes as env-form secrets and declares no ARG for: a build
 * that still passes one of them with `--build-arg` gives the RUN nothing (the argument is unused),
 * so its call sites are migrated like those of a secret the rewrite takes out.
 */
export function mountedEnvSecrets(model: DockerfileModel): { name: string; id: string }[] {
  const declared = new Set<string>();
  for (const instr of model.instructions) {
    if (instr.keyword === "ARG") for (const p of instr.properties) declared.add(p.name);
  }
  const out = new Map<string, string>();
  for (const instr of model.instructions) {
    // An ONBUILD trigger runs in the builds FROM this image, with their own --secret flags.
    if (instr.keyword !== "RUN" || instr.trigger) continue;
    for (const m of writtenSecretMounts(instr)) {
      if (m.env && m.id && !declared.has(m.env) && !out.has(m.env)) out.set(m.env, m.id);
    }
  }
  return [...out].map(([name, id]) => ({ name, id }));
}
