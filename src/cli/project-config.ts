/**
 * The configuration file that applies to each Dockerfile, as the pipeline and the CLI use it.
 * One loader per thread: it caches per folder, so a batch reads each config file once.
 */
import { existsSync, statSync } from "node:fs";
import { basename, dirname } from "node:path";
import { CONFIG_FILE_NAMES, ConfigLoader, loadConfigFile, type ConfigFs, type LoadedConfig } from "../config/load-config.js";
import { classifiersOf, mergeConfigs, type ConfigError, type UnbakeConfig } from "../config/config.js";
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

/** What the command line says about configuration (kept in the options the workers get). */
export interface ConfigChoice {
  /** No configuration file applies to any file of the batch (--no-config, or none was found). */
  noConfig?: boolean;
  /** --config <file>: this file applies alone to every Dockerfile (absolute). */
  configFile?: string;
  /** --ignore <rule>: rules switched off whatever the files say. */
  ignoreRules?: string[];
  roots?: Roots;
}

let explicit: { file: string; loaded: LoadedConfig } | null = null;

/** The configuration a Dockerfile gets: the file search, --config or --no-config, then --ignore on top. */
export function configOf(dockerfile: string, choice: ConfigChoice): LoadedConfig {
  let loaded: LoadedConfig;
  if (choice.configFile !== undefined) {
    if (explicit?.file !== choice.configFile) {
      // Given by name: read like any file the user named (the file itself is its root).
      const file = choice.configFile;
      explicit = { file, loaded: loadConfigFile(file, { existsSync, readFileSync: (f) => readInside(f, withDirs(undefined, [], [file])).toString("utf8") }) };
    }
    loaded = explicit.loaded;
  } else loaded = choice.noConfig ? NO_CONFIG : configFor(dockerfile, choice.roots);
  return withIgnored(loaded, choice.ignoreRules ?? []);
}

/** --ignore: the rules are off, over whatever the configuration says. */
function withIgnored(loaded: LoadedConfig, rules: string[]): LoadedConfig {
  if (rules.length === 0) return loaded;
  const off: UnbakeConfig = { rules: Object.fromEntries(rules.map((r) => [r, "off"])) };
  const config = mergeConfigs(loaded.config, off);
  return { ...loaded, config, classifiers: classifiersOf(config) };
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
export function applyConfigs(
  files: string[],
  show: (path: string) => string,
  roots?: Roots,
  choice: ConfigChoice = { roots },
): { files: string[]; errors: string[]; warnings: string[] } {
  const kept: string[] = [];
  const errors = new Map<string, string>();
  const warnings = new Set<string>();
  for (const file of files) {
    const loaded = configOf(file, { ...choice, roots });
    for (const e of loaded.errors) {
      const line = describeConfigError(e, show);
      errors.set(line, line);
    }
    for (const w of loaded.warnings ?? []) warnings.add(describeConfigError({ ...w, message: `warning: ${w.message}` }, show));
    if (!loaded.isExcluded(file)) kept.push(file);
  }
  return { files: kept, errors: [...errors.values()], warnings: [...warnings] };
}

/**
 * `--print-config <file>`: the configuration that applies to that file, as JSON, with the files
 * it came from (nearest first): the cascade made visible.
 */
export function printedConfig(
  file: string,
  choice: ConfigChoice,
  show: (path: string) => string = (p) => p,
): { text: string; errors: ConfigError[]; warnings: ConfigError[] } {
  const loaded = configOf(file, choice);
  const text = JSON.stringify({ files: loaded.files.map(show), config: loaded.config }, null, 2) + "\n";
  return { text, errors: loaded.errors, warnings: loaded.warnings ?? [] };
}
