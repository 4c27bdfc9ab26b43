/** The shared corpus, read in place (never copied): ../shared/corpus from the project root. */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const CORPUS = fileURLToPath(new URL("../../../shared/corpus/", import.meta.url));
export const HAS_CORPUS = existsSync(CORPUS);

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
