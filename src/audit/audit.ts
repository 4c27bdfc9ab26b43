/**
 * `audit(path)`: what secrets an already built image gives away, found with the Dockerfile
 * rules' classifiers and tied to the history step, the likely Dockerfile instruction and the
 * unbake rule whose rewrite stops it. The reader (read-image.ts) streams the input; this module
 * only looks at what it is handed.
 */
import { createRedactor, MASK, noRedaction } from "../emit/redact.js";
import type { ImageMeta, ImageVisitor, LayerEntry, LayerMeta } from "./image.js";
import { readImage } from "./read-image.js";
import { configFindings, type RawFinding } from "./config-findings.js";
import { LayerCollector } from "./layer-findings.js";
import { MAX_CONTENT_BYTES } from "./content-policy.js";
import { parseStep } from "./history.js";
import type { ImageAudit, ImageFinding } from "./finding.js";

export type { ImageAudit, ImageFinding, ImageFindingKind, LayerRef } from "./finding.js";
export { ImageReadError } from "./image.js";

export interface AuditOptions {
  /** Print values instead of `***` (default false). */
  showSecrets?: boolean;
  signal?: AbortSignal;
}

/** Longest created_by shown in a message: a RUN can be a whole script. */
const MAX_STEP_TEXT = 160;

/** Every platform image of the input, each with its findings. Rejects with ImageReadError when the input cannot be read. */
export async function audit(path: string, options: AuditOptions = {}): Promise<ImageAudit[]> {
  const out: ImageAudit[] = [];
  let current: { meta: ImageMeta; layers: LayerCollector } | undefined;
  const finish = () => {
    if (current) out.push(judge(current.meta, current.layers, options.showSecrets === true));
    current = undefined;
  };
  const visitor: ImageVisitor = {
    image(meta) {
      finish();
      current = { meta, layers: new LayerCollector(meta) };
    },
    wantsContent: (_layer: LayerMeta, entry: LayerEntry) => current!.layers.wantsContent(entry),
    entry: (layer, entry, content) => current!.layers.entry(layer, entry, content),
  };
  await readImage(path, visitor, { maxContentBytes: MAX_CONTENT_BYTES, ...(options.signal ? { signal: options.signal } : {}) });
  finish();
  return out;
}

function judge(meta: ImageMeta, layers: LayerCollector, showSecrets: boolean): ImageAudit {
  const raw: RawFinding[] = [...configFindings(meta), ...layers.findings()];
  const redact = showSecrets ? noRedaction : masker(raw);
  const show = (v: string) => (showSecrets ? v : MASK);
  const stepText = (i: number) => clip(redact(meta.history[i]?.createdBy ?? ""));
  const step = (i: number) => `step ${i + 1}: ${stepText(i)}`;
  const findings = raw.map(({ describe, stepIndex, values: _values, ...f }): ImageFinding => {
    const instruction = stepIndex === undefined ? undefined : parseStep(meta.history[stepIndex]?.createdBy).instruction;
    return {
      ...f,
      message: redact(describe(show, step)),
      ...(stepIndex !== undefined ? { step: { index: stepIndex, createdBy: stepText(stepIndex) } } : {}),
      ...(instruction !== undefined ? { instruction: clip(redact(instruction)) } : {}),
    };
  });
  // In history order, as the Dockerfile's lines would be.
  const at = (f: ImageFinding) => f.step?.index ?? Number.MAX_SAFE_INTEGER;
  findings.sort((a, b) => at(a) - at(b));
  return { input: meta.input, names: meta.names, ...(meta.platform ? { platform: meta.platform } : {}), configDigest: meta.configDigest, findings };
}

/**
 * The report redactor over every value found, and before it `NAME=value` → `NAME=***` for each
 * named one: the redactor leaves values under 3 characters where they are not in place, and a
 * history step prints them right after their name.
 */
function masker(raw: RawFinding[]): (text: string) => string {
  const values = createRedactor(raw.flatMap((f) => f.values));
  const named = raw.flatMap((f) => (f.name === undefined ? [] : f.values.map((v) => [`${f.name}=${v}`, `${f.name}=${MASK}`] as const)));
  return (text) => values(named.reduce((t, [pair, masked]) => t.split(pair).join(masked), text));
}

function clip(s: string): string {
  const line = s.replace(/\s*\n\s*/g, " ");
  return line.length > MAX_STEP_TEXT ? `${line.slice(0, MAX_STEP_TEXT - 1)}…` : line;
}
