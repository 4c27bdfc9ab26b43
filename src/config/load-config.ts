/**
 * Finding and reading configuration files (synchronous: it runs per Dockerfile in a hot loop,
 * and every result is cached per folder, so a batch reads each config file at most once).
 *
 * From a Dockerfile's folder upward, the first folder that has a config wins:
 *   unbake.config.json  >  .unbakerc.json  >  package.json "unbake" key
 * (two or more of them in one folder is an error naming them; the first in that order is used).
 * The search stops at the first folder with a config, at a folder containing `.git` (file or
 * folder), or at the filesystem root. A config with `"root": false` also merges the next config
 * up under it (found the same way, from its parent folder; never past a `.git` folder).
 *
 * A package.json counts only when it has a top-level "unbake" key; an unparsable package.json
 * is an error only if its text contains `"unbake"`, otherwise it is ignored. A folder whose
 * config file cannot be read or parsed still ends the search: its config is `{}` and the
 * error is reported, rather than silently using a config further up.
 */
import * as nodeFs from "node:fs";
import * as path from "node:path";
import picomatch from "picomatch";
import {
  classifiersOf,
  keyPath,
  mergeConfigs,
  parseConfigJson,
  validateConfig,
  type Classifiers,
  type ConfigError,
  type UnbakeConfig,
} from "./config.js";

export const CONFIG_FILE_NAMES = ["unbake.config.json", ".unbakerc.json", "package.json"] as const;

export interface LoadedConfig {
  /** The merged config (nearest wins); `{}` when no config applies. */
  config: UnbakeConfig;
  /** The config files that applied, nearest first. */
  files: string[];
  /** Problems in those files (and in the folders searched), nearest first. */
  errors: ConfigError[];
  /** What is legal but likely unintended (an empty file that hides the configs above it), nearest first. */
  warnings?: ConfigError[];
  /**
   * Whether an absolute path is excluded by the `exclude` globs of the applied configs. Each
   * file's globs are matched against the path relative to that file's folder (a leading "./" or
   * "/" of a glob is dropped), against every leading part of it (`legacy` and `legacy/**` both
   * exclude legacy/api/Dockerfile) and against every single path segment (`*.bak` excludes any
   * file or folder so named). Paths outside the config's folder are never excluded by it.
   */
  isExcluded(absPath: string): boolean;
  /** classifiersOf(config), compiled once per distinct result. */
  classifiers: Classifiers;
}

/** The filesystem calls used (node:fs by default). Tests pass a wrapper that counts them. */
export interface ConfigFs {
  readFileSync(path: string, encoding: "utf8"): string;
  existsSync(path: string): boolean;
}

interface FolderConfig {
  /** The file that applies in this folder, or null when there is none. */
  file: string | null;
  config: UnbakeConfig;
  errors: ConfigError[];
  warnings?: ConfigError[];
}

const NONE: LoadedConfig = Object.freeze({
  config: {},
  files: [],
  errors: [],
  isExcluded: () => false,
  classifiers: classifiersOf({}),
});

export class ConfigLoader {
  private readonly byFolder = new Map<string, LoadedConfig>();
  private readonly seenErrors: ConfigError[] = [];

  constructor(private readonly fs: ConfigFs = nodeFs) {}

  /** Config for a Dockerfile at `file` (absolute; a relative path is resolved against the cwd). */
  forFile(file: string): LoadedConfig {
    return this.forFolder(path.dirname(path.resolve(file)));
  }

  /** Config that applies to files in `folder` (absolute). */
  forFolder(folder: string): LoadedConfig {
    const dir = path.resolve(folder);
    // Walk up to the first folder already resolved or that decides, then fill the cache on the way down.
    const pending: string[] = [];
    let cur = dir;
    let result: LoadedConfig | undefined;
    for (;;) {
      const cached = this.byFolder.get(cur);
      if (cached) {
        result = cached;
        break;
      }
      const own = this.readFolder(cur);
      if (own.file !== null || own.errors.length > 0) {
        result = this.withParent(cur, own);
        this.byFolder.set(cur, result);
        break;
      }
      const parent = path.dirname(cur);
      if (parent === cur || this.hasGit(cur)) {
        result = NONE;
        this.byFolder.set(cur, result);
        break;
      }
      pending.push(cur);
      cur = parent;
    }
    for (const p of pending) this.byFolder.set(p, result);
    return result;
  }

  /** Every error of every config file read so far, each once, in the order they were found. */
  allErrors(): ConfigError[] {
    return [...this.seenErrors];
  }

  private withParent(dir: string, own: FolderConfig): LoadedConfig {
    let inherited: LoadedConfig = NONE;
    const parentDir = path.dirname(dir);
    if (own.config.root === false && parentDir !== dir && !this.hasGit(dir)) {
      inherited = this.forFolder(parentDir);
    }
    const ownExclude = own.file !== null ? excludeMatcher(path.dirname(own.file), own.config.exclude ?? []) : null;
    const config = inherited === NONE ? own.config : mergeConfigs(inherited.config, own.config);
    const isExcluded =
      ownExclude === null
        ? inherited.isExcluded
        : inherited === NONE
          ? ownExclude
          : (p: string) => ownExclude(p) || inherited.isExcluded(p);
    return {
      config,
      files: own.file !== null ? [own.file, ...inherited.files] : [...inherited.files],
      errors: [...own.errors, ...inherited.errors],
      warnings: [...(own.warnings ?? []), ...(inherited.warnings ?? [])],
      isExcluded,
      classifiers: classifiersOf(config),
    };
  }

  private hasGit(dir: string): boolean {
    return this.fs.existsSync(path.join(dir, ".git"));
  }

  /** Reads the config files of one folder (called once per folder). */
  private readFolder(dir: string): FolderConfig {
    const errors: ConfigError[] = [];
    const found: Array<{ file: string; raw: unknown; prefix: string }> = [];
    for (const name of CONFIG_FILE_NAMES) {
      const file = path.join(dir, name);
      const read = this.read(file);
      if (read.text === undefined) {
        if (read.error) errors.push({ file, key: "", message: read.error });
        continue;
      }
      if (name === "package.json") {
        if (!read.text.includes('"unbake"')) continue;
        const parsed = parseConfigJson(read.text, file);
        if (parsed.error) {
          errors.push(parsed.error);
          continue;
        }
        const pkg = parsed.value;
        if (typeof pkg !== "object" || pkg === null || Array.isArray(pkg) || !Object.hasOwn(pkg, "unbake")) continue;
        found.push({ file, raw: (pkg as Record<string, unknown>)["unbake"], prefix: "unbake" });
        continue;
      }
      const parsed = parseConfigJson(read.text, file);
      if (parsed.error) {
        errors.push(parsed.error);
        found.push({ file, raw: {}, prefix: "" });
      } else found.push({ file, raw: parsed.value, prefix: "" });
    }
    if (found.length > 1) {
      const names = found.map((f) => path.basename(f.file));
      errors.unshift({
        file: found[0]!.file,
        key: "",
        message: `more than one configuration file in ${dir}: ${names.slice(0, -1).join(", ")} and ${names.at(-1)}; keep one`,
      });
    }
    const chosen = found[0];
    if (!chosen) {
      this.seenErrors.push(...errors);
      return { file: null, config: {}, errors };
    }
    const { config, errors: invalid } = validateConfig(chosen.raw, chosen.file);
    for (const e of invalid) {
      if (chosen.prefix !== "") e.key = e.key === "" ? chosen.prefix : prefixKey(chosen.prefix, e.key);
      errors.push(e);
    }
    this.seenErrors.push(...errors);
    return { file: chosen.file, config, errors, warnings: emptyWarning(chosen.file, chosen.raw, chosen.prefix, errors.length === 0) };
  }

  private read(file: string): { text?: string; error?: string } {
    try {
      return { text: this.fs.readFileSync(file, "utf8") };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return {};
      return { error: `cannot read: ${code ?? (e as Error).message}` };
    }
  }
}

/**
 * The nearest configuration applies alone (unless it says `"root": false`): an empty one
 * silently drops every setting above it. That is allowed, and said.
 */
function emptyWarning(file: string, raw: unknown, prefix: string, valid: boolean): ConfigError[] {
  if (!valid || typeof raw !== "object" || raw === null || Array.isArray(raw) || Object.keys(raw).length > 0) return [];
  return [
    {
      file,
      key: prefix,
      message: 'empty configuration: it applies alone, so no configuration file above it is used (add "root": false to use them, or delete it)',
    },
  ];
}

/**
 * One configuration file given by name (`--config`): it applies alone to every Dockerfile, its
 * `root` is ignored, its excludes are relative to its folder. In a package.json, its "unbake" key.
 */
export function loadConfigFile(file: string, fs: ConfigFs = nodeFs): LoadedConfig {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(abs, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ...NONE, files: [abs], errors: [{ file: abs, key: "", message: `cannot read: ${code ?? (e as Error).message}` }] };
  }
  const parsed = parseConfigJson(text, abs);
  if (parsed.error) return { ...NONE, files: [abs], errors: [parsed.error] };
  let raw = parsed.value;
  let prefix = "";
  if (path.basename(abs) === "package.json") {
    const pkg = raw as Record<string, unknown> | null;
    if (typeof pkg !== "object" || pkg === null || Array.isArray(pkg) || !Object.hasOwn(pkg, "unbake")) {
      return { ...NONE, files: [abs], errors: [{ file: abs, key: "", message: 'no "unbake" key' }] };
    }
    raw = pkg["unbake"];
    prefix = "unbake";
  }
  const { config, errors } = validateConfig(raw, abs);
  for (const e of errors) if (prefix !== "") e.key = e.key === "" ? prefix : prefixKey(prefix, e.key);
  const { root: _root, ...applied } = config;
  void _root;
  return {
    config: applied,
    files: [abs],
    errors,
    warnings: [],
    isExcluded: excludeMatcher(path.dirname(abs), applied.exclude ?? []) ?? (() => false),
    classifiers: classifiersOf(applied),
  };
}

/** "unbake" + "secretNames[2]" -> "unbake.secretNames[2]"; "unbake" + `ids[".npmrc"]` stays a path. */
function prefixKey(prefix: string, key: string): string {
  if (key.startsWith("[")) return `${prefix}${key}`;
  const m = /^([^.[]+)(.*)$/s.exec(key)!;
  return keyPath(prefix, m[1]!) + m[2]!;
}

function excludeMatcher(dir: string, globs: readonly string[]): ((absPath: string) => boolean) | null {
  const patterns = globs.map((g) => g.trim().replace(/^(?:\.\/)+/, "").replace(/^\/+/, "")).filter((g) => g !== "");
  if (patterns.length === 0) return null;
  const isMatch = picomatch(patterns, { dot: true });
  return (absPath) => {
    const rel = path.relative(dir, path.resolve(absPath));
    if (rel === "" || rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return false;
    const segments = rel.split(path.sep);
    let prefix = "";
    for (const seg of segments) {
      prefix = prefix === "" ? seg : `${prefix}/${seg}`;
      if (isMatch(prefix) || isMatch(seg)) return true;
    }
    return false;
  };
}
