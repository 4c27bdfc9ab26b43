/** Scope: did the secret reach the shipped image, or only build stages? One row per way a secret travels. */
import { describe, expect, it } from "vitest";
import { analyze } from "../src/index.js";

const scopes = (text: string) => analyze(text).findings.filter((f) => f.secretId !== undefined).map((f) => `${f.line}:${f.scope}`);

describe("finding scope", () => {
  it.each([
    ["a single stage", "FROM a\nARG NPM_TOKEN\nRUN npm ci\n", ["2:image"]],
    ["a build stage the final image takes files from: an ARG is metadata, never copied", "FROM a AS b\nARG NPM_TOKEN\nRUN npm ci\nFROM a\nCOPY --from=b /app /app\n", ["2:build-stages"]],
    ["the final stage built FROM the stage that held it", "FROM a AS b\nARG NPM_TOKEN\nRUN npm ci\nFROM b\nRUN ls\n", ["2:image"]],
    ["an ENV of a base stage the final stage is built FROM", "FROM a AS base\nARG NPM_TOKEN\nENV NPM_TOKEN=$NPM_TOKEN\nFROM base\nRUN npm ci\n", ["2:image", "3:image"]],
    ["a file the final stage does not copy", "FROM a AS b\nCOPY .npmrc /app/.npmrc\nRUN npm ci\nFROM a\nCOPY --from=b /app/dist /dist\n", ["2:build-stages"]],
    ["a file under a folder the final stage copies", "FROM a AS b\nCOPY .npmrc /app/.npmrc\nRUN npm ci\nFROM a\nCOPY --from=b /app /app\n", ["2:image"]],
    ["a file a pattern may copy", "FROM a AS b\nCOPY .npmrc /app/.npmrc\nRUN npm ci\nFROM a\nCOPY --from=b /app/* /app/\n", ["2:image"]],
    ["a folder copied through a middle stage", "FROM a AS b\nCOPY .npmrc /app/.npmrc\nRUN npm ci\nFROM a AS m\nCOPY --from=b /app /srv\nFROM a\nCOPY --from=m /srv/x /x\n", ["2:image"]],
    ["a stage nothing copies from, after the final one is chosen", "FROM a AS b\nCOPY .npmrc /root/.npmrc\nRUN npm ci\nFROM a\nRUN ls\n", ["2:build-stages"]],
  ])("%s", (_name, text, expected) => {
    expect(scopes(text)).toEqual(expected);
  });

  it("says in the message where the secret was", () => {
    const [builder] = analyze("FROM a AS b\nARG NPM_TOKEN\nRUN npm ci\nFROM a\nCOPY --from=b /app/dist /dist\n").findings;
    expect(builder.message).toMatch(/^ARG NPM_TOKEN carries a secret into an intermediate build stage's layers and the build cache \(not the final image\);/);
    const [shipped] = analyze("FROM a\nARG NPM_TOKEN\nRUN npm ci\n").findings;
    expect(shipped.message).toMatch(/^ARG NPM_TOKEN carries a secret into the image;/);
  });
});
