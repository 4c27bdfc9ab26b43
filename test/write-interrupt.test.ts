/**
 * A signal during `--write` over a large batch: every file is either exactly as it was or
 * exactly the rewrite, never half of one. SIGTERM stops cleanly (exit 130, no temporary files
 * left); SIGKILL cannot be handled, but still never leaves a half-written Dockerfile.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runPipeline } from "../src/pipeline.js";

const BIN = join(import.meta.dirname, "..", "bin", "unbake.js");
const FILES = 600;

function input(i: number): string {
  return `FROM node:22\nARG NPM_TOKEN\nWORKDIR /srv/app${i}\nCOPY package.json .npmrc ./\nRUN npm ci && rm -f .npmrc\n# ${"padding ".repeat(50)}\n`;
}

/** File i as the batch rewrites it: each service's own .npmrc gets an id of its own (npmrc_svc0007). */
function rewrite(i: number): string {
  const service = `svc${String(i).padStart(4, "0")}`;
  return runPipeline(input(i), { settings: { idFor: (key) => (key === ".npmrc" ? `npmrc_${service}` : undefined) } }).output;
}

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function makeBatch(): string[] {
  dir = mkdtempSync(join(tmpdir(), "unbake-interrupt-"));
  const paths: string[] = [];
  for (let i = 0; i < FILES; i++) {
    const d = join(dir, `svc${String(i).padStart(4, "0")}`);
    mkdirSync(d);
    writeFileSync(join(d, "Dockerfile"), input(i));
    paths.push(join(d, "Dockerfile"));
  }
  return paths;
}

/** Start a --write run and send `signal` once some files are rewritten. */
async function interrupt(paths: string[], signal: NodeJS.Signals): Promise<number | null> {
  const child = spawn(process.execPath, [BIN, "--write", "--format", "json", dir], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const firstRewritten = paths[Math.floor(FILES / 5)];
  const started = Date.now();
  while (Date.now() - started < 20_000) {
    if (readFileSync(firstRewritten, "utf8").includes("--mount")) break;
    await new Promise((r) => setTimeout(r, 2));
  }
  child.kill(signal);
  const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
  return code;
}

function checkEveryFile(paths: string[]): { old: number; rewritten: number } {
  let old = 0;
  let rewritten = 0;
  paths.forEach((p, i) => {
    const now = readFileSync(p, "utf8");
    if (now === input(i)) old++;
    else {
      expect(now).toBe(rewrite(i));
      rewritten++;
    }
  });
  return { old, rewritten };
}

describe("interrupting --write", () => {
  it("SIGTERM: stops between files, exit 130, each file old or new, no temporary files", async () => {
    const paths = makeBatch();
    const code = await interrupt(paths, "SIGTERM");
    const { old, rewritten } = checkEveryFile(paths);
    expect(code).toBe(130);
    expect(rewritten).toBeGreaterThan(0);
    expect(old).toBeGreaterThan(0);
    const leftovers = readdirSync(dir, { recursive: true }).filter((f) => String(f).includes(".unbake-"));
    expect(leftovers).toEqual([]);
  });

  it("SIGKILL: each Dockerfile is still old or new", async () => {
    const paths = makeBatch();
    const code = await interrupt(paths, "SIGKILL");
    expect(code).toBeNull();
    const { old, rewritten } = checkEveryFile(paths);
    expect(old + rewritten).toBe(FILES);
    expect(rewritten).toBeGreaterThan(0);
  });
});
