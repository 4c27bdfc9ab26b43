/**
 * Leaks in an image's config: build arguments recorded in the history (the value of an ARG step,
 * `|N NAME=value` of a RUN), hard-coded tokens in RUN commands, and secret-named or token-valued
 * `Env` entries and labels. Judged by the Dockerfile rules' own classifiers (secret names,
 * hard-coded values, token formats, placeholders), so an image and its Dockerfile get the same
 * verdicts.
 *
 * Pure.
 */
import { isSecretName } from "../analyse/secret-names.js";
import { findSecretValues, isHardcodedValue } from "../analyse/secret-values.js";
import { isPlaceholder } from "../knowledge/placeholders.js";
import type { ImageMeta } from "./image.js";
import type { ImageFinding } from "./finding.js";
import { parseStep, type StepText } from "./history.js";

/** A finding before its texts are masked: `values` are the secrets it reveals. */
export interface RawFinding extends Omit<ImageFinding, "message" | "step" | "instruction"> {
  /** Builds the message; `show` prints a value (masked unless showSecrets). */
  describe: (show: (value: string) => string, step: (index: number) => string) => string;
  stepIndex?: number;
  values: string[];
}

/** A named value is a leak when the name says secret and the value is a real one, or the value is a known token whatever the name. */
export function secretValue(name: string, value: string): boolean {
  if (isSecretName(name) && isHardcodedValue(value) && !isPlaceholder(value.trim())) return true;
  return findSecretValues(value).length > 0;
}

export function configFindings(meta: ImageMeta): RawFinding[] {
  const steps = meta.history.map((h) => parseStep(h.createdBy));
  const layerOfStep = new Map(meta.layers.filter((l) => l.historyIndex !== undefined).map((l) => [l.historyIndex!, l]));
  const layerRef = (i: number) => {
    const l = layerOfStep.get(i);
    return l ? { layer: { index: l.index, digest: l.digest } } : {};
  };
  const argNames = new Set<string>();
  const out: RawFinding[] = [];

  // Build arguments: BuildKit writes the value given into the ARG step (`ARG NPM_TOKEN=…`), a
  // default is written there too, and every RUN after the ARG records it again (`|N NAME=value`).
  // One finding per name and value, at the first step that shows it.
  const seen = new Map<string, RawFinding>();
  const later = new Map<RawFinding, number>();
  steps.forEach((s, i) => {
    const recorded = s.keyword === "ARG" ? pairs(s.instruction!.slice(4)) : s.args;
    for (const a of recorded) {
      argNames.add(a.name);
      if (a.value === undefined || !secretValue(a.name, a.value)) continue;
      const key = `${a.name}=${a.value}`;
      const first = seen.get(key);
      if (first) {
        later.set(first, (later.get(first) ?? 0) + 1);
        continue;
      }
      const f: RawFinding = {
        rule: "secret-arg-env",
        kind: "build-arg",
        name: a.name,
        stepIndex: i,
        ...layerRef(i),
        values: [a.value],
        describe: (show, step) =>
          `build argument ${a.name}=${show(a.value!)} is recorded in the history (${step(i)}${laterSteps(later.get(f) ?? 0)}); it came from ARG ${a.name} (its default, or the value given with --build-arg): pass it as a secret mount instead, and rotate it`,
      };
      seen.set(key, f);
      out.push(f);
    }
  });

  steps.forEach((s, i) => {
    // A hard-coded token in a RUN's command stays in the history text.
    if (s.command !== undefined) {
      const matches = findSecretValues(s.command);
      if (matches.length > 0) {
        const values = matches.map((m) => s.command!.slice(m.start, m.end));
        out.push({
          rule: "hardcoded-secret",
          kind: "history-value",
          stepIndex: i,
          ...layerRef(i),
          values,
          describe: (_show, step) => `${matches.map((m) => m.label).join(", ")} hard-coded in a RUN command, recorded in the history (${step(i)})`,
        });
      }
    }
  });

  for (const entry of meta.env) {
    const eq = entry.indexOf("=");
    const name = eq < 0 ? entry : entry.slice(0, eq);
    const value = eq < 0 ? "" : entry.slice(eq + 1);
    if (!secretValue(name, value)) continue;
    const stepIndex = lastStep(steps, "ENV", name);
    const fromArg = argNames.has(name) || (stepIndex !== undefined && steps[stepIndex]!.instruction!.includes("$"));
    out.push({
      rule: fromArg ? "secret-arg-env" : "hardcoded-secret",
      kind: "env",
      name,
      ...(stepIndex !== undefined ? { stepIndex } : {}),
      values: [value],
      describe: (show, step) =>
        `ENV ${name}=${show(value)} is in the image config${stepIndex !== undefined ? ` (${step(stepIndex)})` : ""}: every container and anyone who pulls the image reads it; mount it as a secret where the build needs it, give it at run time where the container does`,
    });
  }

  for (const [name, value] of Object.entries(meta.labels)) {
    if (!secretValue(name, value)) continue;
    const stepIndex = lastStep(steps, "LABEL", name);
    out.push({
      rule: "hardcoded-secret",
      kind: "label",
      name,
      ...(stepIndex !== undefined ? { stepIndex } : {}),
      values: [value],
      describe: (show, step) => `label ${name}=${show(value)} is in the image config${stepIndex !== undefined ? ` (${step(stepIndex)})` : ""}`,
    });
  }
  return out;
}

/** `A=1 B=2 C` of an ARG/ENV/LABEL step as recorded (unquoted; values without blanks). */
function pairs(text: string): { name: string; value?: string }[] {
  return text
    .trim()
    .split(/\s+/)
    .filter((w) => /^[A-Za-z_][A-Za-z0-9_.-]*(?:=|$)/.test(w))
    .map((w) => {
      const eq = w.indexOf("=");
      return eq < 0 ? { name: w } : { name: w.slice(0, eq), value: w.slice(eq + 1).replace(/^(["'])(.*)\1$/, "$2") };
    });
}

function lastStep(steps: StepText[], keyword: string, name: string): number | undefined {
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i]!;
    if (s.keyword === keyword && (s.instruction!.includes(` ${name}=`) || s.instruction!.includes(` "${name}"=`) || s.instruction!.includes(` ${name} `))) return i;
  }
  return undefined;
}

function laterSteps(n: number): string {
  return n === 0 ? "" : `, and ${n} later step${n === 1 ? "" : "s"}`;
}
