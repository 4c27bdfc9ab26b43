/**
 * The parse step, and the dockerfile-ast 0.7.1 bugs it works around (REFERENCE §6). Each bug
 * is pinned twice: the raw parser still gets it wrong (when an upgrade fixes it, that test
 * fails and the workaround can go), and parseDockerfile gets it right.
 */
import { describe, expect, it } from "vitest";
import { DockerfileParser } from "dockerfile-ast";
import { parseDockerfile } from "../src/parse/dockerfile.js";
import { scanDirectives } from "../src/parse/directives.js";

const slices = (text: string) => parseDockerfile(text).instructions.map((i) => text.slice(i.start, i.end));

describe("dockerfile-ast bug 1: a heredoc body line ending in the escape character", () => {
  const text = "FROM x\nRUN <<EOF\necho a \\\nEOF\nRUN echo b\n";
  it("hides the terminator from the raw parser: the body swallows it", () => {
    const run = DockerfileParser.parse(text).getInstructions()[1] as unknown as {
      getHeredocs(): { getDelimiterRange(): unknown; getContentRange(): { end: { line: number } } }[];
    };
    expect(run.getHeredocs()[0].getDelimiterRange()).toBeNull();
    expect(run.getHeredocs()[0].getContentRange().end.line).toBe(3);
  });
  it("is worked around", () => {
    expect(slices(text)).toEqual(["FROM x", "RUN <<EOF\necho a \\\nEOF", "RUN echo b"]);
    const run = parseDockerfile(text).instructions[1];
    expect(text.slice(run.heredocs[0].bodyStart, run.heredocs[0].bodyEnd)).toBe("echo a \\");
  });
  it("also with the backtick escape and <<- tab stripping", () => {
    const t = "# escape=`\nFROM x\nRUN <<-EOT\n\techo a `\n\tEOT\nRUN echo b\n";
    expect(slices(t)).toEqual(["FROM x", "RUN <<-EOT\n\techo a `\n\tEOT", "RUN echo b"]);
  });
});

describe("dockerfile-ast bug 2: trailing whitespace after a directive", () => {
  const text = "# syntax=docker/dockerfile:1 \n# escape=`\nFROM x\nRUN a `\n  b\n";
  it("stops the raw parser's directive scan", () => {
    expect(DockerfileParser.parse(text).getEscapeCharacter()).toBe("\\");
  });
  it("is worked around", () => {
    const model = parseDockerfile(text);
    expect(model.escape).toBe("`");
    expect(slices(text)).toEqual(["FROM x", "RUN a `\n  b"]);
    expect(scanDirectives(text).directives.map((d) => [d.name, d.value])).toEqual([
      ["syntax", "docker/dockerfile:1"],
      ["escape", "`"],
    ]);
  });
});

describe("dockerfile-ast bug 3: getJSONValue() drops spaces", () => {
  const text = 'FROM x\nCOPY ["a b.txt", "c d/"]\n';
  it("in the raw parser", () => {
    const copy = DockerfileParser.parse(text).getCOPYs()[0];
    expect(copy.getJSONStrings()[0].getJSONValue()).toBe("ab.txt");
  });
  it("is worked around", () => {
    expect(parseDockerfile(text).instructions[1].json!.map((w) => w.value)).toEqual(["a b.txt", "c d/"]);
  });
});

describe("dockerfile-ast bug 4: quoted flag values with spaces are split", () => {
  const text = 'FROM x\nRUN --mount=type=secret,id="my id",target=/x ls\n';
  it("in the raw parser", () => {
    const run = DockerfileParser.parse(text).getInstructions()[1] as unknown as { getFlags(): { getValue(): string }[] };
    expect(run.getFlags()[0].getValue()).not.toBe('type=secret,id="my id",target=/x');
  });
  it("is worked around", () => {
    const run = parseDockerfile(text).instructions[1];
    expect(run.flags.map((f) => [f.name, f.value])).toEqual([["mount", 'type=secret,id="my id",target=/x']]);
    expect(text.slice(run.commandStart, run.end)).toBe("ls");
  });
});

describe("dockerfile-ast bug 5: Dockerfile.getRange() with a leading comment", () => {
  it("is not used: instruction lines are right after comments", () => {
    const text = "# a comment\n\nFROM x\n# another\nRUN a\n";
    expect(parseDockerfile(text).instructions.map((i) => i.line)).toEqual([2, 4]);
  });
});

describe("a lone CR", () => {
  it("is a line break to dockerfile-ast but not to BuildKit", () => {
    const text = "FROM x\rRUN a\n";
    expect(DockerfileParser.parse(text).getInstructions().length).toBe(2);
    expect(slices(text)).toEqual(["FROM x\rRUN a"]);
  });
});

describe("ARG words", () => {
  it.each([
    ["ARG A B=1", [["A", null], ["B", "1"]]],
    ['ARG A="x y" B', [["A", "x y"], ["B", null]]],
    ["ARG A=1 \\\n  # c\n  B=2", [["A", "1"], ["B", "2"]]],
    ["ARG A='$x'", [["A", "$x"]]],
    // A continuation inside a word joins the next line to it, as BuildKit joins lines first;
    // leading blanks on the next line still end the word.
    ["ARG A=xyz\\\nabc B=1", [["A", "xyzabc"], ["B", "1"]]],
    ["ARG A=xyz\\\r\n# c\nabc", [["A", "xyzabc"]]],
    ["ARG A=xyz\\\n  abc", [["A", "xyz"], ["abc", null]]],
    ['ARG A="x\\\ny" B=\'p\\\r\nq\'', [["A", "xy"], ["B", "pq"]]],
  ])("%j", (line, expected) => {
    const text = `FROM x\n${line}\n`;
    const arg = parseDockerfile(text).instructions[1];
    expect(arg.properties.map((p) => [p.name, p.value])).toEqual(expected);
    for (const p of arg.properties) expect(text.slice(p.start, p.end).startsWith(p.name)).toBe(true);
  });
});

describe("the model", () => {
  it("keeps offsets right with a BOM, CRLF and astral characters", () => {
    const text = "\uFEFFFROM x AS b\r\nLABEL e=\u{1F600}\r\nENV A=1 \\\r\n  B=2\r\nONBUILD RUN echo hi\r\n";
    const model = parseDockerfile(text);
    expect(model.layout.bom).toBe(true);
    expect(model.layout.eol).toBe("\r\n");
    expect(slices(text)).toEqual(["FROM x AS b", "LABEL e=\u{1F600}", "ENV A=1 \\\r\n  B=2", "RUN echo hi"]);
    const env = model.instructions[2];
    expect(env.properties.map((p) => text.slice(p.start, p.end))).toEqual(["A=1", "B=2"]);
    const trigger = model.instructions[3];
    expect(trigger.trigger).toBe(true);
    expect(text.slice(trigger.outerStart, trigger.end)).toBe("ONBUILD RUN echo hi");
  });

  it("links stages built FROM earlier ones", () => {
    const model = parseDockerfile("FROM a AS base\nFROM base AS build\nFROM Build\nFROM other\n");
    expect(model.stages.map((s) => [s.name, s.parent])).toEqual([
      ["base", null],
      ["build", 0],
      [null, 1],
      [null, null],
    ]);
  });
});
