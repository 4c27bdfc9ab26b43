/**
 * What both commands do before running a batch: start the workers (they load while the tree is
 * walked), walk the given paths, and apply each Dockerfile's configuration file (excludes,
 * errors) — or learn that none applies, so that no thread looks one up per file.
 */
import { resolve } from "node:path";
import { findDockerfiles, type FindProblem } from "./find-dockerfiles.js";
import { startPool, type WorkerPool } from "./batch.js";
import type { ProcessOptions } from "./process-file.js";
import { displayPath } from "./display-path.js";
import { applyConfigs, isConfigName, noConfigApplies } from "./project-config.js";
import { rootsOf } from "./safe-file.js";

export interface PreparedBatch {
  /** Dockerfiles to process, in order, after configuration excludes. */
  dockerfiles: string[];
  /** Other files the walk collected (alsoCollect), configuration files included. */
  others: string[];
  problems: FindProblem[];
  /** Configuration errors, one printable line each. */
  configErrors: string[];
  /** Configuration warnings (an empty file that hides the ones above it), one printable line each. */
  configWarnings: string[];
  pool: WorkerPool | null;
}

export async function prepareBatch(
  paths: string[],
  processOptions: ProcessOptions,
  walk: { jobs: number; exclude: string[]; alsoCollect?: (relPath: string) => boolean },
): Promise<PreparedBatch> {
  const roots = paths.map((p) => resolve(processOptions.cwd, p));
  // Before the workers start: they get the options once. An explicit --context is the user's choice too.
  processOptions.roots = rootsOf(roots, processOptions.context === undefined ? [] : [processOptions.context]);
  const pool = startPool(walk.jobs, processOptions);
  const found = await findDockerfiles(roots, {
    exclude: walk.exclude,
    alsoCollect: (rel) => isConfigName(rel) || (walk.alsoCollect?.(rel) ?? false),
  });
  const all = found.files.map((f) => f.path);
  // --no-config: none is read; --config: that one alone, whatever the walk met.
  processOptions.noConfig = processOptions.noConfig === true || (processOptions.configFile === undefined && noConfigApplies(found.others, roots, processOptions.roots));
  const configured =
    processOptions.noConfig && processOptions.configFile === undefined
      ? { files: all, errors: [], warnings: [] }
      : applyConfigs(all, (p) => displayPath(p, processOptions.cwd), processOptions.roots, processOptions);
  return {
    dockerfiles: configured.files,
    others: found.others,
    problems: found.problems,
    configErrors: configured.errors,
    configWarnings: configured.warnings,
    pool,
  };
}
