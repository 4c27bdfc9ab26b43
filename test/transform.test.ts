/** The transformer's small pieces, table-driven: directive, mount flag, .dockerignore, edits. */
import { describe, expect, it } from "vitest";
import { parseDockerfile } from "../src/parse/dockerfile.js";
import { syntaxChange } from "../src/transform/syntax-directive.js";
import { secretMountFlag } from "../src/transform/mount-flag.js";
import { ignoreLine, updateDockerignore } from "../src/transform/dockerignore.js";
import { applyEdits, OverlappingEditsError } from "../src/transform/apply-edits.js";
import { runPipeline } from "../src/pipeline.js";

const apply = (text: string, envForm: boolean) => {
  const change = syntaxChange(parseDockerfile(text), envForm);
  return { text: change.edit ? applyEdits(text, [change.edit]) : text, problem: change.problem };
};

describe("syntax directive", () => {
  it.each([
    ["none: inserted first", "FROM a\n", true, "# syntax=docker/dockerfile:1\nFROM a\n"],
    ["after a BOM, CRLF kept", "\uFEFFFROM a\r\n", true, "\uFEFF# syntax=docker/dockerfile:1\r\nFROM a\r\n"],
    ["inside the block, before escape", "# escape=`\nFROM a\n", true, "# syntax=docker/dockerfile:1\n# escape=`\nFROM a\n"],
    ["1.4 raised to 1.10 for env=", "# syntax=docker/dockerfile:1.4\nFROM a\n", true, "# syntax=docker/dockerfile:1.10\nFROM a\n"],
    ["1.4-labs raised to 1.10-labs", "# syntax=docker/dockerfile:1.4-labs\nFROM a\n", true, "# syntax=docker/dockerfile:1.10-labs\nFROM a\n"],
    ["a major-only pin stays major-only", "# syntax=docker/dockerfile:0\nFROM a\n", true, "# syntax=docker/dockerfile:1\nFROM a\n"],
    ["1.4 kept for file mounts", "# syntax=docker/dockerfile:1.4\nFROM a\n", false, "# syntax=docker/dockerfile:1.4\nFROM a\n"],
    ["1.9.0-labs raised keeps labs", "# syntax = docker/dockerfile:1.9.0-labs \nFROM a\n", true, "# syntax = docker/dockerfile:1.10.0-labs \nFROM a\n"],
    ["1.10 kept", "# syntax=docker/dockerfile:1.10\nFROM a\n", true, "# syntax=docker/dockerfile:1.10\nFROM a\n"],
    ["1.1 raised to 1.2 even for file mounts", "#syntax=docker.io/docker/dockerfile:1.1\nFROM a\n", false, "#syntax=docker/dockerfile:1.2\nFROM a\n"],
    ["experimental raised", "# syntax=docker/dockerfile:experimental\nFROM a\n", false, "# syntax=docker/dockerfile:1\nFROM a\n"],
    ["latest kept", "# syntax=docker/dockerfile:latest\nFROM a\n", true, "# syntax=docker/dockerfile:latest\nFROM a\n"],
    ["after a comment a directive is a comment: a real one goes first", "# hello\n# syntax=docker/dockerfile:1.0\nFROM a\n", true, "# syntax=docker/dockerfile:1\n# hello\n# syntax=docker/dockerfile:1.0\nFROM a\n"],
    ["1.9.1 raised to 1.10.0", "# syntax=docker/dockerfile:1.9.1\nFROM a\n", true, "# syntax=docker/dockerfile:1.10.0\nFROM a\n"],
  ])("%s", (_name, input, envForm, expected) => {
    expect(apply(input, envForm)).toEqual({ text: expected, problem: null });
  });

  it.each([
    ["another frontend", "# syntax=example.com/frontend:2\nFROM a\n"],
    ["a digest pin", "# syntax=docker/dockerfile@sha256:abc\nFROM a\n"],
  ])("leaves %s alone and says why", (_name, input) => {
    const r = apply(input, true);
    expect(r.text).toBe(input);
    expect(r.problem).toMatch(/check it supports secret mounts/);
  });
});

describe("secret mount flag", () => {
  it.each([
    [{ env: "NPM_TOKEN" }, "--mount=type=secret,id=npm_token,env=NPM_TOKEN"],
    [{ target: "/root/.npmrc" }, "--mount=type=secret,id=npm_token,target=/root/.npmrc"],
    [{ target: "/a", uid: "1000", gid: "1000", mode: "0440" }, "--mount=type=secret,id=npm_token,target=/a,uid=1000,gid=1000,mode=0440"],
    [{ target: "/app/my secrets,1" }, '--mount=type=secret,id=npm_token,"target=/app/my secrets,1"'],
    [{ exportAs: "NPM_TOKEN" }, "--mount=type=secret,id=npm_token"],
  ])("%j", (spec, expected) => {
    expect(secretMountFlag("npm_token", spec)).toBe(expected);
  });

  it("writes required=true last, never the bare key (buildah 1.28 panics on an option without =)", () => {
    expect(secretMountFlag("npmrc", { target: "/a", mode: "0444" }, true)).toBe("--mount=type=secret,id=npmrc,target=/a,mode=0444,required=true");
  });
});

describe("required secret mounts", () => {
  const mountsOf = (text: string, options = {}) => runPipeline(text, options).output.match(/--mount=\S+/g) ?? [];

  it("a file a COPY named is required: that build failed without it", () => {
    expect(mountsOf("FROM a\nCOPY .npmrc /root/.npmrc\nRUN npm ci\n")).toEqual(["--mount=type=secret,id=npmrc,target=/root/.npmrc,required=true"]);
  });

  it("so is every place a copy of that file is read, and a COPY --from of it", () => {
    const text = "FROM a AS b\nCOPY .npmrc /tmp/.npmrc\nRUN cp /tmp/.npmrc /root/.npmrc && npm ci\nFROM a\nCOPY --from=b /tmp/.npmrc /root/.npmrc\nRUN npm ci\n";
    const mounts = mountsOf(text);
    expect(mounts.length).toBeGreaterThanOrEqual(2);
    for (const m of mounts) expect(m).toMatch(/,required=true$/);
  });

  it("a variable is not: an unset ARG was empty (env form and --mount-style file alike)", () => {
    const text = "FROM a\nARG NPM_TOKEN\nRUN npm ci\n";
    expect(mountsOf(text)).toEqual(["--mount=type=secret,id=npm_token,env=NPM_TOKEN"]);
    expect(mountsOf(text, { mountStyle: "file" })).toEqual(["--mount=type=secret,id=npm_token"]);
  });

  it("a file only a copy of the whole context brought in is not: `COPY . .` built without it", () => {
    const out = runPipeline("FROM a\nWORKDIR /src\nCOPY . .\nRUN cp /src/.npmrc /root/.npmrc && npm ci\n").output;
    expect(out).toMatch(/--mount=type=secret,id=npmrc,target=\/root\/\.npmrc /);
    expect(out).not.toContain("required");
  });

  it("a mount that already says required=true is left as it is by a second run", () => {
    const once = runPipeline("FROM a\nCOPY .npmrc /root/.npmrc\nRUN npm ci\n").output;
    expect(runPipeline(once).output).toBe(once);
    expect(runPipeline(once).findings).toEqual([]);
  });
});

describe(".dockerignore update", () => {
  it.each([
    ["new file", null, [".npmrc"], ".npmrc\n"],
    ["appends, keeps CRLF", "node_modules\r\n", [".npmrc"], "node_modules\r\n.npmrc\r\n"],
    ["adds the missing final newline first", "a", ["b"], "a\nb\n"],
    ["already there (any spelling)", "./.npmrc\n", [".npmrc"], null],
    ["dedupes", "", ["x", "x"], "x\n"],
    ["escapes a leading ! or #", "", ["#x", "!y"], "\\#x\n\\!y\n"],
    ["never a line a path's newline would add", "", ["a\n!b", "c"], "c\n"],
    ["escapes wildcards and backslashes, so the line matches that one file", "", ["a*b?[c]\\d"], "a\\*b\\?\\[c\\]\\\\d\n"],
    ["drops a leading / (so /!x is no exception)", "", ["/!x"], "\\!x\n"],
  ])("%s", (_n, existing, paths, expected) => {
    expect(updateDockerignore(existing, paths)).toBe(expected);
  });

  // How Docker reads a line (moby/patternmatcher): trimmed, split on "\n", a final "\r" dropped.
  it.each([
    ["a\nb"],
    ["a\rb"],
    ["tab\tin"],
    ["del\u007f"],
    ["c1\u0085"],
    ["sep\u2028"],
    [" leading"],
    ["trailing "],
    ["trailing\u00a0"],
    ["\ufeffbom"],
    [""],
    ["."],
  ])("no line can express %j", (p) => {
    expect(ignoreLine(p)).toBeNull();
  });
});

describe("applying edits", () => {
  it("applies inserts, deletions and replacements once", () => {
    expect(
      applyEdits("abcdef", [
        { start: 0, end: 0, text: ">" },
        { start: 1, end: 3, text: "" },
        { start: 4, end: 5, text: "E" },
      ]),
    ).toBe(">adEf");
  });

  it("refuses overlapping edits instead of guessing", () => {
    expect(() => applyEdits("abcdef", [{ start: 0, end: 3, text: "" }, { start: 2, end: 4, text: "x" }])).toThrow(OverlappingEditsError);
    expect(() => applyEdits("abcdef", [{ start: 0, end: 3, text: "" }, { start: 1, end: 1, text: "x" }])).toThrow(OverlappingEditsError);
  });
});

describe("one instruction touched by several secrets", () => {
  it("removes a multi-pair ENV whole when every pair is a secret, and merges mounts on one RUN", () => {
    const r = runPipeline("FROM a\nARG NPM_TOKEN\nENV A_TOKEN=$NPM_TOKEN DB_PASSWORD=x\nRUN npm ci && echo $DB_PASSWORD $A_TOKEN\n");
    expect(r.output).toBe(
      "# syntax=docker/dockerfile:1\nFROM a\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN --mount=type=secret,id=npm_token,env=A_TOKEN --mount=type=secret,id=db_password,env=DB_PASSWORD npm ci && echo $DB_PASSWORD $A_TOKEN\n",
    );
  });

  it("removes two clean-up commands in one RUN without leaving an operator", () => {
    const r = runPipeline("FROM a\nCOPY .npmrc id_rsa /root/\nRUN rm -f /root/.npmrc && git clone git@x:y && rm /root/id_rsa && npm ci\n");
    expect(r.output).toContain("RUN --mount=type=secret,id=npmrc,target=/root/.npmrc,required=true --mount=type=secret,id=id_rsa,target=/root/id_rsa,required=true git clone git@x:y && npm ci\n");
  });

  it("deletes a RUN that only cleaned up", () => {
    const r = runPipeline("FROM a\nCOPY .npmrc /root/.npmrc\nRUN npm ci\nRUN rm /root/.npmrc\nRUN ls\n");
    expect(r.output).toBe("# syntax=docker/dockerfile:1\nFROM a\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc,required=true npm ci\nRUN ls\n");
  });
});

describe("ARG defaults survive", () => {
  it("a global ARG's default, declared again in the stage, is what the RUN falls back to", () => {
    const r = runPipeline("ARG TOKEN=unset\nFROM a\nARG TOKEN\nRUN ./login --password $TOKEN\n");
    expect(r.output).toContain('RUN --mount=type=secret,id=token,env=TOKEN export TOKEN="${TOKEN:-unset}" && ./login --password $TOKEN\n');
  });

  it("a hard-coded default is never kept: it is the secret", () => {
    const r = runPipeline("FROM a\nARG TOKEN=glpat-Xq7Lm2Pz9Rt4Vw8Yb3Nc\nRUN ./login --password $TOKEN\n");
    expect(r.output).toContain("RUN --mount=type=secret,id=token,env=TOKEN ./login --password $TOKEN\n");
    expect(r.output).not.toContain("glpat-");
  });

  it("an ARG without a default needs none: the empty variable is what the RUN saw", () => {
    expect(runPipeline("FROM a\nARG TOKEN\nRUN ./login --password $TOKEN\n").output).not.toContain(":-");
  });

  it("a default the shell would change inside \"${X:-…}\" (a `}` ends it) is not written; the finding says so", () => {
    const r = runPipeline("FROM a\nARG TOKEN={{TOKEN}}\nRUN ./login --password $TOKEN\n");
    expect(r.output).toContain("RUN --mount=type=secret,id=token,env=TOKEN ./login --password $TOKEN\n");
    const finding = r.findings.find((f) => f.rule === "secret-arg-env")!;
    expect(finding.status).toBe("needs-review");
    expect(finding.message).toContain("no longer gives line 3 the ARG's default");
  });

  it("an ONBUILD trigger falls back to the ONBUILD ARG's default, which the child build runs before it", () => {
    const r = runPipeline("FROM a\nONBUILD ARG NPM_TOKEN=unset\nONBUILD RUN npm ci --token $NPM_TOKEN\n");
    expect(r.output).toContain('export NPM_TOKEN="${NPM_TOKEN:-unset}" && npm ci --token $NPM_TOKEN\n');
  });

  it("with several secrets on one RUN, each falls back to its own default, before the first command", () => {
    const r = runPipeline("FROM a\nARG TOKEN=unset\nARG API_KEY=changeme\nRUN (cd /src && ./build $TOKEN) && ./push $API_KEY\n");
    expect(r.output).toMatch(/ export TOKEN="\$\{TOKEN:-unset\}" && export API_KEY="\$\{API_KEY:-changeme\}" && \(cd \/src/);
  });
});
