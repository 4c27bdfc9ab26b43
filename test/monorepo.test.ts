/**
 * A whole small repository, end to end: two services, a compose file, a workflow, a Makefile,
 * a bake file and a release script. `unbake --write .` must turn __fixtures__/monorepo/before
 * into __fixtures__/monorepo/after byte for byte (Dockerfiles, .dockerignore and every call
 * site), the dry-run diff must do the same through git apply, and a second run finds nothing.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";

const FIXTURE = join(import.meta.dirname, "..", "__fixtures__", "monorepo");
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!f.isFile()) continue;
    const p = join(f.parentPath, f.name);
    if (!relative(root, p).startsWith(".git/")) out[relative(root, p)] = readFileSync(p, "utf8");
  }
  return out;
}

async function run(args: string[]) {
  let stdout = "";
  const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, cwd: dir, env: {} });
  return { code, stdout };
}

function copyBefore() {
  dir = mkdtempSync(join(tmpdir(), "unbake-monorepo-"));
  cpSync(join(FIXTURE, "before"), dir, { recursive: true });
}

describe("a small monorepo", () => {
  it("--write rewrites Dockerfiles and call sites to exactly the expected files", async () => {
    copyBefore();
    const r = await run(["--write", "--quiet", "."]);
    expect(r.code).toBe(0);
    expect(tree(dir)).toEqual(tree(join(FIXTURE, "after")));
    const again = await run(["--write", "."]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("2 files, 0 changed, 0 findings, 0 errors (written)");
    expect(tree(dir)).toEqual(tree(join(FIXTURE, "after")));
  });

  it("the dry-run diff, applied with git apply, gives the same files", async () => {
    copyBefore();
    const r = await run(["--format", "diff", "."]);
    expect(r.code).toBe(1);
    execFileSync("git", ["init", "-q"], { cwd: dir });
    execFileSync("git", ["apply", "-"], { cwd: dir, input: r.stdout });
    expect(tree(dir)).toEqual(tree(join(FIXTURE, "after")));
  });
});
