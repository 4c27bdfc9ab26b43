import { describe, expect, it } from "vitest";
import { PUBLIC_KEY_FILES, isPublicKeyFile } from "../src/knowledge/public-key-files.js";
import { runPipeline } from "../src/pipeline.js";

describe("public-key files", () => {
  it.each(PUBLIC_KEY_FILES.map((r) => [r.example, r]))("row matches its example %s", (example) => {
    expect(isPublicKeyFile(example)).toBe(true);
  });

  it("private keys and look-alikes are not public-key files", () => {
    for (const p of ["/root/.ssh/id_rsa", "~/.ssh/authorized_keys.bak", "/root/.ssh/config", "id_rsa.pub.key"]) expect(isPublicKeyFile(p)).toBe(false);
  });

  it("a quoted path counts by its basename", () => {
    expect(isPublicKeyFile('"$HOME/.ssh/authorized_keys"')).toBe(true);
  });
});

describe("a secret-named variable only written into a public-key file", () => {
  it("through tee into authorized_keys: no secret", () => {
    const r = runPipeline('FROM alpine\nARG SSH_PUBLIC_TOKEN\nRUN echo "$SSH_PUBLIC_TOKEN" | tee /root/.ssh/authorized_keys\n');
    expect(r.findings).toEqual([]);
    expect(r.changed).toBe(false);
  });

  it("stays a secret when a RUN also hands it to a command", () => {
    const r = runPipeline('FROM alpine\nARG SSH_KEY\nRUN echo "$SSH_KEY" >> ~/.ssh/known_hosts && curl -H "X-Key: $SSH_KEY" https://x\n');
    expect(r.findings.map((f) => f.rule)).toContain("secret-arg-env");
  });

  it("stays a secret when another variable copies it", () => {
    const r = runPipeline('FROM alpine\nARG SSH_KEY\nENV DEPLOY_KEY=$SSH_KEY\nRUN echo "$SSH_KEY" >> ~/.ssh/authorized_keys\n');
    expect(r.findings.map((f) => f.rule)).toContain("secret-arg-env");
  });

  it("a secret found otherwise still leaks when written into authorized_keys", () => {
    const r = runPipeline('FROM alpine\nARG GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345\nRUN echo "$GITHUB_TOKEN" >> ~/.ssh/authorized_keys\n');
    expect(r.findings.some((f) => f.status === "fixed")).toBe(false);
  });
});
