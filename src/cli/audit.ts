/**
 * `unbake audit <image>…`: what already built images give away. Each input (OCI layout folder,
 * OCI archive, docker-archive, gzipped or not) is read in turn; an unreadable one is reported and
 * the others are still audited. Exit 0: clean; 1: findings; 2: an input could not be read;
 * 130: interrupted. Output in the `check` formats: an image finding becomes a report row whose
 * file is the input and whose line is the history step (1-based), the message naming the layer,
 * its digest and the path; `--format json` gives the findings' own fields instead.
 */
import { resolve } from "node:path";
import type { ImageAudit, ImageFinding } from "../audit/finding.js";
import { ImageReadError } from "../audit/image.js";
import type { FileReport } from "../emit/file-report.js";
import { safeJson } from "../emit/escape.js";
import { defaultSeverity, type FormatOptions } from "../emit/formats/index.js";
import { github } from "../emit/formats/github.js";
import { markdown } from "../emit/formats/markdown.js";
import { sarif } from "../emit/formats/sarif.js";
import { stylish } from "../emit/formats/stylish.js";
import type { Finding } from "../types.js";
import { VERSION } from "../version.js";
import { wantsColor } from "./color.js";
import { displayPath } from "./display-path.js";
import type { Io } from "./main.js";

export interface AuditCliOptions {
  format: "stylish" | "json" | "sarif" | "github" | "markdown";
  showSecrets: boolean;
  color?: boolean;
}

interface Outcome {
  input: string;
  images?: ImageAudit[];
  error?: string;
}

export async function runAudit(inputs: string[], opts: AuditCliOptions, io: Io): Promise<number> {
  const { audit } = await import("../audit/audit.js");
  const outcomes: Outcome[] = [];
  for (const input of inputs) {
    if (io.signal?.aborted) break;
    const shown = displayPath(resolve(io.cwd, input), io.cwd);
    try {
      const images = await audit(resolve(io.cwd, input), { showSecrets: opts.showSecrets, ...(io.signal ? { signal: io.signal } : {}) });
      outcomes.push({ input: shown, images: images.map((i) => ({ ...i, input: shown })) });
    } catch (e) {
      // Interrupted: the input under way is neither clean nor unreadable.
      if (io.signal?.aborted) break;
      if (!(e instanceof ImageReadError)) throw e;
      // The reader's message starts with the path it was given; the report shows the path as typed.
      outcomes.push({ input: shown, error: e.message.startsWith(`${e.input}: `) ? e.message.slice(e.input.length + 2) : e.message });
    }
  }
  print(outcomes, opts, io);
  if (outcomes.length < inputs.length) return 130;
  if (outcomes.some((o) => o.error !== undefined)) return 2;
  return outcomes.some((o) => o.images!.some((i) => i.findings.length > 0)) ? 1 : 0;
}

function print(outcomes: Outcome[], opts: AuditCliOptions, io: Io): void {
  if (opts.format === "json") {
    io.stdout.write(safeJson(JSON.stringify(jsonReport(outcomes), null, 2)) + "\n");
    return;
  }
  const reports = outcomes.map(fileReport).filter((r) => r.findings.length > 0 || r.error !== undefined);
  const color = opts.format === "stylish" && wantsColor(opts.color, io.stdout, io.env);
  const o: FormatOptions = { color, cwd: io.cwd, toolVersion: VERSION };
  if (opts.format === "stylish") io.stdout.write(stylish(reports, o));
  else if (opts.format === "sarif") io.stdout.write(sarif(reports, o));
  else if (opts.format === "github") io.stdout.write(github(reports, o));
  else io.stdout.write(markdown(reports, o));
}

/** One report per input: the lint formats know files, and an input is the file a user names. */
export function fileReport(o: Outcome): FileReport {
  const base = { path: o.input, changed: false, secrets: [], commands: {}, diffs: [] };
  if (o.error !== undefined) return { ...base, error: o.error, findings: [] };
  const several = o.images!.length > 1;
  const findings = o.images!.flatMap((image) => image.findings.map((f) => asFinding(f, several ? (image.platform ?? image.configDigest.slice(0, 19)) : undefined)));
  return { ...base, findings };
}

function asFinding(f: ImageFinding, platform: string | undefined): Finding {
  // The history step is an image's nearest thing to a Dockerfile line.
  const line = (f.step?.index ?? f.layer?.index ?? 0) + 1;
  return {
    rule: f.rule,
    line,
    column: 1,
    endLine: line,
    endColumn: 1,
    message: platform === undefined ? f.message : `[${platform}] ${f.message}`,
    // Already shipped: no rewrite removes it from the image; it is rebuilt and the secret rotated.
    status: "manual",
    scope: "image",
  };
}

function jsonReport(outcomes: Outcome[]): unknown {
  const images = outcomes.flatMap((o) =>
    (o.images ?? []).map((i) => ({ ...i, findings: i.findings.map((f) => ({ ...f, severity: defaultSeverity(asFinding(f, undefined)) })) })),
  );
  const errors = outcomes.filter((o) => o.error !== undefined).map((o) => ({ input: o.input, error: o.error }));
  return { images, errors, summary: { inputs: outcomes.length, images: images.length, findings: images.reduce((n, i) => n + i.findings.length, 0), errors: errors.length } };
}
