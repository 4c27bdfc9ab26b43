/**
 * Secret ids settled for the whole batch before its files are handed out (analyse/batch-ids.ts):
 * each Dockerfile is read through the safe-file gate and its COPY lines looked at, with the
 * names at the top of its context (what a copy of the whole context brings) and the ids its
 * configuration gives. A run on part of a repository settles them with the repository's other
 * Dockerfiles too (read, never processed): a compose file above the given paths may build them
 * all, and `unbake services/api` then gives api the id `unbake .` would. A file that cannot be
 * read is left out here; processFile reports it.
 */
import { dirname, join } from "node:path";
import { copiedSecretFiles, mountedSecretIds, settleFileIds, type DockerfileSources, type SourceIds } from "../analyse/batch-ids.js";
import { readDockerfile, type ProcessOptions } from "./process-file.js";
import { configOf, settingsOf } from "./project-config.js";
import { callSitesAbove } from "./repository-call-sites.js";
import { withDirs, type Roots } from "./safe-file.js";
import { isFile, namesIn } from "./context-paths.js";

/** `above`: the given paths and the working directory, when the repository above them is searched too (not --no-call-sites). */
export async function batchSecretIds(dockerfiles: string[], options: ProcessOptions, above?: { paths: string[]; cwd: string }): Promise<Map<string, SourceIds>> {
  if (dockerfiles.length < 2 && !above) return new Map();
  const files = dockerfiles.flatMap((d) => sourcesOf(d, options.context ?? dirname(d), options.roots));
  if (!files.some((f) => f.sources.length > 0)) return new Map();
  const batch = new Set(dockerfiles);
  if (above) {
    const repository = await callSitesAbove(above.paths, above.cwd);
    if (repository) {
      const roots = withDirs(options.roots, [repository.root]);
      for (const d of repository.dockerfiles) if (!batch.has(d)) files.push(...sourcesOf(d, dirname(d), roots));
    }
  }
  if (files.length < 2) return new Map();
  const idFor = (dockerfile: string, source: string) => {
    const config = configOf(dockerfile, options);
    return config.errors.length > 0 ? undefined : settingsOf(config).idFor?.(source);
  };
  const settled = settleFileIds(files, idFor);
  for (const d of settled.keys()) if (!batch.has(d)) settled.delete(d);
  return settled;
}

function sourcesOf(dockerfile: string, context: string, roots: Roots | undefined): DockerfileSources[] {
  let text: string;
  try {
    text = readDockerfile(dockerfile, roots ?? withDirs(undefined, [dirname(dockerfile), context], [dockerfile]));
  } catch {
    return [];
  }
  const sources = copiedSecretFiles(text, () => namesIn(context), (p) => isFile(join(context, p)));
  const mounted = mountedSecretIds(text);
  return sources.length > 0 || mounted.length > 0 ? [{ dockerfile, context, sources, ...(mounted.length > 0 ? { mounted } : {}) }] : [];
}

