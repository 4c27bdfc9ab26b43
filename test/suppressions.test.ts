/** Inline directives that switch rules off, and BuildKit's own check=skip directive. */
import { describe, expect, it } from "vitest";
import { runPipeline } from "../src/pipeline.js";

const TOKEN = "ghp_" + "Zz9".repeat(12);
const rules = (text: string) => runPipeline(text).findings.map((f) => `${f.rule}@${f.line}`);

describe("suppressions", () => {
  it.each([
    ["# unbake-ignore: the next instruction, every rule", "FROM a\n# unbake-ignore\nARG NPM_TOKEN\nRUN npm ci\n", []],
    ["# unbake-ignore=rule: only that rule", `FROM a\n# unbake-ignore=hardcoded-secret reason=test fixture\nRUN curl -H "x: ${TOKEN}" h\nARG NPM_TOKEN\nRUN npm ci\n`, ["secret-arg-env@4"]],
    ["# unbake-ignore=other-rule leaves this one", "FROM a\n# unbake-ignore=hardcoded-secret\nARG NPM_TOKEN\nRUN npm ci\n", ["secret-arg-env@3"]],
    ["only the next instruction", "FROM a\n# unbake-ignore\nARG NPM_TOKEN\nARG DB_PASSWORD\nRUN npm ci\n", ["secret-arg-env@4"]],
    ["# unbake-ignore-file", "# unbake-ignore-file\nFROM a\nARG NPM_TOKEN\nCOPY .npmrc /root/\nRUN npm ci\n", []],
    ["# unbake-ignore-file=rule", "FROM a\n# unbake-ignore-file=secret-file-copy\nARG NPM_TOKEN\nCOPY .npmrc /root/\nRUN npm ci\n", ["secret-arg-env@3"]],
    ["# check=skip=SecretsUsedInArgOrEnv", "# check=skip=SecretsUsedInArgOrEnv\nFROM a\nARG NPM_TOKEN\nCOPY .npmrc /root/\nRUN npm ci\n", ["secret-file-copy@4"]],
    ["# check=skip=all;error=true", "# check=skip=all;error=true\nFROM a\nARG NPM_TOKEN\nRUN npm ci\n", []],
    ["# check=skip=JSONArgsRecommended leaves it", "# check=skip=JSONArgsRecommended\nFROM a\nARG NPM_TOKEN\nRUN npm ci\n", ["secret-arg-env@3"]],
    ["a plain comment does nothing", "FROM a\n# unbake ignores nothing here\nARG NPM_TOKEN\nRUN npm ci\n", ["secret-arg-env@3"]],
  ])("%s", (_name, text, expected) => {
    expect(rules(text)).toEqual(expected);
  });

  it("leaves an ignored secret in place, and rewrites nothing for it", () => {
    const text = "FROM a\n# unbake-ignore=secret-arg-env reason=public test token\nARG NPM_TOKEN\nRUN npm ci\n";
    expect(runPipeline(text).output).toBe(text);
  });
});
