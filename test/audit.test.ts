/**
 * The auditor on images written in the test (test/helpers/image-builder.ts): what it finds in the
 * history, the config and the layers, where it says each leak is, which rule fixes it, and that
 * no value reaches any output unless asked for.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { audit } from "../src/index.js";
import { parseStep } from "../src/audit/history.js";
import { wantsContent } from "../src/audit/content-policy.js";
import { main } from "../src/cli/main.js";
import { archiveOf, dockerArchiveFiles, ociFiles, tarOf, writeFolder, type ImageSpec, type TarItem } from "./helpers/image-builder.js";

const NPM = "npm_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5";
const GH = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5";
const PASS = "s3cret-canary-pass";
const CANARIES = [NPM, GH, PASS];

const root = mkdtempSync(join(tmpdir(), "unbake-audit-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const gz = async (items: TarItem[]) => gzipSync(await tarOf(items));

async function ociImage(spec: ImageSpec): Promise<string> {
  return writeFolder(join(root, `oci-${n++}`), ociFiles([spec]));
}

/** A Dockerfile's leaks as BuildKit records them: a copied .npmrc a later RUN deletes, a build argument, an ENV. */
async function leakySpec(): Promise<ImageSpec> {
  return {
    layers: [
      await gz([{ name: "bin/", type: "directory" }, { name: "bin/sh", content: "\x7fELF" }]),
      await gz([{ name: "root/", type: "directory" }, { name: "root/.npmrc", content: `//registry.npmjs.org/:_authToken=${NPM}\n` }]),
      await gz([{ name: "app/", type: "directory" }, { name: "app/out.txt", content: "built" }]),
      await gz([{ name: "root/.wh..npmrc" }]),
    ],
    env: ["PATH=/usr/bin:/bin", `DB_PASSWORD=${PASS}`, "NPM_TOKEN_FILE=/run/secrets/npm"],
    labels: { "org.opencontainers.image.revision": "0123abc", "com.example.deploy": `https://ci:${PASS}@git.example.com/x` },
    history: [
      { created_by: "/bin/sh -c #(nop) ADD file:0123 in / " },
      { created_by: "ARG NPM_TOKEN", empty_layer: true },
      { created_by: `ENV DB_PASSWORD=${PASS}`, empty_layer: true },
      { created_by: "COPY .npmrc /root/ # buildkit" },
      { created_by: `RUN |1 NPM_TOKEN=${NPM} /bin/sh -c npm ci # buildkit` },
      { created_by: `RUN |1 NPM_TOKEN=${NPM} /bin/sh -c rm /root/.npmrc # buildkit` },
    ],
  };
}

describe("history steps", () => {
  it("splits BuildKit's and the classic builder's build arguments from the command", () => {
    expect(parseStep(`RUN |2 A=1 NPM_TOKEN=x /bin/sh -c npm ci # buildkit`)).toEqual({
      instruction: "RUN npm ci",
      keyword: "RUN",
      args: [{ name: "A", value: "1" }, { name: "NPM_TOKEN", value: "x" }],
      command: "npm ci",
    });
    expect(parseStep(`|1 NPM_TOKEN=abc /bin/sh -c echo "$NPM_TOKEN"`)).toMatchObject({ keyword: "RUN", args: [{ name: "NPM_TOKEN", value: "abc" }], command: `echo "$NPM_TOKEN"` });
    // A value with blanks runs on to the next pair.
    expect(parseStep(`|2 MSG=a b c TOKEN=t /bin/sh -c true`).args).toEqual([{ name: "MSG", value: "a b c" }, { name: "TOKEN", value: "t" }]);
  });

  it("tells the instruction of the classic builder's and buildah's no-op steps and BuildKit's", () => {
    expect(parseStep("/bin/sh -c #(nop) COPY file:abc in /root/.npmrc ")).toMatchObject({ keyword: "COPY", instruction: "COPY file:abc in /root/.npmrc" });
    expect(parseStep("COPY .npmrc /root/ # buildkit")).toMatchObject({ keyword: "COPY", instruction: "COPY .npmrc /root/" });
    expect(parseStep("/bin/sh -c apt-get update")).toMatchObject({ keyword: "RUN", command: "apt-get update" });
    expect(parseStep(undefined)).toEqual({ args: [] });
  });
});

describe("what audit finds", () => {
  it("a build argument, an ENV, a label and a copied credential file a later layer deletes, each at its step and layer", async () => {
    const [image] = await audit(await ociImage(await leakySpec()));
    const f = image!.findings;
    expect(f.map((x) => [x.kind, x.rule, x.step?.index, x.layer?.index])).toEqual([
      ["env", "hardcoded-secret", 2, undefined],
      ["file", "secret-file-copy", 3, 1],
      ["build-arg", "secret-arg-env", 4, 2],
      ["label", "hardcoded-secret", undefined, undefined],
    ]);
    const file = f.find((x) => x.kind === "file")!;
    expect(file).toMatchObject({ path: "root/.npmrc", instruction: "COPY .npmrc /root/", deletedIn: { index: 3 } });
    expect(file.message).toContain("deleted in layer 4");
    expect(file.message).toContain("still in layer 2's blob");
    const arg = f.find((x) => x.kind === "build-arg")!;
    expect(arg).toMatchObject({ name: "NPM_TOKEN", instruction: "RUN npm ci" });
    expect(arg.message).toContain("and 1 later step");
    expect(arg.step!.createdBy).toBe("RUN |1 NPM_TOKEN=*** /bin/sh -c npm ci # buildkit");
    expect(f.find((x) => x.kind === "env")).toMatchObject({ name: "DB_PASSWORD", instruction: "ENV DB_PASSWORD=***" });
  });

  it("prints no value anywhere, unless asked", async () => {
    const dir = await ociImage(await leakySpec());
    const masked = JSON.stringify(await audit(dir));
    for (const c of CANARIES) expect(masked).not.toContain(c);
    const shown = JSON.stringify(await audit(dir, { showSecrets: true }));
    expect(shown).toContain(NPM);
    expect(shown).toContain(PASS);
  });

  it("an ENV from a build argument is secret-arg-env; a name that says file, a placeholder, a public label are not leaks", async () => {
    const [image] = await audit(
      await ociImage({
        layers: [await gz([{ name: "a", content: "x" }])],
        env: ["NPM_TOKEN_FILE=/run/secrets/npm", "API_KEY=changeme", "GITHUB_TOKEN=" + GH],
        labels: { "org.opencontainers.image.revision": "0123456789abcdef", maintainer: "me@example.com" },
        history: [{ created_by: "ARG GITHUB_TOKEN", empty_layer: true }, { created_by: "ENV GITHUB_TOKEN=${GITHUB_TOKEN}", empty_layer: true }, { created_by: "COPY a / # buildkit" }],
      }),
    );
    expect(image!.findings.map((x) => [x.kind, x.name, x.rule])).toEqual([["env", "GITHUB_TOKEN", "secret-arg-env"]]);
  });

  it("an ARG's value (a default, or BuildKit's record of --build-arg) and a token in a RUN command stay in the history", async () => {
    const [image] = await audit(
      await ociImage({
        layers: [await gz([{ name: "a", content: "x" }])],
        history: [{ created_by: `/bin/sh -c #(nop) ARG NPM_TOKEN=${NPM}`, empty_layer: true }, { created_by: `RUN /bin/sh -c curl -H "Authorization: token ${GH}" https://x # buildkit` }],
      }),
    );
    expect(image!.findings.map((x) => [x.kind, x.rule, x.step?.index, x.layer?.index])).toEqual([
      ["build-arg", "secret-arg-env", 0, undefined],
      ["history-value", "hardcoded-secret", 1, 0],
    ]);
    expect(JSON.stringify(image)).not.toContain(GH);
  });

  it("tokens in a small text file, not in package folders, binaries or public keys; a folder made opaque deletes its key", async () => {
    const [image] = await audit(
      await ociImage({
        layers: [
          await gz([
            { name: "app/config.js", content: `module.exports = { token: "${GH}" };\n` },
            { name: "usr/share/doc/x/example.txt", content: `token ${GH}\n` },
            { name: "app/blob.dat", content: Buffer.concat([Buffer.from([0]), Buffer.from(GH)]) },
            { name: "root/.ssh/id_ed25519.pub", content: `ssh-ed25519 AAAA ${GH}\n` },
            { name: "root/.ssh/id_ed25519", content: "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n" },
          ]),
          await gz([{ name: "root/.ssh/.wh..wh..opq" }]),
        ],
        history: [{ created_by: "COPY . / # buildkit" }, { created_by: "RUN /bin/sh -c rm -rf /root/.ssh # buildkit" }],
      }),
    );
    expect(image!.findings.map((x) => [x.kind, x.path, x.rule, x.deletedIn?.index])).toEqual([
      ["file-content", "app/config.js", "secret-file-copy", undefined],
      ["file", "root/.ssh/id_ed25519", "secret-file-copy", 1],
    ]);
  });

  it("a value too short for the redactor is still masked after its name", async () => {
    const [image] = await audit(await ociImage({ layers: [await gz([{ name: "a", content: "x" }])], history: [{ created_by: "|1 DB_PASSWORD=q7 /bin/sh -c make" }] }));
    expect(image!.findings.map((f) => f.step!.createdBy)).toEqual(["|1 DB_PASSWORD=*** /bin/sh -c make"]);
    expect(image!.findings[0]!.message).not.toContain("q7");
  });

  it("past 1,000 files with a secret, the rest is counted, not listed", async () => {
    const many = Array.from({ length: 1003 }, (_, i) => ({ name: `app/${i}/.env`, content: "A=1\n" }));
    const [image] = await audit(await ociImage({ layers: [await gz(many)], history: [{ created_by: "COPY . / # buildkit" }] }));
    expect(image!.findings).toHaveLength(1001);
    expect(image!.findings[1000]!.message).toBe("and 3 more files with a secret in the layers, not listed (at most 1000 per image)");
  });

  it("a credential file a RUN writes is run-writes-secret", async () => {
    const [image] = await audit(
      await ociImage({
        layers: [await gz([{ name: "root/.docker/config.json", content: "{}" }])],
        history: [{ created_by: "RUN /bin/sh -c docker login -u x -p $P # buildkit" }],
      }),
    );
    expect(image!.findings.map((x) => [x.kind, x.rule, x.instruction])).toEqual([["file", "run-writes-secret", "RUN docker login -u x -p $P"]]);
  });

  it("the same findings from a docker-archive (plain layers), gzipped or not", async () => {
    const spec = await leakySpec();
    const plain = { ...spec, layers: await Promise.all(spec.layers.map(async (_, i) => (await leakyItems())[i]!)) };
    const files = dockerArchiveFiles(plain);
    const tarPath = join(root, "docker.tar");
    const tgzPath = join(root, "docker.tar.gz");
    writeFileSync(tarPath, await archiveOf(files));
    writeFileSync(tgzPath, await archiveOf(files, true));
    for (const p of [tarPath, tgzPath]) {
      const [image] = await audit(p);
      expect(image!.names).toEqual(["example/app:latest"]);
      expect(image!.findings.map((x) => x.kind)).toEqual(["env", "file", "build-arg", "label"]);
      expect(image!.findings.find((x) => x.kind === "file")!.deletedIn?.index).toBe(3);
    }
  });

  it("a clean image has no findings", async () => {
    const [image] = await audit(
      await ociImage({
        layers: [
          await gz([
            { name: "etc/passwd", content: "root:x:0:0::/root:/bin/sh\n" },
            { name: "app/main.js", content: "console.log(process.env.TOKEN)\n" },
            { name: "root/.npmrc", content: "" },
            { name: "root/.docker/config.json", type: "symlink", linkname: "/run/secrets/docker" },
          ]),
        ],
        env: ["PATH=/bin", "NPM_TOKEN_FILE=/run/secrets/npm"],
        history: [{ created_by: "COPY . / # buildkit" }, { created_by: "RUN --mount=type=secret,id=npm /bin/sh -c npm ci # buildkit", empty_layer: true }],
      }),
    );
    expect(image!.findings).toEqual([]);
  });
});

async function leakyItems(): Promise<Buffer[]> {
  return [
    await tarOf([{ name: "bin/sh", content: "\x7fELF" }]),
    await tarOf([{ name: "root/.npmrc", content: `//registry.npmjs.org/:_authToken=${NPM}\n` }]),
    await tarOf([{ name: "app/out.txt", content: "built" }]),
    await tarOf([{ name: "root/.wh..npmrc" }]),
  ];
}

describe("content policy", () => {
  it("reads small files outside package folders and not binary or public by name", () => {
    expect(wantsContent("app/config.js", 100)).toBe(true);
    expect(wantsContent("app/config.js", 0)).toBe(false);
    expect(wantsContent("app/config.js", 64 * 1024 + 1)).toBe(false);
    expect(wantsContent("usr/lib/python3/x.py", 100)).toBe(false);
    expect(wantsContent("app/node_modules/x/index.js", 100)).toBe(false);
    expect(wantsContent("etc/ssl/certs/ca.pem", 100)).toBe(false);
    expect(wantsContent("root/.ssh/id_rsa.pub", 100)).toBe(false);
    expect(wantsContent("app/logo.png", 100)).toBe(false);
  });
});

describe("unbake audit", () => {
  async function run(args: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: root, env: {} });
    return { code, stdout, stderr };
  }

  it("exit 1 on findings in every format, and no value in any of them", async () => {
    const dir = await ociImage(await leakySpec());
    for (const format of ["stylish", "json", "sarif", "github", "markdown"]) {
      const r = await run(["audit", "--format", format, dir]);
      expect(r.code, format).toBe(1);
      for (const c of CANARIES) expect(r.stdout, format).not.toContain(c);
      expect(r.stdout, format).toContain("secret-file-copy");
    }
    const json = JSON.parse((await run(["audit", "--format", "json", dir])).stdout);
    expect(json.summary).toEqual({ inputs: 1, images: 1, findings: 4, errors: 0 });
    expect(json.images[0].findings[1]).toMatchObject({ kind: "file", path: "root/.npmrc", layer: { index: 1 }, severity: "error" });
    expect((await run(["audit", "--show-secrets", "--format", "json", dir])).stdout).toContain(NPM);
  });

  it("exit 0 on a clean image; exit 2 when one input cannot be read while the others are still audited", async () => {
    const clean = await ociImage({ layers: [await gz([{ name: "a", content: "x" }])], history: [{ created_by: "COPY a / # buildkit" }] });
    expect(await run(["audit", clean])).toEqual({ code: 0, stdout: "", stderr: "" });
    const leaky = await ociImage(await leakySpec());
    const r = await run(["audit", "--format", "json", join(root, "missing"), leaky]);
    expect(r.code).toBe(2);
    const json = JSON.parse(r.stdout);
    expect(json.errors).toHaveLength(1);
    expect(json.errors[0].input).toBe("missing");
    expect(json.images[0].findings).toHaveLength(4);
  });

  it("each platform of an index, named in the row", async () => {
    const a = await leakySpec();
    const dir = writeFolder(
      join(root, "multi"),
      ociFiles([
        { ...a, platform: { os: "linux", architecture: "amd64" } },
        { ...a, platform: { os: "linux", architecture: "arm64" } },
      ]),
    );
    const r = await run(["audit", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("[linux/amd64] ");
    expect(r.stdout).toContain("[linux/arm64] ");
    expect(r.stdout).toContain("8 problems");
  });
});
