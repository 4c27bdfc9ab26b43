/**
 * The catalogue of commands that never read a credential variable
 * (src/knowledge/never-read-credentials.ts) and how a RUN is judged by it: a RUN made only of
 * such commands gets no mount of a secret it does not name; anything else keeps it.
 */
import { describe, expect, it } from "vitest";
import { NEVER_READ_CREDENTIALS, neverReads } from "../src/knowledge/never-read-credentials.js";
import { runPipeline } from "../src/pipeline.js";

describe("never-read rows", () => {
  it("gives every row a reason and programs no other row claims", () => {
    const seen = new Set<string>();
    for (const row of NEVER_READ_CREDENTIALS) {
      expect(row.why.length).toBeGreaterThan(20);
      for (const p of row.programs) {
        expect(seen.has(p)).toBe(false);
        seen.add(p);
      }
    }
  });

  it.each([
    [["mkdir", "-p", "/app"], "DEPLOY_TOKEN"],
    [["apt-get", "install", "-y", "jq"], "NPM_TOKEN"],
    [["apk", "add", "--no-cache", "git"], "AWS_SECRET_ACCESS_KEY"],
    [["pip", "install", "--no-cache-dir", "poetry==1.8.3"], "POETRY_HTTP_BASIC_CORP_PASSWORD"],
    [["aws", "configure", "set", "default.region", "eu-west-1"], "AWS_SECRET_ACCESS_KEY"],
    [["curl", "-fsSL", "-o", "/tmp/x", "https://example.org/x"], "API_TOKEN"],
    [["set", "-eux"], "API_TOKEN"],
    [["set", "-o", "pipefail"], "API_TOKEN"],
  ])("%j never reads $%s", (argv, variable) => {
    expect(neverReads(argv, variable)).toBe(true);
  });

  it.each([
    [["pip", "install", "poetry"], "PIP_INDEX_URL", "pip reads PIP_*"],
    [["pip", "install", "-r", "requirements.txt"], "API_TOKEN", "requirements files expand ${X}"],
    [["pip", "install", "."], "API_TOKEN", "a local project's build runs"],
    [["pip", "install"], "API_TOKEN", "nothing to install: not the row's use"],
    [["apt-get", "install", "-y", "./corp.deb"], "API_TOKEN", "a local package's scripts"],
    [["apt-get", "update"], "https_proxy", "a proxy URL may carry a password"],
    [["curl", "https://example.org"], "HTTPS_PROXY", "curl reads the proxies"],
    [["aws", "configure", "set", "aws_secret_access_key", "x"], "AWS_SECRET_ACCESS_KEY", "a store, not a setting"],
    [["aws", "s3", "cp", "s3://b/k", "."], "AWS_SECRET_ACCESS_KEY", "a call to a service"],
    [["npm", "ci"], "API_TOKEN", "npm fills ${X} in .npmrc"],
    [["git", "clone", "https://example.org/r"], "API_TOKEN", "git runs credential helpers"],
    [["env"], "API_TOKEN", "not a catalogue program"],
    [["set"], "API_TOKEN", "a bare set prints every variable"],
  ])("%j may read $%s (%s)", (argv, variable) => {
    expect(neverReads(argv, variable)).toBe(false);
  });
});

describe("mounts of a secret no RUN names", () => {
  const mounted = (body: string) => runPipeline(`FROM debian\nARG DEPLOY_TOKEN\n${body}`).secrets[0]?.mountedOn ?? [];

  it("keeps them off RUNs made only of commands that never read it", () => {
    expect(mounted("RUN mkdir -p /a && chmod 700 /a\nRUN apt-get update && apt-get install -y jq\nRUN ./deploy.sh\n")).toEqual([5]);
  });

  it.each([
    ["a program only sh -c runs", 'RUN sh -c "mkdir /a"\n'],
    ["exec form", 'RUN ["mkdir", "/a"]\n'],
    ["bare env prints the environment", "RUN env > /tmp/env\n"],
    ["a heredoc read by python", "RUN python3 <<EOF\nprint(1)\nEOF\n"],
    ["an unknown command after known ones", "RUN mkdir /a && make\n"],
    ["a command in a substitution", "RUN echo $(./print-token)\n"],
  ])("keeps them on a RUN with %s", (_name, body) => {
    expect(mounted(body)).toEqual([3]);
  });

  it("keeps a known reader's mount off its commands that read no key, in a quoted sh -c script too", () => {
    const result = runPipeline(
      "FROM amazon/aws-cli\nARG AWS_SECRET_ACCESS_KEY\nRUN aws configure set default.region eu-west-1\nRUN aws s3 ls\nRUN sh -c 'aws configure set default.output json'\nRUN sh -c \"aws configure set default.output `echo json`\"\n",
    );
    // Line 6's script has a command substitution the outer shell runs first: it is not read, so it keeps the mount.
    expect(result.secrets[0].mountedOn).toEqual([4, 6]);
  });
});
