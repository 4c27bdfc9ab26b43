import { describe, expect, it } from "vitest";
import { isNeverCredential, NEVER_CREDENTIAL_FILES } from "../src/knowledge/never-credential-files.js";
import { runPipeline } from "../src/pipeline.js";

describe("sources that are never credentials", () => {
  it.each(NEVER_CREDENTIAL_FILES.map((row) => [row.example, row.why]))("%s (%s)", (example) => {
    expect(isNeverCredential(`some/dir/${example}`)).toBe(true);
  });

  it.each(["creds.ini", "credentials.json", ".npmrc", "id_rsa", "Dockerfile-secrets.env", "readme-token.txt"])("%s is not one", (name) => {
    expect(isNeverCredential(name)).toBe(false);
  });

  it("keeps a credential-named destination from typing a build file, not a neutral one", () => {
    expect(runPipeline("FROM scratch\nADD Dockerfile.base /credentials.json\n").findings).toEqual([]);
    const neutral = runPipeline("FROM alpine\nCOPY deploy/creds.ini /root/.aws/credentials\nRUN aws s3 ls\n");
    expect(neutral.findings.map((f) => f.rule)).toEqual(["secret-file-copy"]);
  });
});
