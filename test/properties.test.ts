/**
 * Property-based tests over generated Dockerfiles (generator: ./properties/generate.ts).
 *
 * Every property runs the whole pipeline on a random, plausible Dockerfile: BOM or not, LF or
 * CRLF, `# escape=\`` or not, optional `# syntax=`, global ARGs, 1–3 stages (FROM sN, COPY
 * --from), secret and ordinary ARG/ENV, COPY of credential and ordinary files, RUN chains with
 * continuations and comment lines, heredocs, comments and blank lines, final newline or not.
 *
 * PROPERTY_RUNS (environment) overrides the number of cases per property.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runPipeline, type PipelineResult } from "../src/pipeline.js";
import { parseDockerfile, type DockerfileModel } from "../src/parse/dockerfile.js";
import { dockerfileArb, render, specArb, storedArb, SECRET_NAMES, type Generated } from "./properties/generate.js";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 500);
const params = { numRuns: RUNS };

const cache = new WeakMap<Generated, PipelineResult | Error>();
function attempt(g: Generated): PipelineResult | Error {
  let r = cache.get(g);
  if (!r) {
    try {
      r = runPipeline(g.text, { mountStyle: g.spec.mountStyle });
    } catch (e) {
      r = e instanceof Error ? e : new Error(String(e));
    }
    cache.set(g, r);
  }
  return r;
}
/**
 * The result for the other properties. A crash is property 0's counter-example: the other
 * properties skip it (fc.pre) so that each reports its own minimal failure, not the crash.
 */
function run(g: Generated): PipelineResult {
  const r = attempt(g);
  fc.pre(!(r instanceof Error));
  return r as PipelineResult;
}

/** A blank line after owned lines that follow a blank line: it may go with them (no run of blank lines is left). */
function closesBlankRun(lines: Generated["lines"], i: number): boolean {
  if (lines[i].kind !== "blank" || i === 0 || !lines[i - 1].owned) return false;
  let k = i - 1;
  while (k >= 0 && lines[k].owned) k--;
  return k >= 0 && lines[k].kind === "blank";
}

/** Lines as BuildKit sees them ("\n" ends a line), without BOM and without their "\r". */
function splitLines(text: string): string[] {
  const t = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const lines = t.split("\n");
  if (t.endsWith("\n")) lines.pop();
  return lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}

const isSecretName = (n: string) => (SECRET_NAMES as readonly string[]).includes(n);

function manual(r: PipelineResult, id: string): boolean {
  return r.findings.some((f) => f.secretId === id && f.status === "manual");
}

function envSecret(r: PipelineResult, name: string) {
  return r.secrets.find((s) => s.source.type === "env" && s.source.name === name);
}

function fileSecret(r: PipelineResult, path: string) {
  return r.secrets.find((s) => s.source.type === "file" && s.source.path === path);
}

function instrText(model: DockerfileModel, i: (typeof model.instructions)[number]): string {
  return model.text.slice(i.start, i.end);
}

function runByMarker(model: DockerfileModel, marker: string) {
  const re = new RegExp(`\\b${marker}\\b`);
  return model.instructions.filter((i) => i.keyword === "RUN" && re.test(instrText(model, i)));
}

/** The fields of every --mount flag of an instruction text (simple CSV: our values have no quotes). */
function mountFlags(text: string): Map<string, string>[] {
  return [...text.matchAll(/--mount=(\S+)/g)].map((m) => {
    const fields = new Map<string, string>();
    for (const f of m[1].split(",")) {
      const eq = f.indexOf("=");
      fields.set(eq === -1 ? f : f.slice(0, eq), eq === -1 ? "" : f.slice(eq + 1));
    }
    return fields;
  });
}

/** Remove what the rewrite may add to a RUN that only needs mounts: the flags and `export X=…` prefixes. */
function stripAddedMounts(text: string): string {
  return text.replace(/--mount=type=(?:secret,\S+|ssh(?:,\S+)?) /g, "").replace(/export [A-Za-z_][A-Za-z0-9_]*="\$\(cat \/run\/secrets\/[^)]+\)" && /g, "");
}

function isSubsequence(needles: string[], haystack: string[]): { ok: true } | { ok: false; missing: string; index: number } {
  let j = 0;
  for (let i = 0; i < needles.length; i++) {
    while (j < haystack.length && haystack[j] !== needles[i]) j++;
    if (j === haystack.length) return { ok: false, missing: needles[i], index: i };
    j++;
  }
  return { ok: true };
}

/** Output lines (0-based) that are not an input line: what the rewrite wrote. */
function newOutputLines(g: Generated, out: string): { index: number; text: string }[] {
  const pool = new Map<string, number>();
  for (const l of g.lines) pool.set(l.text, (pool.get(l.text) ?? 0) + 1);
  const added: { index: number; text: string }[] = [];
  splitLines(out).forEach((text, index) => {
    const n = pool.get(text) ?? 0;
    if (n > 0) pool.set(text, n - 1);
    else added.push({ index, text });
  });
  return added;
}

/** 0-based output line → the instruction covering it (heredoc bodies marked). */
function lineOwners(model: DockerfileModel): Map<number, { keyword: string; heredocBody: boolean }> {
  const owners = new Map<number, { keyword: string; heredocBody: boolean }>();
  for (const i of model.instructions) {
    for (let l = i.line; l <= i.endLine; l++) owners.set(l, { keyword: i.keyword, heredocBody: false });
    for (const h of i.heredocs) {
      const first = lineAt(model, h.bodyStart);
      const last = lineAt(model, Math.max(h.bodyStart, h.bodyEnd - 1));
      for (let l = first; l <= last; l++) owners.set(l, { keyword: i.keyword, heredocBody: true });
    }
  }
  return owners;
}

function lineAt(model: DockerfileModel, offset: number): number {
  const starts = model.layout.lineStarts;
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
  return line;
}

describe("generator", () => {
  it("renders the lines it describes, and the parser reads every generated file", () => {
    fc.assert(
      fc.property(dockerfileArb, (g) => {
        expect(splitLines(g.text)).toEqual(g.lines.map((l) => l.text));
        expect(() => parseDockerfile(g.text)).not.toThrow();
        const model = parseDockerfile(g.text);
        expect(model.instructions.map((i) => instrText(model, i))).toEqual(g.instructions.map((i) => i.text));
      }),
      { numRuns: 200 },
    );
  });

  it("is deterministic", () => {
    fc.assert(fc.property(specArb, (s) => render(s).text === render(s).text), { numRuns: 50 });
  });
});

describe("properties of the rewrite over generated Dockerfiles", () => {
  it("0. the pipeline does not throw on a valid Dockerfile", () => {
    fc.assert(
      fc.property(dockerfileArb, (g) => {
        const r = attempt(g);
        expect(r instanceof Error ? r.message : null).toBeNull();
      }),
      params,
    );
  });

  it("1. the output re-parses and keeps BOM, line-ending style and final-newline state", () => {
    fc.assert(
      fc.property(dockerfileArb, (g) => {
        const out = run(g).output;
        expect(() => parseDockerfile(out)).not.toThrow();
        expect(out.startsWith("\uFEFF")).toBe(g.spec.bom);
        expect(out.indexOf("\uFEFF", 1)).toBe(-1);
        if (g.spec.crlf) expect(/(^|[^\r])\n/.test(out), "a bare LF in a CRLF file").toBe(false);
        else expect(out.includes("\r"), "a CR in an LF file").toBe(false);
        expect(out.endsWith("\n")).toBe(g.spec.finalNewline);
      }),
      params,
    );
  });

  it("2. idempotent: the rewrite of the output is the output", () => {
    fc.assert(
      fc.property(dockerfileArb, (g) => {
        const out = run(g).output;
        expect(runPipeline(out, { mountStyle: g.spec.mountStyle }).output).toBe(out);
      }),
      params,
    );
  });

  it("3. no secret-named ARG/ENV remains unless its secret is reported manual", () => {
    fc.assert(
      fc.property(dockerfileArb, (g) => {
        const r = run(g);
        const model = parseDockerfile(r.output);
        for (const instr of model.instructions) {
          if (instr.keyword !== "ARG" && instr.keyword !== "ENV") continue;
          for (const p of instr.properties) {
            if (!isSecretName(p.name)) continue;
            const s = envSecret(r, p.name);
            // A lone `ENV X=` reset carries nothing and is no secret by itself; with a secret X it must go too.
            if (instr.keyword === "ENV" && p.value === "" && s === undefined) continue;
            expect(s, `${instr.keyword} ${p.name} is left and no secret was reported for it`).toBeDefined();
            expect(manual(r, s!.id), `${instr.keyword} ${p.name} is left but secret ${s!.id} is not "manual"`).toBe(true);
          }
        }
      }),
      params,
    );
  });

  /*
   * What the rewrite owns (may change or delete): the `# syntax=` directive line; every line of a
   * secret-carrying ARG/ENV/COPY (comment lines inside its continuation included: they may go
   * with it); the first line of a RUN that follows a secret carrier (or, after a bare `RUN \`,
   * the line its command starts on), where mounts go; every line outside heredoc bodies of a RUN
   * that cleans up (rm/shred/chmod) a secret file; in a file without a final newline, the blank
   * lines just before owned lines that end the file (deleting those lines must not bring a final
   * newline back, property 1); a blank line right after owned lines that follow a blank line
   * (removing them must not leave two blank lines in a row). Everything else — other comments, blank
   * lines, heredoc bodies and terminators, the escape directive, all other instruction lines and
   * the comment lines inside a RUN's continuation — must appear unchanged, in order. The only
   * line that may be added is `# syntax=docker/dockerfile:1` (`:1.10` where a `1.4` pin is raised); any other line the output does not
   * share with the input belongs to an ARG/ENV/COPY/RUN instruction (never a comment, blank or
   * heredoc body line).
   */
  it("4. lines the rewrite does not own are byte-identical and in order; nothing else is added", () => {
    fc.assert(
      fc.property(dockerfileArb, (g) => {
        const r = run(g);
        const outLines = splitLines(r.output);
        const kept = g.lines.filter((l, i) => !l.owned && !closesBlankRun(g.lines, i)).map((l) => l.text);
        const sub = isSubsequence(kept, outLines);
        expect(sub.ok ? null : `protected line missing or out of order: ${JSON.stringify(sub.missing)}`).toBeNull();

        const added = newOutputLines(g, r.output);
        const syntaxAdded = !g.spec.syntax;
        expect(outLines.length).toBeLessThanOrEqual(g.lines.length + (syntaxAdded ? 1 : 0));
        const model = parseDockerfile(r.output);
        const owners = lineOwners(model);
        for (const a of added) {
          // The added directive, or an old pin raised in place (its own trailing blanks kept).
          if (/^#[ \t]*syntax[ \t]*=[ \t]*docker\/dockerfile:1(\.10)?[ \t]*$/.test(a.text) && a.index < 3) continue;
          const owner = owners.get(a.index);
          const what = `added/changed output line ${a.index + 1}: ${JSON.stringify(a.text)}`;
          expect(owner, `${what} is outside any instruction`).toBeDefined();
          expect(owner!.heredocBody, `${what} is in a heredoc body`).toBe(false);
          expect(["ARG", "ENV", "COPY", "ADD", "RUN"], what).toContain(owner!.keyword);
          expect(/^\s*(#.*)?$/.test(a.text), `${what} is a comment or blank line`).toBe(false);
        }
      }),
      params,
    );
  });

  it("4b. instructions the rewrite does not own stay whole; a RUN that only needs mounts changes only by them", () => {
    fc.assert(
      fc.property(dockerfileArb, (g) => {
        const r = run(g);
        const model = parseDockerfile(r.output);
        const outTexts = model.instructions.map((i) => instrText(model, i));
        const kept = g.instructions.filter((i) => i.owned === "no").map((i) => i.text);
        const sub = isSubsequence(kept, outTexts);
        expect(sub.ok ? null : `instruction changed, merged or lost: ${JSON.stringify(sub.missing)}`).toBeNull();
        for (const i of g.instructions) {
          if (i.marker === null) continue;
          const found = runByMarker(model, i.marker);
          expect(found.length, `RUN with ${i.marker} is not in the output as one instruction`).toBe(1);
          if (i.owned === "mount") expect(stripAddedMounts(instrText(model, found[0]))).toBe(i.text);
        }
      }),
      params,
    );
  });

  it("5. every RUN that used a removed secret variable or file has its mount", () => {
    fc.assert(
      fc.property(dockerfileArb, (g) => {
        const r = run(g);
        const model = parseDockerfile(r.output);
        for (const use of g.runs) {
          const found = runByMarker(model, use.marker);
          expect(found.length, `RUN with ${use.marker} is not in the output`).toBe(1);
          const flags = mountFlags(instrText(model, found[0])).filter((f) => f.get("type") === "secret");
          for (const name of use.vars) {
            const s = envSecret(r, name);
            expect(s, `${use.marker} reads $${name} from a secret ARG/ENV but no secret was reported`).toBeDefined();
            if (manual(r, s!.id)) continue;
            const ok = flags.some((f) => f.get("id") === s!.id && (g.spec.mountStyle === "file" || f.get("env") === name));
            expect(ok, `RUN ${use.marker} reads $${name} but has no mount of secret ${s!.id}`).toBe(true);
          }
          for (const file of use.files) {
            const s = fileSecret(r, file.ctxPath);
            expect(s, `${use.marker} reads ${file.abs} (a COPY of ${file.ctxPath}) but no secret was reported`).toBeDefined();
            if (manual(r, s!.id)) continue;
            const ok = flags.some((f) => f.get("id") === s!.id && f.get("target") === file.abs);
            expect(ok, `RUN ${use.marker} reads ${file.abs} but has no mount of secret ${s!.id} at that target`).toBe(true);
          }
        }
      }),
      params,
    );
  });

  it("6. the escape character is respected in everything the rewrite writes", () => {
    fc.assert(
      fc.property(dockerfileArb, (g) => {
        const r = run(g);
        const wrong = g.escape === "`" ? "\\" : "`";
        for (const e of r.edits) {
          expect(e.text.includes(wrong + "\n"), `edit text continues with ${wrong}: ${JSON.stringify(e.text)}`).toBe(false);
          expect(e.text.includes(wrong + "\r\n"), `edit text continues with ${wrong}: ${JSON.stringify(e.text)}`).toBe(false);
        }
        const model = parseDockerfile(r.output);
        const owners = lineOwners(model);
        for (const a of newOutputLines(g, r.output)) {
          if (owners.get(a.index)?.heredocBody) continue;
          expect(a.text.trimEnd().endsWith(wrong), `line ${a.index + 1} ends with ${wrong}: ${JSON.stringify(a.text)}`).toBe(false);
        }
        // An instruction the rewrite changed must not end in a continuation that swallows the next line.
        for (const i of model.instructions) {
          if (i.heredocs.length > 0) continue;
          const last = splitLines(model.text)[i.endLine] ?? "";
          expect(last.trimEnd().endsWith(g.escape), `instruction ends with a dangling ${g.escape}: ${JSON.stringify(last)}`).toBe(false);
        }
      }),
      params,
    );
  });

  it("7. a hard-coded secret value appears in no finding message", () => {
    fc.assert(
      fc.property(
        dockerfileArb.filter((g) => g.hardValues.length > 0),
        (g) => {
          const r = run(g);
          const reported = JSON.stringify({ findings: r.findings, secrets: r.secrets });
          for (const v of g.hardValues) {
            for (const f of r.findings) expect(f.message.includes(v), `finding "${f.message}" shows the value`).toBe(false);
            expect(reported.includes(v)).toBe(false);
          }
        },
      ),
      params,
    );
  });

  it("7b. every hard-coded secret value is in the redactions", () => {
    fc.assert(
      fc.property(
        dockerfileArb.filter((g) => g.hardValues.length > 0),
        (g) => {
          const r = run(g);
          for (const v of g.hardValues) {
            expect(r.redactions.some((x) => x.includes(v)), `value ${v} is not redacted`).toBe(true);
          }
        },
      ),
      params,
    );
  });
});

describe("stored credentials over generated Dockerfiles (issue 10)", () => {
  it("8. no finding says fixed while a carrier remains: the storing command, a write, or the ARG; and every reader mounts the secret", () => {
    let fixedCases = 0;
    let manualCases = 0;
    fc.assert(
      fc.property(storedArb, (g) => {
        const r = runPipeline(g.text, { mountStyle: g.spec.mountStyle });
        const v = g.spec.secret;
        const finding = r.findings.find((f) => f.rule === "secret-arg-env" && f.line === 2);
        if (!finding) return;
        if (finding.status === "manual") {
          manualCases++;
          return;
        }
        fixedCases++;
        const lines = splitLines(r.output);
        // The ARG is gone.
        expect(lines.filter((l) => new RegExp(`^(ARG|ENV)\\s+${v}\\b`).test(l))).toEqual([]);
        // The storing command is gone (or lost its credential words).
        expect(r.output.includes(g.template.store(v)), `the storing command stays:\n${r.output}`).toBe(false);
        // No RUN of the output writes the secret into a file that stays.
        expect(runPipeline(r.output, { mountStyle: g.spec.mountStyle }).findings.filter((f) => f.rule === "run-writes-secret")).toEqual([]);
        // Every RUN that read the stored file mounts the secret (an ssh key: the builder's agent).
        const secret = envSecret(r, v)!;
        const mount = secret.ssh ? "--mount=type=ssh" : `id=${secret.id}`;
        for (const m of g.readerMarkers) {
          let k = lines.findIndex((l) => l.includes(`echo ${m}`));
          expect(k, `${m} is in the output`).toBeGreaterThanOrEqual(0);
          while (k > 0 && !/^RUN\b/.test(lines[k])) k--;
          expect(lines[k], `the RUN of ${m} mounts ${mount}:\n${r.output}`).toContain(mount);
        }
      }),
      params,
    );
    // The generator reaches both outcomes, so the property is not vacuous.
    expect(fixedCases).toBeGreaterThan(0);
    expect(manualCases).toBeGreaterThan(0);
  });
});
