/**
 * Property (issue 11, item 5): a removal respects line continuations and the escape character
 * for every instruction kind and every multi-pair line. Generated files mix secret and ordinary
 * ARG/ENV pairs (values continued over lines, quoted, with the escape character inside), COPY
 * with secret and ordinary sources (continued too), LABEL, WORKDIR, USER, EXPOSE, CMD and RUN
 * chains, with `\` or `` ` `` as escape character, LF or CRLF. Parsed again, the rewritten file
 * holds exactly the original instructions minus the removed ones, compared instruction by
 * instruction as the builder reads them (property names and values after continuations and
 * quotes, words, flags), secret mounts aside.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runPipeline, type PipelineResult } from "../src/pipeline.js";
import { parseDockerfile, type Instruction } from "../src/parse/dockerfile.js";

const RUNS = Number(process.env.PROPERTY_RUNS ?? 400);

const SECRETS = ["NPM_TOKEN", "DB_PASSWORD", "API_KEY"];
const PLAIN = ["APP_ENV", "NODE_VERSION", "PORT", "BUILD_DIR"];
const SECRET_FILES = [".npmrc", "id_rsa", ".pypirc"];
const PLAIN_FILES = ["package.json", "app.js", "README.md"];

interface Ctx {
  esc: string;
  eol: string;
}

/** A continuation: the escape character, the line break, optional indentation. */
const cont = (c: Ctx, indent: string) => `${c.esc}${c.eol}${indent}`;

const valueArb = fc.oneof(
  fc.constantFrom("abc", "1.2.3", "/srv/app", "x-y_z"),
  fc.constantFrom("abc|def", "part1|part2|3"), // `|` becomes a continuation inside the value
  // …or at its end: the next line (a blank one, the next instruction) joins this one, as BuildKit reads it
  fc.constantFrom("abc|", "abc| "),
  fc.constantFrom('"two words"', "'single q'", '"quoted|continued"'),
);

interface Pair {
  name: string;
  value: string | null;
}

const pairArb = (withValue: boolean) =>
  fc.record({
    name: fc.constantFrom(...SECRETS, ...PLAIN),
    value: withValue ? valueArb.map((v): string | null => v) : fc.option(valueArb, { nil: null }),
  });

type Item =
  | { t: "arg"; pairs: Pair[]; breaks: boolean[] }
  | { t: "env"; pairs: Pair[]; breaks: boolean[] }
  | { t: "copy"; sources: string[]; breaks: boolean[]; json: boolean }
  | { t: "other"; text: string }
  | { t: "run"; words: string[]; breaks: boolean[] };

const breaksArb = fc.array(fc.boolean(), { minLength: 6, maxLength: 6 });

const itemArb: fc.Arbitrary<Item> = fc.oneof(
  fc.record({ t: fc.constant("arg" as const), pairs: fc.array(pairArb(false), { minLength: 1, maxLength: 4 }), breaks: breaksArb }),
  fc.record({ t: fc.constant("env" as const), pairs: fc.array(pairArb(true), { minLength: 1, maxLength: 4 }), breaks: breaksArb }),
  fc.record({
    t: fc.constant("copy" as const),
    sources: fc.uniqueArray(fc.constantFrom(...SECRET_FILES, ...PLAIN_FILES), { minLength: 1, maxLength: 4 }),
    breaks: breaksArb,
    json: fc.boolean(),
  }),
  fc.record({
    t: fc.constant("other" as const),
    text: fc.constantFrom('LABEL org.opencontainers.image.title="demo" version=1', "WORKDIR /app", "USER root", "EXPOSE 8080", 'CMD ["node", "app.js"]', "# a comment", ""),
  }),
  fc.record({
    t: fc.constant("run" as const),
    words: fc.array(fc.constantFrom("echo", "build", "&&", "ls", "-la", "/app", "$APP_ENV", "$NPM_TOKEN", "npm", "ci"), { minLength: 1, maxLength: 6 }),
    breaks: breaksArb,
  }),
);

function renderValue(v: string, c: Ctx): string {
  return v.replace(/\|/g, cont(c, ""));
}

function renderItem(item: Item, c: Ctx): string {
  const sep = (breaks: boolean[], i: number) => (breaks[i % breaks.length] ? ` ${cont(c, "    ")}` : " ");
  switch (item.t) {
    case "arg":
      return "ARG" + item.pairs.map((p, i) => sep(item.breaks, i) + p.name + (p.value === null ? "" : "=" + renderValue(p.value, c))).join("");
    case "env":
      return "ENV" + item.pairs.map((p, i) => sep(item.breaks, i) + p.name + "=" + renderValue(p.value ?? "", c)).join("");
    case "copy":
      if (item.json) return `COPY [${[...item.sources, "/app/"].map((s) => JSON.stringify(s)).join(", ")}]`;
      return "COPY" + [...item.sources, "/app/"].map((s, i) => sep(item.breaks, i) + s).join("");
    case "other":
      return item.text;
    case "run":
      return "RUN" + item.words.map((w, i) => sep(item.breaks, i) + w).join("");
  }
}

const fileArb = fc.record({
  backtick: fc.boolean(),
  crlf: fc.boolean(),
  items: fc.array(itemArb, { minLength: 1, maxLength: 8 }),
  finalNewline: fc.boolean(),
});

function render(f: { backtick: boolean; crlf: boolean; items: Item[]; finalNewline: boolean }): string {
  const c: Ctx = { esc: f.backtick ? "`" : "\\", eol: f.crlf ? "\r\n" : "\n" };
  const lines = [...(f.backtick ? ["# escape=`"] : []), "FROM node:22-slim AS build", "WORKDIR /app", ...f.items.map((i) => renderItem(i, c))];
  return lines.join(c.eol) + (f.finalNewline ? c.eol : "");
}

/** An instruction as the builder reads it, secret mounts left out. */
function view(i: Instruction): string {
  const flags = i.flags.filter((f) => !(f.name === "mount" && /type=secret/.test(f.value ?? ""))).map((f) => `--${f.name}=${f.value}`);
  if (i.keyword === "ARG" || i.keyword === "ENV") return `${i.keyword} ${JSON.stringify(i.properties.map((p) => [p.name, p.value]))}`;
  if (i.json) return `${i.keyword} ${flags.join(" ")} json ${JSON.stringify(i.json.map((w) => w.value))}`;
  return `${i.keyword} ${flags.join(" ")} ${JSON.stringify(i.args.map((w) => w.value))}`;
}

/**
 * The original instructions, minus what the rewrite says it removed (the variables and files of
 * the secrets it reports, e.g. not an ARG no step could read): those pairs and sources, then the
 * lines left empty.
 */
function expected(text: string, r: PipelineResult): string[] {
  const names = new Set(r.secrets.flatMap((s) => (s.source.type === "env" ? [s.source.name] : [])));
  const files = new Set(r.secrets.flatMap((s) => (s.source.type === "file" ? [s.source.path] : [])));
  const isSecretName = (n: string) => names.has(n);
  const isSecretFile = (f: string) => files.has(f);
  const out: string[] = [];
  for (const i of parseDockerfile(text).instructions) {
    if (i.keyword === "ARG" || i.keyword === "ENV") {
      const kept = i.properties.filter((p) => !isSecretName(p.name));
      if (kept.length === 0) continue;
      out.push(`${i.keyword} ${JSON.stringify(kept.map((p) => [p.name, p.value]))}`);
    } else if (i.keyword === "COPY") {
      const words = i.json ?? i.args;
      const sources = words.slice(0, -1).filter((w) => !isSecretFile(w.value));
      if (sources.length === 0) continue;
      const kept = [...sources, words[words.length - 1]].map((w) => w.value);
      out.push(i.json ? `COPY  json ${JSON.stringify(kept)}` : `COPY  ${JSON.stringify(kept)}`);
    } else out.push(view(i));
  }
  return out;
}

describe("property: removal keeps every other instruction as the builder reads it", () => {
  it("parsed again, the rewrite has exactly the original instructions minus the removed ones", () => {
    let removing = 0;
    fc.assert(
      fc.property(fileArb, (f) => {
        const text = render(f);
        const r = runPipeline(text);
        // A secret the rewrite leaves in place (unfixable) keeps its pairs: then nothing is compared.
        fc.pre(!r.findings.some((x) => x.status === "manual" && x.rule !== "hardcoded-secret" && x.rule !== "run-writes-secret"));
        const after = parseDockerfile(r.output).instructions.map(view);
        expect(after).toEqual(expected(text, r));
        if (r.secrets.length > 0 && r.changed) removing++;
        // Every secret pair and source the generator wrote that the rewrite reports is gone.
        for (const s of r.secrets) expect(SECRETS.includes(s.source.type === "env" ? s.source.name : "") || SECRET_FILES.includes(s.source.type === "file" ? s.source.path : "")).toBe(true);
        // And the rewrite is stable.
        expect(runPipeline(r.output).output).toBe(r.output);
      }),
      { numRuns: RUNS },
    );
    // The property is about removals: most generated files must have some.
    expect(removing).toBeGreaterThan(RUNS / 4);
  });

  it("a continued value is removed with its tail (ARG API_KEY=abc\\ + def leaves no `ARG def`)", () => {
    for (const esc of ["\\", "`"]) {
      const head = esc === "`" ? "# escape=`\n" : "";
      const text = `${head}FROM node:22-slim\nARG API_KEY=abc${esc}\ndef PORT=1\nRUN echo $API_KEY\n`;
      const r = runPipeline(text);
      const out = r.output;
      expect(r.secrets.map((s) => s.id)).toEqual(["api_key"]);
      expect(parseDockerfile(out).instructions.map(view)).toEqual(expected(text, r));
      expect(out).not.toMatch(/^def/m);
    }
  });

  it("a value continued over a blank line into the next instruction: the joined line is one instruction, and stays one", () => {
    for (const esc of ["\\", "`"]) {
      const head = esc === "`" ? "# escape=`\n" : "";
      // BuildKit skips the blank line and joins `RUN echo hi` to the ARG: ARG API_KEY=abcRUN echo hi.
      const text = `${head}FROM node:22-slim\nARG API_KEY=abc${esc}\n\nRUN echo hi\n`;
      const r = runPipeline(text);
      expect(r.secrets.map((s) => s.source)).toEqual([{ type: "env", name: "API_KEY" }]);
      expect(r.output).toBe(`${head}FROM node:22-slim\nARG echo hi\n`);
      // A kept value that ends in the continuation keeps its line's end: the next instruction stays apart.
      const kept = `${head}FROM node:22-slim\nARG PORT=abc${esc}\n    API_KEY\nENV X=1\n`;
      const k = runPipeline(kept);
      expect(k.output).toBe(`${head}FROM node:22-slim\nARG PORT=abc\nENV X=1\n`);
      expect(parseDockerfile(k.output).instructions.map(view)).toEqual(expected(kept, k));
    }
  });

  it("a name with $ is expanded by the builder: not a secret of its own (ARG API_KEY=abc\\ + RUN $API_KEY)", () => {
    const r = runPipeline("FROM node:22-slim\nARG API_KEY=abc\\\nRUN $API_KEY echo\n");
    expect(r.secrets.map((s) => s.source)).toEqual([{ type: "env", name: "API_KEY" }]);
    expect(r.secrets[0].buildArgs).toEqual(["API_KEY"]);
  });

  it("an ENV a continuation made invalid (`ENV NPM_TOKEN=abc\\` + `RUN echo hi`: no = in echo) is left to a person", () => {
    const text = "FROM node:22-slim\nENV NPM_TOKEN=abc\\\nRUN echo hi\n";
    const r = runPipeline(text);
    expect(r.output).toBe(text);
    expect(r.findings.map((f) => [f.rule, f.status, f.line])).toEqual([["secret-arg-env", "manual", 2]]);
    expect(r.findings[0].message).toContain('"echo" has no "="');
  });
});
