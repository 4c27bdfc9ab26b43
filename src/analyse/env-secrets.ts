/**
 * Rule secret-arg-env: ARG and ENV that carry a secret (by name, or by a hard-coded value of
 * a known token format), the variables that copy it (`ENV NODE_AUTH_TOKEN=${NPM_TOKEN}`),
 * and the RUNs that read any of them.
 */
import type { Instruction, KeyValue } from "../parse/dockerfile.js";
import { implicitEnvReaders } from "./secret-names.js";
import { isHardcodedValue, findSecretValues } from "./secret-values.js";
import { stageAndDescendants } from "./build-context.js";
import { mentionsVariable } from "./run-script.js";
import {
  laterInstructions,
  newSecret,
  position,
  type AnalysisContext,
  type MountRequest,
  type PlannedSecret,
  type Removal,
} from "./plan.js";

interface Definition {
  instr: Instruction;
  index: number;
  prop: KeyValue;
}

const PURE_REFERENCE = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-=+?][^}]*)?\}|([A-Za-z_][A-Za-z0-9_]*))$/;
/** Instructions whose arguments end up in the image or steer the build, and cannot mount a secret. */
const CANNOT_MOUNT = new Set(["LABEL", "COPY", "ADD", "WORKDIR", "USER", "VOLUME", "EXPOSE", "STOPSIGNAL", "FROM"]);

function pureReference(value: string | null): string | null {
  if (value === null) return null;
  const m = PURE_REFERENCE.exec(value.trim());
  return m ? (m[1] ?? m[2]) : null;
}

export function findEnvSecrets(ctx: AnalysisContext): PlannedSecret[] {
  const defs: Definition[] = [];
  for (const instr of ctx.model.instructions) {
    if ((instr.keyword !== "ARG" && instr.keyword !== "ENV") || ctx.ignores(instr, "secret-arg-env")) continue;
    instr.properties.forEach((prop, index) => defs.push({ instr, index, prop }));
  }
  if (defs.length === 0) return [];

  // Which variable names hold a secret, and which are copies of another (alias → root).
  const root = new Map<string, string>();
  const hardcodedDefs = new Set<Definition>();
  // `ENV X=` only clears a variable: it goes with the secret it clears, but carries nothing.
  const isReset = (d: Definition) => d.instr.keyword === "ENV" && d.prop.value === "";
  for (const d of defs) {
    if (isReset(d)) continue;
    const { name, value } = d.prop;
    const literal = value !== null && value !== "" && pureReference(value) === null && !value.includes("$");
    if (literal && findSecretValues(value).length > 0) {
      hardcodedDefs.add(d);
      root.set(name, name);
    } else if (ctx.isSecretName(name)) {
      if (value === null || value === "" || pureReference(value) !== null) root.set(name, name);
      else if (literal && isHardcodedValue(value)) {
        hardcodedDefs.add(d);
        root.set(name, name);
      }
    }
  }
  // A secret-named variable set from a plainly named one makes that one a secret too, and a
  // plainly named variable set from a secret is a copy of it. Repeat until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const d of defs) {
      const ref = pureReference(d.prop.value);
      if (!ref || ref === d.prop.name) continue;
      if (root.has(d.prop.name) && !root.has(ref) && defs.some((o) => o.prop.name === ref && o.instr.keyword === "ARG")) {
        root.set(ref, ref);
        root.set(d.prop.name, ref);
        changed = true;
      } else if (root.has(ref) && root.get(d.prop.name) !== root.get(ref)) {
        root.set(d.prop.name, root.get(ref)!);
        changed = true;
      }
    }
  }
  if (root.size === 0) return [];

  const groups = new Map<string, PlannedSecret>();
  const carriersOf = new Map<PlannedSecret, Definition[]>();
  for (const d of defs) {
    const r = root.get(d.prop.name);
    if (!r || isReset(d)) continue;
    let secret = groups.get(r);
    if (!secret) {
      secret = newSecret(`env:${r}`, { type: "env", name: r }, d.instr);
      groups.set(r, secret);
      carriersOf.set(secret, []);
    }
    carriersOf.get(secret)!.push(d);
    secret.removals.push({ kind: "property", instr: d.instr, index: d.index } satisfies Removal);
    if (hardcodedDefs.has(d)) {
      secret.hardcoded = true;
      secret.values.push(d.prop.value!);
    }
  }

  for (const [name, secret] of groups) {
    planConsumers(ctx, secret, carriersOf.get(secret)!, root, name);
  }
  return [...groups.values()];
}

function planConsumers(
  ctx: AnalysisContext,
  secret: PlannedSecret,
  carriers: Definition[],
  root: Map<string, string>,
  rootName: string,
): void {
  const mounts = new Map<string, MountRequest>();
  const addMount = (instr: Instruction, variable: string) => {
    const key = `${ctx.indexOf.get(instr)}:${variable}`;
    if (mounts.has(key)) return;
    const spec =
      ctx.mountStyle === "file" ? { exportAs: variable } : { env: variable };
    mounts.set(key, { instr, spec });
  };
  const members = new Set([...root].filter(([, r]) => r === rootName).map(([n]) => n));
  let persisted = false;
  let runtimeUse = false;

  for (const d of carriers) {
    const variable = d.prop.name;
    if (d.instr.stage < 0) {
      // A global ARG only reaches FROM lines.
      for (const stage of ctx.model.stages) {
        const from = stage.from;
        if (mentionsVariable(ctx.model.text.slice(from.commandStart, from.end), variable)) blockOutsideRun(ctx, secret, from, variable);
      }
      continue;
    }
    if (d.instr.keyword === "ENV") persisted = true;
    const scope = d.instr.keyword === "ENV" ? stageAndDescendants(ctx.model, d.instr.stage) : new Set([d.instr.stage]);
    const readers = implicitEnvReaders(variable);
    for (const later of laterInstructions(ctx, d.instr, scope)) {
      if (later.keyword === "RUN") {
        const script = ctx.script(later);
        if (mentionsVariable(script.text, variable) || readers.some((r) => script.programs.has(r))) addMount(later, variable);
        continue;
      }
      const body = ctx.model.text.slice(later.commandStart, later.end);
      if (!mentionsVariable(body, variable)) continue;
      if (later.keyword === "ARG") continue;
      if (later.keyword === "ENV") {
        // Copies (`ENV B=$A`) are carriers of the same secret; anything else derives a value from it.
        const derived = later.properties.some(
          (p) => p.value !== null && mentionsVariable(p.value, variable) && !members.has(p.name),
        );
        if (derived) blockOutsideRun(ctx, secret, later, variable);
      } else if (CANNOT_MOUNT.has(later.keyword)) {
        blockOutsideRun(ctx, secret, later, variable);
      } else {
        runtimeUse = true;
      }
    }
  }

  const stageArgs = carriers.filter((d) => d.instr.keyword === "ARG" && d.instr.stage >= 0);
  if (mounts.size === 0 && !persisted && stageArgs.length > 0) {
    // A build argument reaches every later RUN of its stage as an environment variable: with no
    // RUN naming it, any of them may read it.
    for (const d of stageArgs) {
      for (const later of laterInstructions(ctx, d.instr, new Set([d.instr.stage]))) {
        if (later.keyword === "RUN") addMount(later, d.prop.name);
      }
    }
    if (mounts.size > 0) {
      secret.review = true;
      secret.notes.push("no RUN names it, so it is mounted on every later RUN of its stage");
    }
  }
  if (ctx.mountStyle === "file") {
    for (const m of mounts.values()) {
      const script = ctx.script(m.instr);
      if (script.editable.length === 0) {
        secret.fixable = false;
        secret.notes.push(
          `line ${position(ctx, m.instr).line} reads $${m.spec.exportAs} from a heredoc or exec form, which --mount-style file cannot feed`,
        );
      }
    }
  }
  secret.mounts = [...mounts.values()];
  // No build step reads it: it leaves the image, and a person should check nothing at run time did.
  if (secret.mounts.length === 0) secret.review = true;
  if (persisted && (runtimeUse || secret.mounts.length === 0)) {
    // Taking it out of ENV changes what the container sees: a person must supply it at run time.
    secret.review = true;
    secret.notes.push(`the running container read it from ENV: supply it at run time (docker run -e ${rootName})`);
  }
  // Resets such as `ENV NPM_TOKEN=` only existed to clear the secret: they go with it.
  for (const instr of ctx.model.instructions) {
    if (instr.keyword !== "ENV" || ctx.ignores(instr, "secret-arg-env")) continue;
    instr.properties.forEach((p, index) => {
      if (members.has(p.name) && p.value === "" && !secret.removals.some((r) => r.instr === instr && r.kind === "property" && r.index === index)) {
        secret.removals.push({ kind: "property", instr, index, reset: true });
      }
    });
  }
}

function blockOutsideRun(ctx: AnalysisContext, secret: PlannedSecret, instr: Instruction, variable: string): void {
  secret.fixable = false;
  ctx.findings.push({
    rule: "secret-used-outside-run",
    ...position(ctx, instr),
    message: `${instr.keyword} uses the secret $${variable}; only RUN can mount a secret, so this needs a person`,
    status: "manual",
    secretId: secret.key,
  });
}
