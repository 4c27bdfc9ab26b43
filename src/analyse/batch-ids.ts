/**
 * Secret ids across a batch: two Dockerfiles that each copy a file of the same name (two
 * services' `.npmrc`) would both call it `npmrc`, and a compose or bake file that builds both
 * can then give only one of them. Where the sources differ, each gets the id qualified by its
 * service (`npmrc_api`, `npmrc_web`); one shared file keeps one shared id. Two different files
 * that the configuration's `ids` give one id cannot be told apart: both are left for a person.
 * Pure: the caller reads the files.
 */
import { posix } from "node:path";
import { classifySecretPath } from "./secret-files.js";
import { idFor } from "./analyse.js";
import { contextPathOf } from "./file-secrets.js";

const COPY_LINE = /^\uFEFF?[ \t]*(?:onbuild[ \t]+)?(?:copy|add)[ \t][^\n]*/gim;
const RUN_LINE = /^\uFEFF?[ \t]*(?:onbuild[ \t]+)?run[ \t][^\n]*/gim;
const WORD = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
/** Bounds of the quick read (it runs on the main thread, before any worker): a real file is far below them. */
const MAX_FOLDERS_PER_PLACE = 4;
const MAX_SOURCES = 256;
const MAX_PATH = 4096;
const MAX_DEPTH = 64;
/** A word of a RUN line that may be an absolute path (quotes, `=` and redirections around it cut off). */
const RUN_PATH = /(?:^|[\s"'=:<>|;&(])(\/[^\s"'`;|&<>()$]+)/g;
/** A relative path of a RUN line with a folder in it (`config/credentials.json`, `./deploy/key.pem`). */
const RELATIVE_PATH = /(?:^|[\s"'=:<>|;&(])((?:\.\/)?[A-Za-z0-9_.@-][^\s"'`;|&<>()$/]*\/[^\s"'`;|&<>()$]+)/g;

/** Per source (context path): its id, or why no id can be settled for it (the secret is then left as is). */
export type SourceIds = Record<string, string | { manual: string }>;

const isCredential = (path: string) => {
  const kind = classifySecretPath(path);
  return kind !== null && !kind.directory;
};

/**
 * The context paths of the credential files a Dockerfile may take from its context, as a quick
 * read of its lines (continuation lines joined, as the pre-check reads them): COPY/ADD sources
 * named like one or copied to where a tool reads one (`creds.ini` → `/root/.aws/credentials`),
 * and the files a copy of a whole context folder (`COPY . /src`) brings that a RUN names
 * (`/src/deploy/.npmrc`) or that lie at the context's top (`topFiles()`, read by the caller: npm in
 * /src reads `./.npmrc` unnamed). Where a RUN's path may be one of several context paths (under
 * `COPY . .`, which only WORKDIR places), only those `exists` confirms count: an id settled for a
 * file the context does not have would take a name (`npmrc_api`) from the one it has.
 */
export function copiedSecretFiles(source: string, topFiles: () => readonly string[] = () => [], exists: (contextPath: string) => boolean = () => true): string[] {
  const text = source.replace(/[\\`][ \t]*\r?\n/g, " ");
  const out = new Set<string>();
  // Folder copies by where they land; `fromRoot`: one copies the whole context.
  const folders = new Map<string, Set<string>>();
  let fromRoot = false;
  // A copy of the whole context to a place only WORKDIR tells (`COPY . .`): RUN words are tried as context paths.
  let rootSomewhere = false;
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
    if (args.length < 2) continue;
    const dest = args[args.length - 1];
    const sources = args.slice(0, -1);
    for (const src of sources) {
      if (src.includes("$") || /[*?[\]]/.test(src) || /^[a-z][a-z0-9+.-]*:\/\//i.test(src)) continue;
      if (src === "." || src.endsWith("/")) {
        const from = contextPathOf(src);
        if (from === "") fromRoot = true;
        if (from === "" && !(dest.startsWith("/") && !dest.includes("$"))) rootSomewhere = true;
        if (dest.startsWith("/") && !dest.includes("$")) {
          const to = posix.normalize(dest).replace(/\/+$/, "") || "/";
          const froms = folders.get(to) ?? new Set<string>();
          // A crafted file may copy thousands of folders to one place: a few are all a real one has.
          if (froms.size < MAX_FOLDERS_PER_PLACE) folders.set(to, froms.add(from));
        }
        continue;
      }
      // Where it lands names its kind too (a destination folder takes the file's own name).
      const landing = sources.length > 1 || dest.endsWith("/") ? posix.join(dest, posix.basename(src)) : dest;
      if (isCredential(src) || isCredential(landing)) out.add(contextPathOf(src));
    }
  }
  if (fromRoot) for (const name of topFiles()) if (isCredential(name)) out.add(name);
  if (folders.size === 0 && !rootSomewhere) return [...out];
  RUN_LINE.lastIndex = 0;
  for (let m = RUN_LINE.exec(text); m && out.size < MAX_SOURCES; m = RUN_LINE.exec(text)) {
    RUN_PATH.lastIndex = 0;
    if (rootSomewhere) {
      // A path written from the working folder: `config/credentials.json`.
      RELATIVE_PATH.lastIndex = 0;
      for (let w = RELATIVE_PATH.exec(m[0]); w; w = RELATIVE_PATH.exec(m[0])) {
        const inside = posix.normalize(w[1]);
        if (w[1].length <= MAX_PATH && !inside.startsWith("../") && isCredential(inside) && exists(inside)) out.add(inside);
      }
    }
    for (let w = RUN_PATH.exec(m[0]); w; w = RUN_PATH.exec(m[0])) {
      if (w[1].length > MAX_PATH) continue;
      const path = posix.normalize(w[1]);
      if (rootSomewhere) {
        // Under `COPY . .` in /app, /app/config/x.json is config/x.json, x.json or app/config/x.json of the context.
        const parts = path.split("/").filter((p) => p !== "");
        for (let i = Math.max(0, parts.length - MAX_DEPTH); i < parts.length; i++) {
          const inside = parts.slice(i).join("/");
          if (isCredential(inside) && !inside.startsWith("../") && exists(inside)) out.add(inside);
        }
      }
      // The folders above the path that a copy lands in: as many looks as the path has parts.
      for (let to = posix.dirname(path), depth = 0; depth < MAX_DEPTH; to = posix.dirname(to), depth++) {
        for (const from of folders.get(to) ?? []) {
          const inside = posix.join(from, path.slice(to === "/" ? 1 : to.length + 1));
          if (isCredential(inside) && !inside.startsWith("../")) out.add(inside);
        }
        if (to === "/" || to === ".") break;
      }
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
  /** Ids of the secrets it already mounts (an earlier rewrite's): their files are not these. */
  mounted?: string[];
}

const MOUNT = /--mount=(?:"?)([^\s"]*type=secret[^\s"]*)/gi;

/**
 * The ids of the secret mounts a Dockerfile already has (`id=`, or `src=`/`source=`, else the
 * target's last part), as a quick read of its text.
 */
export function mountedSecretIds(source: string): string[] {
  const out = new Set<string>();
  for (const m of source.matchAll(MOUNT)) {
    const options = new Map<string, string>();
    for (const kv of m[1].split(",")) {
      const eq = kv.indexOf("=");
      options.set((eq === -1 ? kv : kv.slice(0, eq)).toLowerCase(), eq === -1 ? "" : kv.slice(eq + 1));
    }
    const id = options.get("id") ?? options.get("src") ?? options.get("source") ?? posix.basename(options.get("target") ?? options.get("dst") ?? options.get("destination") ?? "");
    if (id) out.add(id);
  }
  return [...out];
}

/**
 * Per Dockerfile, the ids its file secrets take instead of the built-in ones (source path → id),
 * for the ids that two different files of the batch would share. `configured(dockerfile,
 * source)`: the id a configuration gives (it is kept; a built-in id that meets it moves aside).
 * Two different files the configuration gives one id get `{ manual }` instead: no build file
 * could give each its own, and no rewrite can tell which one a build means.
 */
export function settleFileIds(
  files: DockerfileSources[],
  configured: (dockerfile: string, source: string) => string | undefined = () => undefined,
): Map<string, SourceIds> {
  const byId = new Map<string, { file: DockerfileSources; source: string; where: string; fixed: boolean }[]>();
  for (const file of files) {
    for (const source of file.sources) {
      const given = configured(file.dockerfile, source);
      const id = given ?? idFor({ source: { type: "file", path: source } });
      const list = byId.get(id) ?? [];
      list.push({ file, source, where: posix.join(file.context, source), fixed: given !== undefined });
      byId.set(id, list);
    }
  }
  const out = new Map<string, SourceIds>();
  const give = (dockerfile: string, source: string, id: SourceIds[string]) => {
    const ids = out.get(dockerfile) ?? {};
    ids[source] = id;
    out.set(dockerfile, ids);
  };
  const mounted = files.flatMap((f) => (f.mounted ?? []).map((id) => ({ id, dockerfile: f.dockerfile })));
  const used = new Set([...byId.keys(), ...mounted.map((m) => m.id)]);
  for (const [id, uses] of byId) {
    // Another Dockerfile already mounts this id, or ids of its family a service each (`npmrc_api`):
    // an earlier run took those files out, and this one is not theirs.
    const taken = mounted.some((m) => (m.id === id || m.id.startsWith(`${id}_`)) && !uses.some((u) => u.file.dockerfile === m.dockerfile));
    if (!taken && new Set(uses.map((u) => u.where)).size < 2) continue; // one shared file: one shared id
    const kept = new Set(uses.filter((u) => u.fixed).map((u) => u.where));
    if (kept.size > 1) {
      for (const use of uses.filter((u) => u.fixed)) {
        const others = [...kept].filter((w) => w !== use.where).map((w) => posix.relative(use.file.context, w));
        give(use.file.dockerfile, use.source, {
          manual: `the configuration's ids give "${id}" to ${use.source} here and to another file of the batch too (${others.join(", ")}): a compose or bake file that builds both could give only one of them, so unbake cannot map it; give each file its own id (an ids key with the file's folder), then run unbake again`,
        });
      }
    }
    const byPlace = new Map<string, string>();
    for (const use of [...uses].sort((a, b) => (a.file.dockerfile < b.file.dockerfile ? -1 : a.file.dockerfile > b.file.dockerfile ? 1 : 0))) {
      // A configured id stays; the same file under another Dockerfile keeps it too.
      if (use.fixed || kept.has(use.where)) continue;
      let qualified = byPlace.get(use.where);
      if (!qualified) {
        const base = `${id}_${serviceOf(use.file)}`;
        qualified = base;
        for (let n = 2; used.has(qualified); n++) qualified = `${base}_${n}`;
        used.add(qualified);
        byPlace.set(use.where, qualified);
      }
      give(use.file.dockerfile, use.source, qualified);
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
