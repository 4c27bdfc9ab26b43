/**
 * The conventions both commands share with hadolint, ruff, ESLint and Prettier: colour flags,
 * configuration flags, rules switched off on the command line, output to a file, a build
 * context checked before anything is written.
 */
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { InvalidArgumentError, Option, type Command } from "commander";
import { RULES } from "../analyse/rules.js";
import { escapeText } from "../emit/escape.js";
import { closest } from "../config/config.js";
import type { ConfigChoice } from "./project-config.js";

export interface ConventionOptions {
  /** --color / --no-color; undefined: FORCE_COLOR, NO_COLOR, then the terminal decide. */
  color?: boolean;
  /** --config <file>, or false for --no-config. */
  config?: string | false;
  printConfig?: string;
  ignore: string[];
  output?: string;
  stdinFilename?: string;
  /** --no-call-sites: false. */
  callSites: boolean;
}

export function withConventionOptions(cmd: Command): Command {
  return cmd
    .option("--color", "coloured output even when not on a terminal (also FORCE_COLOR=1)")
    .option("--no-color", "plain output even on a terminal (also NO_COLOR=1 or FORCE_COLOR=0)")
    .option("-c, --config <file>", "use this configuration file alone, for every Dockerfile (no search)")
    .option("--no-config", "read no configuration file")
    .option("--print-config <file>", "print the configuration that applies to a file, and the files it comes from, then exit")
    .option("--ignore <rule>", "switch a rule off (repeatable), whatever the configuration says", ruleList, [])
    .option("-o, --output <file>", "write what would go to stdout to this file")
    .option("--stdin-filename <path>", "with - as the path: the file the text read on stdin stands for (configuration, messages)")
    .option("--no-call-sites", "do not search the repository above the given paths for the builds that call them");
}

function ruleList(value: string, previous: string[]): string[] {
  const ids = Object.keys(RULES);
  const out = [...previous];
  for (const rule of value.split(",").map((r) => r.trim()).filter(Boolean)) {
    if (!ids.includes(rule)) {
      const hint = closest(rule, ids);
      throw new InvalidArgumentError(`unknown rule ${escapeText(rule)}${hint ? ` (did you mean ${hint}?)` : ""}; see unbake rules`);
    }
    if (!out.includes(rule)) out.push(rule);
  }
  return out;
}

/** The configuration part of the workers' options. */
export function configChoice(o: ConventionOptions, cwd: string): Pick<ConfigChoice, "noConfig" | "configFile" | "ignoreRules"> {
  return {
    ...(o.config === false ? { noConfig: true } : {}),
    ...(typeof o.config === "string" ? { configFile: resolve(cwd, o.config) } : {}),
    ...(o.ignore.length > 0 ? { ignoreRules: o.ignore } : {}),
  };
}

/**
 * A usage error for a --context that is no folder, before any file is read or written: found
 * later, it left a Dockerfile rewritten and its .dockerignore not.
 */
export function contextProblem(context: string | undefined, cwd: string): string | null {
  if (context === undefined) return null;
  const st = statSync(resolve(cwd, context), { throwIfNoEntry: false });
  if (st?.isDirectory()) return null;
  return `unbake: --context ${escapeText(context)}: ${st ? "not a folder" : "no such folder"}\n`;
}

/** The jobs option, with its default described once. */
export function jobsOption(parse: (v: string) => number, cores: number): Option {
  return new Option("-j, --jobs <n>", "files processed in parallel").argParser(parse).default(cores, "the number of cores");
}
