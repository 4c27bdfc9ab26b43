/**
 * Where the hard-coded values are written in the source: the spans no output may show (the
 * printers hide them with emit/redact.ts). Spans, not values: the spelling in the file (quotes,
 * escapes, a line continuation, a `${X:-default}`) is what a diff prints, and it differs from
 * the value the builder reads.
 */
import type { DockerfileModel } from "../parse/dockerfile.js";
import type { Span } from "./hardcoded-secret.js";
import type { PlannedSecret } from "./plan.js";
import type { ValueMatch } from "./secret-values.js";
import { isHardcodedValue } from "./secret-values.js";

/**
 * The spans of: every known token format and URL password (`matches`), every other literal
 * password the rules found (`others`), and the whole written value of each ARG/ENV that carries
 * a secret, or is named like one, when that value holds literal text (by isHardcodedValue:
 * `${X:-literal}` counts). A value is hidden even where a rule is off or ignored for it: a
 * directive decides what is rewritten, not what may be printed.
 */
export function secretSpans(
  model: DockerfileModel,
  secrets: readonly PlannedSecret[],
  matches: readonly ValueMatch[],
  others: readonly Span[],
  isSecretName: (name: string) => boolean,
): Span[] {
  const spans: Span[] = [...matches.map((m) => ({ start: m.start, end: m.end })), ...others];
  const carried = new Set<string>();
  for (const s of secrets) {
    for (const r of s.removals) if (r.kind === "property") carried.add(r.instr.properties[r.index].name);
  }
  for (const instr of model.instructions) {
    if (instr.keyword !== "ARG" && instr.keyword !== "ENV") continue;
    for (const p of instr.properties) {
      if (p.value === null || p.valueStart === null || p.valueEnd === null) continue;
      if (!carried.has(p.name) && !isSecretName(p.name)) continue;
      if (isHardcodedValue(p.value)) spans.push({ start: p.valueStart, end: p.valueEnd });
    }
  }
  return spans.sort((a, b) => a.start - b.start || a.end - b.end);
}
