/**
 * The shared corpus, read in place (never copied): ../shared/corpus from the project root.
 *
 * A fresh clone of the project alone has no corpus: its tests are skipped there, with a note
 * saying so. In CI (CI=true) the corpus must be there: each corpus suite fails instead.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";

export const CORPUS = fileURLToPath(new URL("../../../shared/corpus/", import.meta.url));
export const HAS_CORPUS = existsSync(CORPUS);

/** CI=true (or 1), as CI services set it. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(true|1)$/i.test(env.CI ?? "");
}

/**
 * describe() for a suite that reads the corpus. Without the corpus its body is never run (a
 * body that lists the corpus would throw while the suite is collected): one skipped test names
 * what is missing, or, in CI, one failing test does.
 */
export function describeCorpus(name: string, body: () => void, has = HAS_CORPUS, env: NodeJS.ProcessEnv = process.env): void {
  if (has) {
    describe(name, body);
    return;
  }
  if (inCi(env)) {
    describe(name, () => {
      it("has the corpus: CI=true must run the corpus tests", () => {
        throw new Error(`corpus not found at ${CORPUS}`);
      });
    });
    return;
  }
  console.warn(`note: corpus tests skipped (${name}): no corpus at ${CORPUS}; they run where ../shared/corpus exists, and fail under CI=true without it`);
  describe.skip(name, () => {
    it(`needs the corpus at ${CORPUS}`, () => {});
  });
}

/** Every Dockerfile under a corpus folder (MANIFEST.tsv and README.md left out), sorted. */
export function corpusFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...corpusFiles(p));
    else if (e.isFile() && e.name !== "MANIFEST.tsv" && e.name !== "README.md") out.push(p);
  }
  return out.sort();
}
