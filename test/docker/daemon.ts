/**
 * A private Docker for the Docker proof suite (REFERENCE §8b): containerd and dockerd from the
 * root test/docker/fetch.sh unpacked (Debian sid's Docker 28 with BuildKit, buildx, compose),
 * started once per test run with every state folder in a temporary folder, and stopped — by pid —
 * when the run ends, also when it fails.
 *
 * Both daemons live in a mount and network namespace of their own (`unshare`): what they mount
 * (tmpfs /run and /opt, network namespaces, the default bridge docker0) exists only there and
 * goes when they stop, and the builds and containers have a bridge with no way out — no network,
 * without changing the build commands under test. The sockets are files in the temporary folder,
 * so the host's docker CLI reaches them. Each daemon gets SIGKILL if the test process dies
 * (`setpriv --pdeathsig`), so a crashed run leaves no daemon behind either.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readlinkSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exec, isStaticElf, which, type Output } from "../real-builder/buildah.js";

export const DOCKER_ROOT = join(process.env.UNBAKE_DOCKER_ROOT ?? "/var/cache/unbake-docker", "root");

/** Why this machine cannot run the private Docker, or null when it can. */
export function dockerUnavailable(): string | null {
  if (process.platform !== "linux") return "not Linux";
  if (typeof process.getuid === "function" && process.getuid() !== 0) return "not root (dockerd needs root)";
  for (const bin of ["usr/sbin/dockerd", "usr/bin/containerd", "usr/bin/containerd-shim-runc-v2", "usr/bin/docker", "usr/libexec/docker/cli-plugins/docker-buildx", "usr/libexec/docker/cli-plugins/docker-compose"]) {
    if (!existsSync(join(DOCKER_ROOT, bin))) return `${join(DOCKER_ROOT, bin)} is missing: run test/docker/fetch.sh (as root; .ci/run does)`;
  }
  if (!existsSync("/usr/sbin/runc") && !which("runc")) return "runc is not installed (apt-get install runc; test/docker/fetch.sh does)";
  for (const tool of ["unshare", "nsenter", "setpriv"]) if (!which(tool)) return `${tool} (util-linux) is not on PATH`;
  const busybox = staticBusybox();
  if (!busybox) return "no static busybox (Debian package busybox-static)";
  return null;
}

export function staticBusybox(): string | null {
  return [which("busybox"), "/bin/busybox", "/usr/bin/busybox"].find((p): p is string => !!p && existsSync(p) && isStaticElf(p)) ?? null;
}

export interface RunOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Fed to stdin. */
  input?: Buffer | string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pids of the processes in the mount namespace `ns` (a /proc/<pid>/ns/mnt link text). */
function pidsInNamespace(ns: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/ns/mnt`) === ns) pids.push(Number(name));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}

/**
 * Folders of earlier runs whose test process died without stopping its daemons (SIGKILL: the
 * daemons died with it, `--pdeathsig`, but the folder stayed). Only those whose owner is gone.
 */
function removeStale(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith("unbake-docker-")) continue;
    const dir = join(tmpdir(), name);
    let owner: number;
    try {
      owner = Number(readFileSync(join(dir, "owner.pid"), "utf8"));
    } catch {
      continue; // being created, or not ours
    }
    if (Number.isInteger(owner) && owner > 0 && !alive(owner)) rmSync(dir, { recursive: true, force: true });
  }
}

export class DockerDaemon {
  readonly dir: string;
  readonly host: string;
  readonly config: string;
  readonly path: string;
  private containerd?: ChildProcess;
  private dockerd?: ChildProcess;
  private namespace?: string;
  private stopped = false;
  private readonly onExit = () => this.killNow();
  readonly startSeconds: number[] = [];
  version = "";

  private constructor(readonly storageDriver: string) {
    this.dir = mkdtempSync(join(tmpdir(), "unbake-docker-"));
    writeFileSync(join(this.dir, "owner.pid"), `${process.pid}\n`);
    this.host = `unix://${join(this.dir, "docker.sock")}`;
    this.config = join(this.dir, "docker-config");
    this.path = [join(DOCKER_ROOT, "usr/bin"), join(DOCKER_ROOT, "usr/sbin"), "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"].join(":");
  }

  /**
   * Starts containerd and dockerd and waits until `docker version` answers. Storage: overlay2
   * (a third faster here than vfs, which copies the whole filesystem for each step), else vfs —
   * the one driver that works on any backing filesystem. $UNBAKE_DOCKER_STORAGE picks one.
   */
  static async start(): Promise<DockerDaemon> {
    removeStale();
    const drivers = process.env.UNBAKE_DOCKER_STORAGE ? [process.env.UNBAKE_DOCKER_STORAGE] : ["overlay2", "vfs"];
    const failures: string[] = [];
    for (const driver of drivers) {
      const d = new DockerDaemon(driver);
      try {
        await d.boot();
        if (failures.length > 0) console.warn(`private dockerd: ${failures.join("; ")}; using ${driver}`);
        return d;
      } catch (e) {
        await d.stop();
        failures.push(`--storage-driver ${driver} failed: ${(e as Error).message}`);
      }
    }
    throw new Error(failures.join("\n"));
  }

  private log(name: string): number {
    return openSync(join(this.dir, `${name}.log`), "a");
  }

  logTail(name: "containerd" | "dockerd", lines = 15): string {
    try {
      return readFileSync(join(this.dir, `${name}.log`), "utf8").trim().split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  }

  private async boot(): Promise<void> {
    const t0 = performance.now();
    const ctd = join(this.dir, "containerd");
    for (const d of [join(ctd, "root"), join(ctd, "state"), join(this.dir, "data"), join(this.dir, "exec"), join(this.config, "cli-plugins")]) mkdirSync(d, { recursive: true });
    for (const plugin of ["docker-buildx", "docker-compose"]) {
      // cli plugins are found in $DOCKER_CONFIG/cli-plugins
      writeFileSync(join(this.config, "cli-plugins", plugin), readFileSync(join(DOCKER_ROOT, "usr/libexec/docker/cli-plugins", plugin)), { mode: 0o755 });
    }
    writeFileSync(join(this.config, "config.json"), "{}\n");
    const ctdSock = join(ctd, "containerd.sock");
    // Our own config, so that no /etc/containerd/config.toml of the machine applies; no CRI (Kubernetes) plugins.
    writeFileSync(
      join(ctd, "config.toml"),
      [
        "version = 3",
        `root = ${JSON.stringify(join(ctd, "root"))}`,
        `state = ${JSON.stringify(join(ctd, "state"))}`,
        'disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.cri.v1.images", "io.containerd.cri.v1.runtime"]',
        "[grpc]",
        `  address = ${JSON.stringify(ctdSock)}`,
        "[ttrpc]",
        `  address = ${JSON.stringify(`${ctdSock}.ttrpc`)}`,
        "",
      ].join("\n"),
    );
    const daemonJson = join(this.dir, "daemon.json");
    writeFileSync(daemonJson, "{}\n");
    const env = { ...process.env, PATH: this.path, TMPDIR: join(this.dir, "exec") };

    // containerd creates the namespaces: tmpfs over /run and /opt (its shim sockets, runc state
    // and dockerd's plugin folder go there, not into the machine's /run), a network of its own.
    const inNs = "mount -t tmpfs -o mode=0755 unbake-run /run && mount -t tmpfs -o mode=0755 unbake-opt /opt && exec setpriv --pdeathsig KILL -- \"$@\"";
    this.containerd = spawn("unshare", ["--mount", "--net", "--propagation", "private", "--", "/bin/sh", "-c", inNs, "sh", "containerd", "--config", join(ctd, "config.toml")], {
      env,
      stdio: ["ignore", this.log("containerd"), this.log("containerd")],
    });
    process.on("exit", this.onExit);
    await this.waitFor(() => existsSync(ctdSock), "containerd's socket", "containerd", this.containerd);
    this.namespace = readlinkSync(`/proc/${this.containerd.pid}/ns/mnt`);

    this.dockerd = spawn(
      "nsenter",
      [
        `--target=${this.containerd.pid}`,
        "--mount",
        "--net",
        "--",
        "setpriv",
        "--pdeathsig",
        "KILL",
        "--",
        "dockerd",
        "--config-file",
        daemonJson,
        "--containerd",
        ctdSock,
        "--host",
        this.host,
        "--data-root",
        join(this.dir, "data"),
        "--exec-root",
        join(this.dir, "exec"),
        "--pidfile",
        join(this.dir, "dockerd.pid"),
        "--storage-driver",
        this.storageDriver,
        "--iptables=false",
        "--ip6tables=false",
        "--userland-proxy=false",
      ],
      { env, stdio: ["ignore", this.log("dockerd"), this.log("dockerd")] },
    );
    let ready = false;
    await this.waitFor(
      async () => {
        if (!existsSync(join(this.dir, "docker.sock"))) return false;
        const v = await this.docker(["version", "--format", "{{.Server.Version}}"]);
        ready = v.code === 0;
        if (ready) this.version = v.stdout.trim();
        return ready;
      },
      "dockerd's API",
      "dockerd",
      this.dockerd,
    );
    this.startSeconds.push((performance.now() - t0) / 1000);
  }

  private async waitFor(ok: () => boolean | Promise<boolean>, what: string, log: "containerd" | "dockerd", child: ChildProcess, timeoutMs = 60_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${log} exited (${child.exitCode ?? child.signalCode}) before ${what} was ready:\n${this.logTail(log)}`);
      }
      if (await ok()) return;
      await sleep(100);
    }
    throw new Error(`${what} not ready after ${timeoutMs / 1000}s:\n${this.logTail(log)}`);
  }

  /** The environment of a docker CLI call (and of a script that calls docker). */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const base: NodeJS.ProcessEnv = {};
    for (const k of ["HOME", "LANG", "TERM", "USER", "LOGNAME", "SHELL", "TZ"]) if (process.env[k] !== undefined) base[k] = process.env[k];
    return {
      ...base,
      PATH: this.path,
      DOCKER_HOST: this.host,
      DOCKER_CONFIG: this.config,
      BUILDKIT_PROGRESS: "plain",
      ...extra,
    };
  }

  docker(args: string[], o: RunOptions = {}): Promise<Output> {
    return run("docker", args, this.env(o.env), o.cwd, o.input);
  }

  /** Like docker(), but a failure throws with the whole output. */
  async must(args: string[], o: RunOptions = {}): Promise<Output> {
    const out = await this.docker(args, o);
    if (out.code !== 0) throw new Error(`docker ${args.join(" ")} exited ${out.code}\n--- stdout\n${out.stdout}\n--- stderr\n${out.stderr}`);
    return out;
  }

  /** A shell command line, run by bash, with this daemon's docker on PATH. */
  sh(script: string, o: RunOptions = {}): Promise<Output> {
    return run("bash", ["-c", script], this.env(o.env), o.cwd, o.input);
  }

  /** Every file under dockerd's and containerd's state whose bytes contain one of `needles` (GNU grep). */
  async grepState(needles: string[]): Promise<string[]> {
    if (needles.length === 0) return [];
    const patterns = join(this.dir, `needles-${process.hrtime.bigint()}.txt`);
    writeFileSync(patterns, needles.join("\n") + "\n");
    const out = await exec("grep", ["-r", "-l", "-F", "-a", "--devices=skip", "-f", patterns, join(this.dir, "data"), join(this.dir, "containerd")]);
    rmSync(patterns, { force: true });
    // 2: an error, e.g. a file that went away during the search — the other lines still count
    if (out.code === 2 && out.stdout === "" && !/No such file/.test(out.stderr)) throw new Error(`grep over the docker state failed: ${out.stderr}`);
    return out.stdout.split("\n").filter(Boolean);
  }

  /** SIGKILL for both daemons and whatever else runs in their namespace: for process exit. */
  private killNow(): void {
    const pids = [this.dockerd?.pid, this.containerd?.pid, ...(this.namespace ? pidsInNamespace(this.namespace) : [])];
    for (const pid of pids) if (pid && pid !== process.pid && alive(pid)) process.kill(pid, "SIGKILL");
  }

  private async stopChild(child: ChildProcess | undefined, timeoutMs: number): Promise<void> {
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once("close", () => r()));
    child.kill("SIGTERM");
    const end = Date.now() + timeoutMs;
    while (alive(child.pid) && Date.now() < end) await sleep(100);
    if (alive(child.pid)) child.kill("SIGKILL");
    await Promise.race([exited, sleep(5_000)]);
  }

  /** Stops everything this daemon started (containers, dockerd, containerd, shims), by pid, and removes its folder. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.dockerd && this.dockerd.exitCode === null) {
      const ids = (await this.docker(["ps", "-aq"])).stdout.split("\n").filter(Boolean);
      if (ids.length > 0) await this.docker(["rm", "-f", ...ids]);
    }
    await this.stopChild(this.dockerd, 30_000);
    await this.stopChild(this.containerd, 15_000);
    // Shims (and anything else) still in the daemons' mount namespace: started by them, ours to stop.
    if (this.namespace) {
      for (const pid of pidsInNamespace(this.namespace)) if (pid !== process.pid && alive(pid)) process.kill(pid, "SIGKILL");
    }
    process.off("exit", this.onExit);
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** Longest a docker command (or script) may take: then it is killed, and its output says so. */
const COMMAND_TIMEOUT_MS = 300_000;

/** Runs a program without a shell; never throws for a non-zero exit. Killed (SIGKILL) after `timeoutMs`. */
export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string, input?: Buffer | string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<Output> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, cwd, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"], timeout: timeoutMs, killSignal: "SIGKILL" });
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr!.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.on("error", (e) => resolve({ code: null, stdout, stderr: stderr + String(e) }));
    child.on("close", (code, signal) => resolve({ code, stdout, stderr: signal ? `${stderr}\n[killed by ${signal}: still running after ${timeoutMs / 1000}s]` : stderr }));
    if (input !== undefined) child.stdin!.end(input);
  });
}
