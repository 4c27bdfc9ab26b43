/**
 * Batches at scale: the worker pool gives the same output, byte for byte and in the same order,
 * as one job; a shared .dockerignore gets every line; the progress line shows only where it
 * should.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProgress } from "../src/cli/progress.js";
import { main } from "../src/cli/main.js";

const BIN = join(import.meta.dirname, "..", "bin", "unbake.js");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "unbake-batch-"));
  for (let i = 0; i < 150; i++) {
    const d = join(dir, `svc${i}`);
    mkdirSync(d);
    const secret = i % 3 === 0 ? "ARG NPM_TOKEN\nRUN npm ci\n" : i % 3 === 1 ? "COPY .npmrc /root/.npmrc\nRUN npm ci\n" : "RUN make\n";
    writeFileSync(join(d, "Dockerfile"), `FROM node:22\n${secret}`);
  }
  writeFileSync(join(dir, "svc5", "Dockerfile"), Buffer.from([0, 1, 2]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", cwd: dir });

describe("worker pool", () => {
  it.each(["json", "text", "diff"])("--format %s: --jobs 2 prints exactly what --jobs 1 prints", (format) => {
    const one = run(["--format", format, "--jobs", "1", "."]);
    const two = run(["--format", format, "--jobs", "2", "."]);
    expect(two.status).toBe(2);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    if (format === "json") {
      const report = JSON.parse(two.stdout);
      expect(report.summary).toEqual({ files: 150, changed: 100, findings: 100, errors: 1 });
      const paths = report.files.map((f: { path: string }) => f.path);
      expect(paths).toEqual([...paths].sort());
    }
  });

  it("rejects a bad --jobs", () => {
    expect(run(["--jobs", "0", "."]).status).toBe(2);
  });
});

describe("a .dockerignore shared by two Dockerfiles", () => {
  it("gets both lines, in a dry-run diff and on --write", async () => {
    const d = mkdtempSync(join(tmpdir(), "unbake-shared-ignore-"));
    try {
      writeFileSync(join(d, "Dockerfile"), "FROM a\nCOPY .npmrc /root/\nRUN npm ci\n");
      writeFileSync(join(d, "Dockerfile.ci"), "FROM a\nCOPY .pypirc /root/\nRUN twine upload x\n");
      writeFileSync(join(d, ".dockerignore"), "*.md\n");
      let out = "";
      const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, cwd: d, env: {} };
      await main(["--format", "diff", "."], io);
      expect(out).toContain("+.npmrc\n");
      expect(out).toMatch(/ \.npmrc\n\+\.pypirc\n/);
      await main(["--write", "."], io);
      expect(readFileSync(join(d, ".dockerignore"), "utf8")).toBe("*.md\n.npmrc\n.pypirc\n");
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

describe("progress line", () => {
  const sink = (isTTY: boolean) => {
    const writes: string[] = [];
    return { writes, stream: { isTTY, columns: 60, write: (s: string) => writes.push(s) } };
  };

  it("shows after a second on a terminal, throttled, and clears at the end", () => {
    let t = 0;
    const { writes, stream } = sink(true);
    const p = createProgress(stream, 100, { enabled: true, now: () => t });
    p.update(1, "a/Dockerfile");
    t = 1500;
    p.update(30, "b/Dockerfile");
    t = 1550;
    p.update(31, "c/Dockerfile");
    t = 1700;
    p.update(40, "a/very/long/path/that/does/not/fit/in/sixty/columns/at/all/Dockerfile");
    p.finish();
    expect(writes[0]).toBe("\r\x1b[Kunbake: 30/100 files, 20 files/s, b/Dockerfile");
    expect(writes).toHaveLength(3);
    expect(writes[1].length).toBeLessThanOrEqual(59 + 4);
    expect(writes[1]).toMatch(/…/);
    expect(writes[2]).toBe("\r\x1b[K");
  });

  it("stays silent when not a terminal, or when disabled", () => {
    for (const [tty, enabled] of [[false, true], [true, false]] as const) {
      let t = 0;
      const { writes, stream } = sink(tty);
      const p = createProgress(stream, 10, { enabled, now: () => t });
      t = 5000;
      p.update(5, "x");
      p.finish();
      expect(writes).toEqual([]);
    }
  });
});
