/**
 * A daemonless real builder for the tests: Debian's buildah (1.28 on Debian 12) with vfs storage
 * and chroot isolation (REFERENCE §8), in a storage root of its own per test run, so runs never
 * see each other's images and leave nothing behind.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";

export interface Output {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a program without a shell; never throws for a non-zero exit. */
export function exec(cmd: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Output> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", (e) => resolve({ code: null, stdout, stderr: stderr + String(e) }));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export function which(program: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, program))) return join(dir, program);
  }
  return null;
}

/** True when the ELF file has no PT_INTERP program header, i.e. runs in an empty image. */
export function isStaticElf(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(64);
    readSync(fd, head, 0, 64, 0);
    if (head.readUInt32BE(0) !== 0x7f454c46) return false;
    const is64 = head[4] === 2;
    const le = head[5] === 1;
    const u16 = (b: Buffer, o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const phoff = is64 ? Number(le ? head.readBigUInt64LE(32) : head.readBigUInt64BE(32)) : u32(head, 28);
    const phentsize = u16(head, is64 ? 54 : 42);
    const phnum = u16(head, is64 ? 56 : 44);
    const table = Buffer.alloc(phentsize * phnum);
    readSync(fd, table, 0, table.length, phoff);
    for (let i = 0; i < phnum; i++) if (u32(table, i * phentsize) === 3 /* PT_INTERP */) return false;
    return true;
  } finally {
    closeSync(fd);
  }
}

export interface BudOptions {
  context: string;
  dockerfile: string;
  tag: string;
  target?: string;
  buildArgs?: Record<string, string>;
  /** `--secret` values, e.g. `id=npmrc,src=/tmp/x` or `id=tok,env=TOK`. */
  secrets?: string[];
  /** Extra environment for the buildah process (the values `env=` secrets read). */
  env?: Record<string, string>;
  /** Run every step: `--layers` caches a RUN by its text, not by the secrets it was given (REFERENCE §8). */
  noCache?: boolean;
}

export class Buildah {
  readonly root: string;
  readonly runroot: string;
  readonly tmp: string;
  private readonly storageConf: string;

  constructor(readonly dir: string) {
    this.root = join(dir, "storage");
    this.runroot = join(dir, "run");
    this.tmp = join(dir, "tmp");
    for (const d of [this.root, this.runroot, this.tmp]) mkdirSync(d, { recursive: true });
    this.storageConf = join(dir, "storage.conf");
    writeFileSync(this.storageConf, `[storage]\ndriver = "vfs"\ngraphroot = "${this.root}"\nrunroot = "${this.runroot}"\n`);
  }

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      CONTAINERS_STORAGE_CONF: this.storageConf,
      STORAGE_DRIVER: "vfs",
      BUILDAH_ISOLATION: "chroot",
      TMPDIR: this.tmp,
      ...extra,
    };
  }

  run(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<Output> {
    return exec("buildah", args, { env: this.env(options.env), cwd: options.cwd });
  }

  /** Like run, but a failure throws with the whole output. */
  async must(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<Output> {
    const out = await this.run(args, options);
    if (out.code !== 0) {
      throw new Error(`buildah ${args.join(" ")} exited ${out.code}\n--- stdout\n${out.stdout}\n--- stderr\n${out.stderr}`);
    }
    return out;
  }

  budArgs(o: BudOptions): string[] {
    const args = ["bud", "--layers", "--pull=never", "-f", o.dockerfile, "-t", o.tag];
    if (o.target) args.push("--target", o.target);
    if (o.noCache) args.push("--no-cache");
    for (const [k, v] of Object.entries(o.buildArgs ?? {})) args.push("--build-arg", `${k}=${v}`);
    for (const s of o.secrets ?? []) args.push("--secret", s);
    args.push(o.context);
    return args;
  }

  bud(o: BudOptions): Promise<Output> {
    return this.run(this.budArgs(o), { env: o.env });
  }

  /** Writes the image as an OCI layout: every layer, the config and the manifest as blobs. */
  async pushOci(tag: string, dir: string): Promise<void> {
    rmSync(dir, { recursive: true, force: true });
    await this.must(["push", tag, `oci:${dir}`]);
  }

  /** Every file under the storage and run roots whose bytes contain `needle` (GNU grep). */
  async grepStorage(needle: string): Promise<string[]> {
    const out = await exec("grep", ["-r", "-l", "-F", "-a", "--devices=skip", "-e", needle, this.root, this.runroot, this.tmp]);
    if (out.code === 1) return [];
    if (out.code !== 0) throw new Error(`grep over the storage failed (${out.code}): ${out.stderr}`);
    return out.stdout.split("\n").filter(Boolean);
  }

  async cleanup(): Promise<void> {
    await this.run(["rm", "--all"]);
    await this.run(["rmi", "--all", "--force"]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
