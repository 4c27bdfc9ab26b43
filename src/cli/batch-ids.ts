/**
 * Secret ids settled for the whole batch before its files are handed out (analyse/batch-ids.ts):
 * each Dockerfile is read through the safe-file gate and its COPY lines looked at, with the
 * names at the top of its context (what a copy of the whole context brings) and the ids its
 * configuration gives. A file that cannot be read is left out here; processFile reports it.
 */
import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import { copiedSecretFiles, settleFileIds, type DockerfileSources, type SourceIds } from "../analyse/batch-ids.js";
import { readDockerfile, type ProcessOptions } from "./process-file.js";
import { configOf, settingsOf } from "./project-config.js";
import { withDirs } from "./safe-file.js";

export function batchSecretIds(dockerfiles: string[], options: ProcessOptions): Map<string, SourceIds> {
  if (dockerfiles.length < 2) return new Map();
  const files: DockerfileSources[] = [];
  for (const dockerfile of dockerfiles) {
    const context = options.context ?? dirname(dockerfile);
    let text: string;
    try {
      text = readDockerfile(dockerfile, options.roots ?? withDirs(undefined, [dirname(dockerfile), context], [dockerfile]));
    } catch {
      continue;
    }
    const sources = copiedSecretFiles(text, () => namesIn(context));
    if (sources.length > 0) files.push({ dockerfile, context, sources });
  }
  if (files.length < 2) return new Map();
  const idFor = (dockerfile: string, source: string) => {
    const config = configOf(dockerfile, options);
    return config.errors.length > 0 ? undefined : settingsOf(config).idFor?.(source);
  };
  return settleFileIds(files, idFor);
}

/** The names at the top of a context folder ([] when it cannot be listed). */
function namesIn(context: string): string[] {
  try {
    return readdirSync(context);
  } catch {
    return [];
  }
}
