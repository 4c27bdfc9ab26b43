/**
 * Secret ids across a batch (src/analyse/batch-ids.ts): two services that copy different files of
 * the same name get one id each; one file shared by two Dockerfiles keeps one shared id.
 */
import { describe, expect, it } from "vitest";
import { copiedSecretFiles, settleFileIds } from "../src/analyse/batch-ids.js";

describe("copiedSecretFiles", () => {
  it("names the credential files COPY/ADD lines take from the context, as context paths", () => {
    const text = "FROM node\nCOPY package.json .npmrc ./\nadd /ops/.s3cfg /root/\nCOPY --chown=1:1 [\"deploy/id_rsa\", \"/k\"]\nCOPY --from=build /app/.npmrc /x\nCOPY *.pem /certs/\n";
    expect(copiedSecretFiles(text).sort()).toEqual([".npmrc", "deploy/id_rsa", "ops/.s3cfg"]);
    expect(copiedSecretFiles("FROM node\r\nCOPY package.json \\\r\n  config/.npmrc ./\r\n")).toEqual(["config/.npmrc"]);
  });
});

describe("settleFileIds", () => {
  const file = (dockerfile: string, context: string, sources: string[]) => ({ dockerfile, context, sources });

  it("gives each service its own id when two different files would share one", () => {
    const ids = settleFileIds([
      file("/r/services/web/Dockerfile", "/r/services/web", [".npmrc"]),
      file("/r/services/api/Dockerfile", "/r/services/api", [".npmrc", "config/app.key"]),
    ]);
    expect(Object.fromEntries(ids)).toEqual({
      "/r/services/api/Dockerfile": { ".npmrc": "npmrc_api" },
      "/r/services/web/Dockerfile": { ".npmrc": "npmrc_web" },
    });
  });

  it("keeps one shared id for one shared file (two Dockerfiles, one context)", () => {
    const ids = settleFileIds([file("/r/Dockerfile.api", "/r", [".npmrc"]), file("/r/Dockerfile.web", "/r", [".npmrc"])]);
    expect(ids.size).toBe(0);
  });

  it("names a service by its Dockerfile's suffix, and numbers names that still meet", () => {
    const ids = settleFileIds([
      file("/r/Dockerfile.api", "/r/a", [".npmrc"]),
      file("/r/b/Dockerfile.api", "/r/b", [".npmrc"]),
      file("/r/c/Dockerfile", "/r/c", ["secrets/.npmrc"]),
    ]);
    expect(Object.fromEntries(ids)).toEqual({
      "/r/Dockerfile.api": { ".npmrc": "npmrc_api" },
      "/r/b/Dockerfile.api": { ".npmrc": "npmrc_api_2" },
      "/r/c/Dockerfile": { "secrets/.npmrc": "npmrc_c" },
    });
  });

  it("leaves alone the sources a configuration names", () => {
    const ids = settleFileIds(
      [file("/r/a/Dockerfile", "/r/a", [".npmrc"]), file("/r/b/Dockerfile", "/r/b", [".npmrc"])],
      (dockerfile) => dockerfile === "/r/a/Dockerfile",
    );
    expect(ids.size).toBe(0);
  });
});
