/**
 * Real-builder proof for the ssh agent forward (buildah, REFERENCE §2, §8): an ssh key written
 * from a build argument or copied into ~/.ssh for `ssh`/`git` over ssh.
 *   1. the ORIGINAL, built with a fresh key supplied the old way (--build-arg, or the file in the
 *      context), leaks the private key into the image, and its ssh step used that key;
 *   2. `unbake --write --mount-style file` (the real CLI) rewrites it; the report's secret carries
 *      `ssh: ["default"]` and asks for no --secret;
 *   3. the rewritten file builds with `--ssh default` and an ssh agent holding another fresh key,
 *      and nothing else: the ssh step used that key (a stand-in ssh client records the digest of
 *      the public key it got, from the agent or from ~/.ssh/id_ed25519, where ssh(1) looks);
 *   4. neither private key is in any blob of the rewritten image nor in the build storage.
 * Skipped, with a warning, where buildah or the OpenSSH client tools are missing; with CI=true it fails.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Buildah, exec, isStaticElf, which } from "./real-builder/buildah.js";
import { BASE_DIR, copyCase, type Case } from "./real-builder/cases.js";
import { findInImage, flatten, readOciImage, type OciImage } from "./real-builder/oci.js";

const REPO = join(import.meta.dirname, "..");
const CLI = join(REPO, "bin", "unbake.js");
const CASES = join(import.meta.dirname, "real-builder", "ssh-cases");
const IN_CI = process.env.CI === "true";
const TOOLS = ["ssh-add", "ssh-keygen", "ssh-agent"];

const busybox = [which("busybox"), "/bin/busybox", "/usr/bin/busybox"].find((p): p is string => !!p && existsSync(p) && isStaticElf(p));
const missing = [!which("buildah") && "buildah", !busybox && "busybox-static", ...TOOLS.filter((t) => !which(t))].filter(Boolean);
if (missing.length > 0) {
  console.warn(`ssh agent real-builder tests ${IN_CI ? "FAIL" : "SKIPPED"}: missing ${missing.join(", ")} (apt-get install -y buildah busybox-static openssh-client)`);
  if (IN_CI) it("has what the ssh agent real-builder tests need", () => expect(missing).toEqual([]));
}

interface Key {
  /** The private key file's text. */
  private: string;
  /** Its public key as "<type> <base64>": what the stand-in ssh client digests. */
  public: string;
  /** A line of the private key's base64 body that is this key's own (the first is the same for every key of the type). */
  needle: string;
  path: string;
}

async function newKey(dir: string, name: string): Promise<Key> {
  const path = join(dir, name);
  const out = await exec("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path]);
  if (out.code !== 0) throw new Error(`ssh-keygen: ${out.stderr}`);
  const text = readFileSync(path, "utf8");
  const body = text.split("\n").filter((l) => l && !l.startsWith("-----"));
  return { private: text, public: readFileSync(`${path}.pub`, "utf8").split(" ").slice(0, 2).join(" "), needle: body[2], path };
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

function proofDigest(image: OciImage): string {
  const entry = flatten(image).get("proof/ssh.sha");
  if (!entry) throw new Error("/proof/ssh.sha is not in the image: the ssh step did not run");
  return entry.content.toString("utf8").trim().split(/\s+/)[0];
}

interface ReportSecret {
  id: string;
  source: { type: string };
  usage: string;
  ssh?: string[];
}

describe.skipIf(missing.length > 0)("real builder: ssh keys go through the builder's ssh agent", () => {
  let buildah: Buildah;
  const agent: { sock: string; pid: string } = { sock: "", pid: "" };

  beforeAll(async () => {
    buildah = new Buildah(mkdtempSync(join(tmpdir(), "unbake-ssh-buildah-")));
    const ctx = join(buildah.dir, "base-context");
    cpSync(BASE_DIR, ctx, { recursive: true });
    cpSync(busybox!, join(ctx, "busybox"));
    const base = await buildah.bud({ context: ctx, dockerfile: join(ctx, "Containerfile"), tag: "localhost/unbake-base" });
    if (base.code !== 0) throw new Error(`the base image does not build:\n${base.stderr}`);
    // An agent of its own (never the caller's): it holds only the keys a case adds.
    const out = await exec("ssh-agent", ["-s", "-a", join(buildah.dir, "agent.sock")]);
    agent.sock = /SSH_AUTH_SOCK=([^;]+);/.exec(out.stdout)![1];
    agent.pid = /SSH_AGENT_PID=(\d+);/.exec(out.stdout)![1];
  }, 180_000);

  afterAll(async () => {
    if (agent.pid) await exec("kill", [agent.pid]);
    await buildah?.cleanup();
  }, 120_000);

  async function build(kind: string, o: { context: string; dockerfile: string; buildArgs?: Record<string, string>; ssh?: boolean }): Promise<OciImage> {
    const tag = `localhost/ssh-${kind}`;
    const args = buildah.budArgs({ context: o.context, dockerfile: o.dockerfile, tag, buildArgs: o.buildArgs });
    // Each build runs its steps again: a cached layer would hide which key a step got.
    args.splice(1, 0, "--no-cache");
    if (o.ssh) args.splice(args.length - 1, 0, "--ssh", "default");
    const out = await buildah.run(args, { env: { SSH_AUTH_SOCK: agent.sock } });
    if (out.code !== 0) throw new Error(`${kind} does not build:\n--- Dockerfile\n${readFileSync(o.dockerfile, "utf8")}--- stderr\n${out.stderr}`);
    const oci = join(buildah.dir, `oci-${kind}`);
    await buildah.pushOci(tag, oci);
    return readOciImage(oci);
  }

  for (const name of ["written-key", "copied-key"]) {
    it(`${name}: the original leaks the key; the rewrite builds with --ssh default alone, its ssh step gets the agent's key, and no key is in the image`, async () => {
      const work = mkdtempSync(join(tmpdir(), `unbake-ssh-${name}-`));
      try {
        const ctx = join(work, "context");
        const c: Case = { name, dir: join(CASES, name), about: name, secrets: {}, proofs: {}, hostTools: TOOLS.slice(0, 2).map((t) => which(t)!) };
        copyCase(c, ctx);
        cpSync(join(CASES, "ssh"), join(ctx, "ssh"));
        const before = await newKey(work, "before");
        const after = await newKey(work, "after");

        // 1. The original leaks the key it is given, and its ssh step used it.
        const written = name === "written-key";
        if (!written) cpSync(before.path, join(ctx, "id_ed25519"));
        const old = await build(`${name}-orig`, { context: ctx, dockerfile: join(ctx, "Dockerfile"), buildArgs: written ? { SSH_PRIVATE_KEY: before.private } : undefined });
        expect(proofDigest(old), "the original's ssh step used the key it was given").toBe(sha256(before.public));
        expect(findInImage(old, before.needle), "the original leaks the private key (else this proves nothing)").not.toEqual([]);

        // 2. The real CLI rewrites it; the report asks for the agent, not a --secret.
        const cli = await exec(process.execPath, [CLI, "--write", "--mount-style", "file", "--format", "json", "."], { cwd: ctx });
        expect(cli.code, cli.stderr).not.toBe(2);
        const file = (JSON.parse(cli.stdout) as { files: { secrets: ReportSecret[]; findings: { status: string; rule: string }[] }[] }).files[0];
        expect(file.secrets.filter((s) => s.usage === "build").map((s) => s.ssh)).toEqual([["default"]]);
        expect(file.findings.filter((f) => f.status === "manual"), "no manual finding").toEqual([]);
        const rewritten = readFileSync(join(ctx, "Dockerfile"), "utf8");
        expect(rewritten).toContain("RUN --mount=type=ssh ssh git@github.com");
        expect(rewritten).not.toContain("type=secret");
        if (!written) renameSync(join(ctx, "id_ed25519"), join(work, "moved-out-key"));

        // 3. Built with --ssh default and an agent holding another key, and nothing else.
        await exec("ssh-add", ["-D"], { env: { ...process.env, SSH_AUTH_SOCK: agent.sock } });
        const added = await exec("ssh-add", ["-q", after.path], { env: { ...process.env, SSH_AUTH_SOCK: agent.sock } });
        expect(added.code, added.stderr).toBe(0);
        const fresh = await build(`${name}-new`, { context: ctx, dockerfile: join(ctx, "Dockerfile"), ssh: true });
        expect(proofDigest(fresh), "the rewritten ssh step got the agent's key").toBe(sha256(after.public));

        // 4. No private key in any blob of the rewritten image, nor in the storage; no key file.
        for (const k of [before, after]) expect(findInImage(fresh, k.needle), "LEAK: a private key in the rewritten image").toEqual([]);
        expect(await buildah.grepStorage(after.needle), "LEAK: the agent's key in the build storage").toEqual([]);
        const keyFiles = fresh.layers.flatMap((l) => l.entries.filter((e) => e.path === "root/.ssh/id_ed25519"));
        expect(keyFiles, "no layer has the key file").toEqual([]);
      } finally {
        rmSync(work, { recursive: true, force: true });
        await buildah.run(["rmi", "--force", `localhost/ssh-${name}-orig`, `localhost/ssh-${name}-new`]);
      }
    }, 300_000);
  }
});
