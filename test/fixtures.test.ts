/**
 * Fixture pairs, jscodeshift style: __fixtures__/<case>/input.Dockerfile is rewritten and
 * compared byte for byte with output.Dockerfile (absent: the input must stay as it is), and
 * the report with report.json. Every case also checks that a second run changes nothing.
 * options.json (optional) holds pipeline options such as {"mountStyle": "file"}.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runPipeline } from "../src/pipeline.js";
import { parseDockerfile } from "../src/parse/dockerfile.js";
import { dockerBuildCommand } from "../src/emit/build-commands.js";
import type { AnalyseOptions } from "../src/types.js";

const ROOT = join(import.meta.dirname, "..", "__fixtures__");

interface ExpectedReport {
  /** scope, when given, is checked too (where the secret was before: the shipped image or build stages only). */
  findings: { rule: string; line: number; status: string; scope?: string }[];
  secrets: { id: string; source: unknown; usage: string; hardcoded?: boolean; mountedOn: number[]; runtimeNames?: string[]; onbuild?: boolean }[];
  ignorePaths?: string[];
  docker?: string | null;
}

const read = (p: string) => readFileSync(p, "utf8");
const cases = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(ROOT, d.name, "input.Dockerfile")))
  .map((d) => d.name)
  .sort();

describe("fixtures", () => {
  it("has the fixture pairs the suite is built on", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  describe.each(cases)("%s", (name) => {
    const dir = join(ROOT, name);
    const input = read(join(dir, "input.Dockerfile"));
    const outputPath = join(dir, "output.Dockerfile");
    const expectedOutput = existsSync(outputPath) ? read(outputPath) : input;
    const options: AnalyseOptions = existsSync(join(dir, "options.json")) ? JSON.parse(read(join(dir, "options.json"))) : {};
    const expected: ExpectedReport = JSON.parse(read(join(dir, "report.json")));
    const result = runPipeline(input, options);

    it("rewrites to output.Dockerfile, byte for byte", () => {
      expect(result.output).toBe(expectedOutput);
      expect(result.changed).toBe(expectedOutput !== input);
    });

    it("reports the expected findings and secrets", () => {
      expect(
        result.findings.map((f, i) => ({ rule: f.rule, line: f.line, status: f.status, ...(expected.findings[i]?.scope !== undefined ? { scope: f.scope } : {}) })),
      ).toEqual(expected.findings);
      expect(
        result.secrets.map((s) => ({
          id: s.id,
          source: s.source,
          usage: s.usage,
          ...(s.hardcoded ? { hardcoded: true } : {}),
          mountedOn: s.mountedOn,
          ...(s.runtimeNames ? { runtimeNames: s.runtimeNames } : {}),
          ...(s.onbuild ? { onbuild: true } : {}),
        })),
      ).toEqual(expected.secrets);
      expect(result.ignorePaths).toEqual(expected.ignorePaths ?? []);
      if (expected.docker !== undefined) {
        const docker = result.secrets.some((s) => s.usage === "build")
          ? dockerBuildCommand({ dockerfile: "Dockerfile", secrets: result.secrets })
          : null;
        expect(docker).toBe(expected.docker);
      }
    });

    it("is stable: the output re-parses and a second run changes nothing", () => {
      expect(() => parseDockerfile(result.output)).not.toThrow();
      const again = runPipeline(result.output, options);
      expect(again.output).toBe(result.output);
    });

    it("never shows a hard-coded value in a finding", () => {
      for (const v of result.redactions) for (const f of result.findings) expect(f.message).not.toContain(v);
    });
  });
});
