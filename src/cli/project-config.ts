/**
 * The configuration file that applies to each Dockerfile, as the pipeline and the CLI use it.
 * One loader per thread: it caches per folder, so a batch reads each config file once.
 */
import { existsSync, statSync } from "node:fs";
import { basename, dirname } from "node:path";
import { CONFIG_FILE_NAMES, ConfigLoader, type ConfigFs, type LoadedConfig } from "../config/load-config.js";
import type { ConfigError } from "../config/config.js";
import type { AnalyseSettings, MountStyle } from "../types.js";
import { readInside, withDirs, type Roots } from "./safe-file.js";

let loader: ConfigLoader | null = null;
let loaderRoots: Roots | undefined;

/** One loader per thread and batch (the roots of a batch are one object, also in a worker). */
function loaderFor(roots: Roots | undefined): ConfigLoader {
  if (loader === null || loaderRoots !== roots) {
    loader = new ConfigLoader(configFs(roots));
    loaderRoots = roots;
  }
  return loader;
}

/**
 * Configuration files are read like every other file (regular, bounded, opened without
 * blocking). The search goes up past the given paths by design, so a config file may lie inside
 * the roots or in the folder it was found in — never behind a link that leads elsewhere.
 */
function configFs(roots: Roots | undefined): ConfigFs {
  return {
    existsSync,
    readFileSync: (file) => readInside(file, withDirs(roots, [dirname(file)])).toString("utf8"),
  };
}

/** What applies when no configuration file does. */
export const NO_CONFIG: LoadedConfig = {
  config: {},
  files: [],
  errors: [],
  isExcluded: () => false,
  classifiers: { isSecretName: () => undefined, isSecretFile: () => undefined, idFor: () => undefined, severity: () => undefined },
};

export function configFor(dockerfile: string, roots?: Roots): LoadedConfig {
  return loaderFor(roots).forFile(dockerfile);
}

/**
 * Pipeline settings from a configuration. Name and file classifiers are set only when the
 * configuration adds secrets: an allow-list only removes findings, so the pre-check stays exact.
 */
export function settingsOf(loaded: LoadedConfig): AnalyseSettings {
  const { config, classifiers } = loaded;
  const adds = (config.secretNames?.length ?? 0) > 0;
  const addsFiles = (config.secretFiles?.length ?? 0) > 0;
  const allowsNames = (config.allow?.names?.length ?? 0) > 0;
  const allowsFiles = (config.allow?.files?.length ?? 0) > 0;
  return {
    addsSecrets: adds || addsFiles,
    ...(adds || allowsNames ? { isSecretName: (n: string) => classifiers.isSecretName(n) } : {}),
    ...(addsFiles || allowsFiles ? { isSecretFile: (p: string) => classifiers.isSecretFile(p) } : {}),
    ...(config.ids ? { idFor: (k: string) => classifiers.idFor(k) } : {}),
    ...(config.rules ? { severity: (r) => classifiers.severity(r) } : {}),
  };
}

export function mountStyleOf(loaded: LoadedConfig, fromCli: MountStyle | undefined, fallback: MountStyle): MountStyle {
  return fromCli ?? loaded.config.mountStyle ?? fallback;
}

/** `file: key: message` (an invalid JSON message already says where). */
export function describeConfigError(e: ConfigError, show: (path: string) => string): string {
  return `${show(e.file)}: ${e.key ? `${e.key}: ` : ""}${e.message}`;
}

/** Is this a configuration file's name (for the walk to collect)? */
export function isConfigName(relPath: string): boolean {
  return (CONFIG_FILE_NAMES as readonly string[]).includes(basename(relPath));
}

/**
 * Can the batch skip configuration lookups altogether? Yes when the walk met no configuration
 * file under the given folders and none applies above them: the common case, where looking up
 * every folder's ancestors (in this thread and each worker) would cost more than the analysis.
 */
export function noConfigApplies(collected: string[], paths: string[], roots?: Roots): boolean {
  if (collected.some(isConfigName)) return false;
  const loader = loaderFor(roots);
  return paths.every((r) => {
    const folder = statSync(r, { throwIfNoEntry: false })?.isDirectory() ? r : dirname(r);
    const loaded = loader.forFolder(folder);
    return loaded.files.length === 0 && loaded.errors.length === 0;
  });
}

/**
 * The files a batch keeps after each one's configuration (`exclude`), and every configuration
 * error once, as lines to print.
 */
export function applyConfigs(files: string[], show: (path: string) => string, roots?: Roots): { files: string[]; errors: string[] } {
  const kept: string[] = [];
  const errors = new Map<string, string>();
  for (const file of files) {
    const loaded = configFor(file, roots);
    for (const e of loaded.errors) {
      const line = describeConfigError(e, show);
      errors.set(line, line);
    }
    if (!loaded.isExcluded(file)) kept.push(file);
  }
  return { files: kept, errors: [...errors.values()] };
}
