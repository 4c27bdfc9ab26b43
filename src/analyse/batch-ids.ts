/**
 * Secret ids across a batch: two Dockerfiles that each copy a file of the same name (two
 * services' `.npmrc`) would both call it `npmrc`, and a compose or bake file that builds both
 * can then give only one of them. Where the sources differ, each gets the id qualified by its
 * service (`npmrc_api`, `npmrc_web`); one shared file keeps one shared id. Pure: the caller
 * reads the files.
 */
import { posix } from "node:path";
import { classifySecretPath } from "./secret-files.js";
import { idFor } from "./analyse.js";
import { contextPathOf } from "./file-secrets.js";

const COPY_LINE = /^\uFEFF?[ \t]*(?:onbuild[ \t]+)?(?:copy|add)[ \t][^\n]*/gim;
const WORD = /"((?:[^"\\]|\\.)*)"|(\S+)/g;

/**
 * The context paths of the credential files the text's COPY/ADD lines name as sources (a quick
 * read of the lines, continuation lines joined, as the pre-check reads them).
 */
export function copiedSecretFiles(source: string): string[] {
  const text = source.replace(/[\\`][ \t]*\r?\n/g, " ");
  const out = new Set<string>();
  COPY_LINE.lastIndex = 0;
  for (let m = COPY_LINE.exec(text); m; m = COPY_LINE.exec(text)) {
    const words: string[] = [];
    WORD.lastIndex = 0;
    const line = m[0].replace(/\r$/, "");
    for (let w = WORD.exec(line); w; w = WORD.exec(line)) words.push(w[1] ?? w[2]);
    // keyword (and ONBUILD), flags, sources, destination; the JSON form's brackets, commas and quotes
    if (words.some((w) => /^--from=/i.test(w))) continue;
    const args = words
      .filter((w, i) => i > 0 && !/^(?:copy|add)$/i.test(w) && !w.startsWith("--"))
      .map((w) => w.replace(/^\[/, "").replace(/\]$/, "").replace(/,$/, "").replace(/^"(.*)"$/, "$1"))
      .filter((w) => w !== "");
    if (args.some((a) => a.includes("$"))) continue;
    for (const src of args.slice(0, -1)) {
      if (/[*?[\]]/.test(src) || /^[a-z][a-z0-9+.-]*:\/\//i.test(src)) continue;
      const kind = classifySecretPath(src);
      if (kind && !kind.directory) out.add(contextPathOf(src));
    }
  }
  return [...out];
}

export interface DockerfileSources {
  /** Absolute path of the Dockerfile and of its build context. */
  dockerfile: string;
  context: string;
  /** Context paths of the credential files it copies. */
  sources: string[];
}

/**
 * Per Dockerfile, the ids its file secrets take instead of the built-in ones (source path → id),
 * for the ids that two different files of the batch would share. `taken(dockerfile, source)`:
 * the id a configuration already gives (then it is left alone).
 */
export function settleFileIds(files: DockerfileSources[], taken: (dockerfile: string, source: string) => boolean = () => false): Map<string, Record<string, string>> {
  const byId = new Map<string, { file: DockerfileSources; source: string; where: string }[]>();
  for (const file of files) {
    for (const source of file.sources) {
      if (taken(file.dockerfile, source)) continue;
      const id = idFor({ source: { type: "file", path: source } });
      const list = byId.get(id) ?? [];
      list.push({ file, source, where: posix.join(file.context, source) });
      byId.set(id, list);
    }
  }
  const out = new Map<string, Record<string, string>>();
  const used = new Set(byId.keys());
  for (const [id, uses] of byId) {
    if (new Set(uses.map((u) => u.where)).size < 2) continue; // one shared file: one shared id
    const byPlace = new Map<string, string>();
    for (const use of [...uses].sort((a, b) => (a.file.dockerfile < b.file.dockerfile ? -1 : a.file.dockerfile > b.file.dockerfile ? 1 : 0))) {
      let qualified = byPlace.get(use.where);
      if (!qualified) {
        const base = `${id}_${serviceOf(use.file)}`;
        qualified = base;
        for (let n = 2; used.has(qualified); n++) qualified = `${base}_${n}`;
        used.add(qualified);
        byPlace.set(use.where, qualified);
      }
      const ids = out.get(use.file.dockerfile) ?? {};
      ids[use.source] = qualified;
      out.set(use.file.dockerfile, ids);
    }
  }
  return out;
}

/** A service's name: the Dockerfile's folder (`services/api/Dockerfile` → api), or its own name's suffix (`Dockerfile.api`). */
function serviceOf(file: DockerfileSources): string {
  const name = posix.basename(file.dockerfile);
  const suffix = /^(?:Dockerfile|Containerfile)[._-](.+)$/i.exec(name)?.[1] ?? /^(.+)\.(?:Dockerfile|dockerfile)$/.exec(name)?.[1];
  const raw = suffix ?? (posix.basename(posix.dirname(file.dockerfile)) || "root");
  return raw.toLowerCase().replace(/[^a-z0-9_.-]+/g, "_").replace(/^[._-]+/, "") || "service";
}
