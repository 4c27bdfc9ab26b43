/**
 * An ssh key the builder's agent now stands in for (src/analyse/ssh-keys.ts): every printed build
 * configuration and every migrated call site forwards the agent (`--ssh default`, bake `ssh`,
 * compose `build.ssh`, build-push-action `ssh`) and passes no `--secret` for the key; the JSON
 * report says so (`ssh`); the findings tell to load the key with ssh-add. Also the messages of the
 * two other flows rewritten with it: git pairs of two secrets on one command, ONBUILD triggers.
 */
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runPipeline } from "../src/pipeline.js";
import { buildConfigs, bakeJson, BUILDER_KINDS } from "../src/emit/build-configs.js";
import { dockerBuildCommand } from "../src/emit/build-commands.js";
import { jsonFile } from "../src/emit/json-report.js";
import { rewriteCallSites, type Migration } from "../src/callsites/index.js";
import type { Secret } from "../src/types.js";

const KEY: Secret = { id: "ssh_private_key", source: { type: "env", name: "SSH_PRIVATE_KEY" }, usage: "build", mountedOn: [4], ssh: ["default"] };
const NPM: Secret = { id: "npm_token", source: { type: "env", name: "NPM_TOKEN" }, usage: "build", mountedOn: [5] };
const target = (secrets: Secret[]) => ({ dockerfile: "Dockerfile", name: "app", secrets, mountStyle: "auto" as const });

describe("build configurations forward the ssh agent", () => {
  it("docker: --ssh default, no --secret for the key", () => {
    expect(dockerBuildCommand({ dockerfile: "Dockerfile", secrets: [KEY] })).toBe("docker build --ssh default .");
    expect(dockerBuildCommand({ dockerfile: "Dockerfile", secrets: [KEY, NPM] })).toBe("docker build --secret id=npm_token,env=NPM_TOKEN --ssh default .");
  });

  it("every format has the forward and none passes the key as a secret", () => {
    const out = buildConfigs(target([KEY, NPM]), [...BUILDER_KINDS]);
    for (const kind of BUILDER_KINDS) {
      expect(out[kind], kind).toContain("default");
      expect(out[kind], kind).not.toContain("ssh_private_key");
      expect(out[kind], kind).toContain("npm_token");
    }
    expect(out.podman).toContain("podman build --secret id=npm_token,env=NPM_TOKEN --ssh default .");
    expect(out.bake).toContain('  ssh        = ["default"]');
    expect(out.bake).toContain("# docker buildx bake --allow=ssh app");
    expect(parseYaml(out.compose!).services.app.build.ssh).toEqual(["default"]);
    expect(parseYaml(out.compose!).services.app.build.secrets).toEqual(["npm_token"]);
    const gha = parseYaml(out.gha!.split("\n").filter((l) => !l.startsWith("#")).join("\n"));
    expect(gha.with.ssh).toBe("default");
    expect(out.gha).toContain("ssh-add");
    expect(JSON.parse(bakeJson(target([KEY, NPM]))).target.app).toMatchObject({ ssh: ["default"], secret: ["id=npm_token,env=NPM_TOKEN"] });
  });

  it("a key alone still gives every format a build command (nothing but the forward)", () => {
    const out = buildConfigs(target([KEY]), [...BUILDER_KINDS]);
    expect(out.docker).toBe("docker build --ssh default .");
    expect(out.bake).not.toContain("secret");
    const compose = parseYaml(out.compose!);
    expect(compose.services.app.build).toEqual({ context: ".", dockerfile: "Dockerfile", ssh: ["default"] });
    expect(compose.secrets).toBeUndefined();
    expect(JSON.parse(bakeJson(target([KEY]))).target.app.secret).toBeUndefined();
  });

  it("the JSON report carries the forward on the secret", () => {
    const json = jsonFile({ path: "Dockerfile", changed: true, findings: [], secrets: [KEY, NPM], commands: {}, diffs: [] }) as { secrets: { ssh?: string[] }[] };
    expect(json.secrets[0].ssh).toEqual(["default"]);
    expect(json.secrets[1].ssh).toBeUndefined();
  });
});

describe("the rewrite's report", () => {
  it("a written key: the secret is forwarded, the finding says to load the key with ssh-add", () => {
    const r = runPipeline('FROM alpine:3.20\nARG SSH_PRIVATE_KEY\nRUN mkdir -p /root/.ssh && echo "$SSH_PRIVATE_KEY" > /root/.ssh/id_rsa && chmod 600 /root/.ssh/id_rsa\nRUN git clone git@github.com:acme/private.git /src && rm /root/.ssh/id_rsa\n');
    expect(r.output).toBe("# syntax=docker/dockerfile:1\nFROM alpine:3.20\nRUN mkdir -p /root/.ssh\nRUN --mount=type=ssh git clone git@github.com:acme/private.git /src\n");
    expect(r.secrets[0].ssh).toEqual(["default"]);
    expect(r.findings[0].message).toContain("ssh-add");
    // Removed in the final image: nothing to say about run time.
    expect(r.findings[0].status).toBe("fixed");
  });

  it("a key read by its path (ssh -i) is a file mount, and the build passes it as a secret", () => {
    const r = runPipeline('FROM alpine:3.20\nARG SSH_PRIVATE_KEY\nRUN echo "$SSH_PRIVATE_KEY" > /root/.ssh/id_rsa\nRUN scp -i /root/.ssh/id_rsa deploy@h:/a /a\n');
    expect(r.secrets[0].ssh).toBeUndefined();
    expect(r.output).toContain("--mount=type=secret,id=ssh_private_key,target=/root/.ssh/id_rsa,mode=0600 scp");
    expect(r.findings[0].message).toContain("ssh -i names the key file");
  });

  it("a key whose variable another RUN also reads is a file mount: the build passes the secret anyway", () => {
    const r = runPipeline('FROM alpine\nARG SSH_KEY\nRUN echo "$SSH_KEY" > /root/.ssh/id_rsa\nRUN git clone git@h:a/b.git\nRUN echo "$SSH_KEY" | wc -c > /len\n');
    expect(r.secrets[0].ssh).toBeUndefined();
    expect(r.output).toContain("RUN --mount=type=secret,id=ssh_key,target=/root/.ssh/id_rsa,mode=0600 git clone");
    expect(r.output).toContain("RUN --mount=type=secret,id=ssh_key,env=SSH_KEY echo");
    expect(r.findings.find((f) => f.rule === "secret-arg-env")!.message).toContain("line 5 also reads $SSH_KEY itself");
  });

  it("a key another stage copies out (COPY --from) stays as it was: the rewrite cannot take it away from that copy", () => {
    const r = runPipeline('FROM alpine AS keys\nARG SSH_KEY\nRUN mkdir -p /root/.ssh && echo "$SSH_KEY" > /root/.ssh/id_rsa\nRUN git clone git@h:a/b.git /src\nFROM alpine\nCOPY --from=keys /root/.ssh /root/.ssh\n');
    expect(r.secrets[0].ssh).toBeUndefined();
    expect(r.output).not.toContain("type=ssh");
    expect(r.findings.find((f) => f.rule === "secret-arg-env")!.status).toBe("manual");
  });

  it("a reader behind sudo gets the key as a file: sudo does not pass SSH_AUTH_SOCK on", () => {
    const r = runPipeline('FROM debian\nARG SSH_KEY\nRUN echo "$SSH_KEY" > /root/.ssh/id_rsa\nRUN sudo git clone git@h:a/b.git\n');
    expect(r.secrets[0].ssh).toBeUndefined();
    expect(r.output).toContain("RUN --mount=type=secret,id=ssh_key,target=/root/.ssh/id_rsa,mode=0600 sudo git clone");
    expect(r.findings[0].message).toContain("SSH_AUTH_SOCK");
  });

  it("a user known only by name gets the agent's socket with mode 0666; a numeric one with uid/gid", () => {
    const named = runPipeline('FROM alpine\nARG SSH_KEY\nRUN echo "$SSH_KEY" > /home/app/.ssh/id_ed25519\nUSER app\nRUN git clone git@h:a/b.git\n');
    expect(named.output).toContain("RUN --mount=type=ssh,mode=0666 git clone");
    const numeric = runPipeline('FROM alpine\nARG SSH_KEY\nRUN echo "$SSH_KEY" > /home/app/.ssh/id_ed25519\nUSER 1000:1000\nRUN git clone git@h:a/b.git\n');
    expect(numeric.output).toContain("RUN --mount=type=ssh,uid=1000,gid=1000 git clone");
  });

  it("two stored git credentials on one command: one GIT_CONFIG_COUNT, both findings fixed", () => {
    const r = runPipeline(
      'FROM golang:1.22\nARG A_TOKEN\nARG B_TOKEN\nRUN git config --global url."https://${A_TOKEN}@a.example/".insteadOf "https://a.example/"\nRUN git config --global url."https://${B_TOKEN}@b.example/".insteadOf "https://b.example/"\nRUN go mod download\n',
    );
    expect(r.output.match(/GIT_CONFIG_COUNT=/g)).toHaveLength(1);
    expect(r.output).toContain("GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=");
    expect(r.output).toContain("GIT_CONFIG_KEY_1=");
    expect(r.findings.map((f) => f.status)).toEqual(["fixed", "fixed"]);
  });

  it("an ONBUILD trigger gets the file form and the finding names the child builds' --secret", () => {
    const r = runPipeline("FROM node:20\nONBUILD ARG NPM_TOKEN\nONBUILD RUN npm ci\n");
    expect(r.output).toBe('FROM node:20\nONBUILD RUN --mount=type=secret,id=npm_token export NPM_TOKEN="$(cat /run/secrets/npm_token)" && npm ci\n');
    expect(r.findings[0].message).toContain("builds FROM this image");
    expect(r.findings[0].message).toContain("--secret id=…,env=NPM_TOKEN");
    expect(r.findings[0].message).toContain("frontend from 1.2");
  });

  it("a compound ONBUILD trigger takes the export before its `if` like a simple one", () => {
    const r = runPipeline("FROM node:20\nONBUILD ARG NPM_TOKEN\nONBUILD RUN if [ -f x ]; then npm ci; fi\n");
    expect(r.output).toBe('FROM node:20\nONBUILD RUN --mount=type=secret,id=npm_token export NPM_TOKEN="$(cat /run/secrets/npm_token)" && if [ -f x ]; then npm ci; fi\n');
    expect(r.findings[0].message).not.toContain("env= (");
    expect(r.findings[0].status).toBe("needs-review");
  });

  it("an ONBUILD trigger where no export can go (exec form) keeps env=, and the finding asks the child for frontend 1.10", () => {
    const r = runPipeline('FROM node:20\nONBUILD ARG NPM_TOKEN\nONBUILD RUN ["npm", "ci"]\n');
    expect(r.output).toBe('FROM node:20\nONBUILD RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN ["npm", "ci"]\n');
    expect(r.findings[0].message).toContain("line 3 takes it as env=");
    expect(r.findings[0].message).toContain("frontend 1.10 or later");
    expect(r.findings[0].status).toBe("needs-review");
  });
});

describe("call sites forward the ssh agent", () => {
  const written: Migration = {
    dockerfile: "/repo/Dockerfile",
    context: "/repo",
    args: [
      { name: "SSH_PRIVATE_KEY", id: "ssh_private_key", ssh: true },
      { name: "NPM_TOKEN", id: "npm_token" },
    ],
    files: [],
    ssh: ["default"],
  };
  const copied: Migration = { dockerfile: "/repo/Dockerfile", context: "/repo", args: [], files: [], ssh: ["default"] };
  const rewrite = (path: string, text: string, m: Migration) => {
    const r = rewriteCallSites(path, text, [m], "/repo");
    if (r) expect(rewriteCallSites(path, r.after, [m], "/repo")?.after ?? r.after, "a second run changes nothing").toBe(r.after);
    return r;
  };

  it("shell: the key's --build-arg goes, --ssh default comes; a build without arguments gets it too", () => {
    const r = rewrite("/repo/build.sh", 'docker build --build-arg SSH_PRIVATE_KEY="$(cat ~/.ssh/id_rsa)" --build-arg NPM_TOKEN="$NPM_TOKEN" -t app .\n', written);
    expect(r?.after).toBe("docker build --secret id=npm_token,env=NPM_TOKEN -t app --ssh default .\n");
    expect(rewrite("/repo/Makefile", "image:\n\tdocker buildx build -t app .\n", copied)?.after).toBe("image:\n\tdocker buildx build -t app --ssh default .\n");
    expect(rewrite("/repo/build.sh", "podman build --ssh default=$SSH_AUTH_SOCK -t app .\n", copied)).toBeNull();
  });

  it("compose: the build arg goes, build.ssh: [default] comes (also on a short build: .)", () => {
    const r = rewrite("/repo/compose.yaml", "services:\n  api:\n    build:\n      context: .\n      args:\n        SSH_PRIVATE_KEY: ${SSH_PRIVATE_KEY}\n    image: api\n", written);
    expect(parseYaml(r!.after).services.api.build).toEqual({ context: ".", ssh: ["default"] });
    const short = rewrite("/repo/compose.yaml", "services:\n  api:\n    build: .\n    image: api\n", copied);
    expect(parseYaml(short!.after).services.api.build).toEqual({ context: ".", ssh: ["default"] });
  });

  it("build-push-action: the build-args line goes, `ssh: default` comes, and the agent step is asked for", () => {
    const wf = "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          context: .\n          build-args: |\n            SSH_PRIVATE_KEY=${{ secrets.KEY }}\n";
    const r = rewrite("/repo/.github/workflows/ci.yml", wf, written);
    const step = parseYaml(r!.after).jobs.b.steps[0].with;
    expect(step["build-args"]).toBeUndefined();
    expect(step.ssh.trim()).toBe("default");
    expect(r!.manual.map((m) => m.reason).join()).toContain("ssh-agent");
    const withAgent = rewrite("/repo/.github/workflows/ci.yml", wf.replace("steps:\n", "steps:\n      - uses: webfactory/ssh-agent@v0.9.0\n"), written);
    expect(withAgent!.manual).toEqual([]);
  });

  it("bake HCL and JSON: the arg goes, ssh = [\"default\"] comes", () => {
    const hcl = rewrite("/repo/docker-bake.hcl", 'target "app" {\n  context = "."\n  args = {\n    SSH_PRIVATE_KEY = "${SSH_PRIVATE_KEY}"\n  }\n}\n', written);
    expect(hcl!.after).toBe('target "app" {\n  context = "."\n  ssh = ["default"]\n}\n');
    expect(hcl!.manual.map((m) => m.reason).join()).toContain("--allow=ssh");
    const json = rewrite("/repo/docker-bake.json", '{"target": {"app": {"context": ".", "args": {"SSH_PRIVATE_KEY": "${SSH_PRIVATE_KEY}"}}}}\n', written);
    expect(JSON.parse(json!.after).target.app).toEqual({ context: ".", ssh: ["default"] });
  });
});
