/**
 * The adversarial suite's harness: a temporary tree with a repository the attacker controls
 * (`repo/`) and, beside it, files that must never be read or touched (`outside/`, full of
 * canaries). The CLI runs as a child process — a hang must not hang the test runner — with a
 * wall-clock bound, and its peak memory is measured.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const REPO_ROOT = join(import.meta.dirname, "..", "..");
const CLI = join(REPO_ROOT, "bin", "unbake.js");
const MEASURE = join(import.meta.dirname, "measure.mjs");

/** A canary that no output may show: looks like a GitHub token so every classifier sees a secret. */
export function canary(tag = "x"): string {
  const body = createHash("sha256").update(`${tag}:${Math.random()}`).digest("hex").slice(0, 32);
  return `ghp_${body}C4NARY${tag.replace(/[^A-Za-z0-9]/g, "").slice(0, 4)}`.slice(0, 40);
}

export interface HostileTree {
  /** The temporary folder holding both. */
  base: string;
  /** What unbake is given. */
  repo: string;
  /** Never to be read or written. */
  outside: string;
  /** Writes repo/<rel> (parents made); returns the absolute path. */
  file(rel: string, content: string | Buffer): string;
  /** Writes outside/<rel>; returns the absolute path. */
  outsideFile(rel: string, content: string | Buffer): string;
  /** Everything under outside/ now: path → content digest, mode, mtime. */
  snapshotOutside(): Map<string, string>;
  cleanup(): void;
}

export function hostileTree(): HostileTree {
  const base = mkdtempSync(join(tmpdir(), "unbake-hostile-"));
  const repo = join(base, "repo");
  const outside = join(base, "outside");
  mkdirSync(repo);
  mkdirSync(outside);
  const put = (root: string) => (rel: string, content: string | Buffer) => {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
    return p;
  };
  return {
    base,
    repo,
    outside,
    file: put(repo),
    outsideFile: put(outside),
    snapshotOutside: () => snapshot(outside),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** Path → "digest mode mtime" (links: their target) of every entry under dir. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.set(p, `link ${readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.set(p, `dir ${st.mode} ${st.mtimeMs}`);
        walk(p);
      } else if (st.isFile()) out.set(p, `${createHash("sha256").update(readFileSync(p)).digest("hex")} ${st.mode} ${st.mtimeMs}`);
      else out.set(p, `special ${st.mode}`);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time of the whole child process. */
  ms: number;
  /** Peak resident memory of the CLI process (null when it did not exit normally). */
  maxRssMb: number | null;
  timedOut: boolean;
}

export interface RunOptions {
  cwd: string;
  /** Kill the child after this long (default 30 s); the run then has timedOut set. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
}

/**
 * Every way unbake prints what it found about `paths`: the fix command in each format, with and
 * without --report, and check in each format. Never --write (a separate run does that).
 */
export const OUTPUT_RUNS: readonly (readonly string[])[] = [
  [],
  ["--format", "diff"],
  ["--format", "json"],
  ["--emit", "docker,bake,compose,gha,podman"],
  ["check"],
  ["check", "--format", "json"],
  ["check", "--format", "sarif"],
  ["check", "--format", "github"],
  ["check", "--format", "markdown"],
];

export interface EveryOutput {
  /** Every byte printed on stdout and stderr by every run, plus the Markdown report. */
  all: string;
  runs: { args: string[]; run: CliRun }[];
}

/** Runs every OUTPUT_RUNS variant (plus --report) over paths in cwd. */
export function everyOutput(paths: string[], options: RunOptions): EveryOutput {
  const runs: { args: string[]; run: CliRun }[] = [];
  let all = "";
  for (const variant of OUTPUT_RUNS) {
    const args = [...variant, ...paths];
    const run = runCli(args, options);
    runs.push({ args, run });
    all += run.stdout + run.stderr;
  }
  const reportDir = mkdtempSync(join(tmpdir(), "unbake-report-"));
  const report = join(reportDir, "report.md");
  const run = runCli(["--report", report, ...paths], options);
  runs.push({ args: ["--report", report, ...paths], run });
  all += run.stdout + run.stderr;
  if (existsSync(report)) all += readFileSync(report, "utf8");
  rmSync(reportDir, { recursive: true, force: true });
  return { all, runs };
}

/** Runs `node bin/unbake.js …args` (the built CLI) in a child process. */
export function runCli(args: string[], options: RunOptions): CliRun {
  return runMeasured(process.execPath, ["--import", MEASURE, CLI, ...args], options);
}

/**
 * runCli under a file size limit (`ulimit -f`, in 512-byte blocks): writes past it fail with
 * EFBIG (Node ignores SIGXFSZ), a real way to make a write fail, also as root. Peak memory is
 * not measured when the limit stops its record from being written.
 */
export function runCliWithFileSizeLimit(blocks: number, args: string[], options: RunOptions): CliRun {
  return runMeasured("/bin/sh", ["-c", `ulimit -f ${blocks} && exec "$0" "$@"`, process.execPath, "--import", MEASURE, CLI, ...args], options);
}

/** The CLI's process, started by command with args (measure.mjs preloaded): its record, time and peak memory. */
function runMeasured(command: string, args: string[], options: RunOptions): CliRun {
  const measure = join(mkdtempSync(join(tmpdir(), "unbake-measure-")), "m.json");
  const started = performance.now();
  const r = spawnSync(command, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env, UNBAKE_MEASURE: measure },
    input: options.input,
    timeout: options.timeoutMs ?? 30_000,
    killSignal: "SIGKILL",
    maxBuffer: 256 * 1024 * 1024,
    encoding: "utf8",
  });
  const ms = performance.now() - started;
  let maxRssMb: number | null = null;
  try {
    maxRssMb = JSON.parse(readFileSync(measure, "utf8")).maxRssKb / 1024;
  } catch {
    // not written: the process did not exit normally, or a file size limit stopped the record
  }
  rmSync(dirname(measure), { recursive: true, force: true });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === "ETIMEDOUT";
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? "", stderr: r.stderr ?? "", ms, maxRssMb, timedOut };
}

export interface SpawnedCli {
  child: import("node:child_process").ChildProcess;
  /** When the child was started (performance.now()). */
  started: number;
  /** Settles when the child exits: the same record runCli gives. */
  done: Promise<CliRun>;
}

/**
 * Starts `node bin/unbake.js …args` without waiting, for what a synchronous run cannot do: send
 * a signal while it works, or close its stdout early (dropStdoutAfter closes the reading end
 * once that many characters arrived, as `| head -c N` does).
 */
export function spawnCli(args: string[], options: RunOptions & { dropStdoutAfter?: number }): SpawnedCli {
  const measureDir = mkdtempSync(join(tmpdir(), "unbake-measure-"));
  const measure = join(measureDir, "m.json");
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", MEASURE, CLI, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env, UNBAKE_MEASURE: measure },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => {
    stdout += d.toString("utf8");
    if (options.dropStdoutAfter !== undefined && stdout.length >= options.dropStdoutAfter) {
      stdout = stdout.slice(0, options.dropStdoutAfter);
      child.stdout!.destroy();
    }
  });
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, options.timeoutMs ?? 30_000);
  const done = new Promise<CliRun>((resolve) => {
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      let maxRssMb: number | null = null;
      if (existsSync(measure)) maxRssMb = JSON.parse(readFileSync(measure, "utf8")).maxRssKb / 1024;
      rmSync(measureDir, { recursive: true, force: true });
      // Let the pipes drain before handing the output over.
      setImmediate(() => resolve({ code, signal, stdout, stderr, ms, maxRssMb, timedOut }));
    });
  });
  return { child, started, done };
}
