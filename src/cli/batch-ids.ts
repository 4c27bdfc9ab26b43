/**
 * Secret ids settled for the whole batch before its files are handed out (analyse/batch-ids.ts):
 * each Dockerfile is read through the safe-file gate and its COPY lines looked at. A file that
 * cannot be read is left out here; processFile reports it.
 */
import { dirname } from "node:path";
import { copiedSecretFiles, settleFileIds, type DockerfileSources } from "../analyse/batch-ids.js";
import { readDockerfile, type ProcessOptions } from "./process-file.js";
import { withDirs } from "./safe-file.js";

export function batchSecretIds(dockerfiles: string[], options: ProcessOptions): Map<string, Record<string, string>> {
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
    const sources = copiedSecretFiles(text);
    if (sources.length > 0) files.push({ dockerfile, context, sources });
  }
  return files.length < 2 ? new Map() : settleFileIds(files);
}
