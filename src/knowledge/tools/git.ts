/**
 * git: `git config --global url."https://${TOKEN}@host/".insteadOf …` (and any other key whose
 * value carries the credential, e.g. http.extraheader) stores it in ~/.gitconfig. git ≥ 2.31
 * reads the same settings from GIT_CONFIG_COUNT / GIT_CONFIG_KEY_<n> / GIT_CONFIG_VALUE_<n>
 * (git-config(1), ENVIRONMENT; REFERENCE §8, §9).
 */
import { splitFlags, type Piece, type Tool } from "./types.js";

/** Programs that run git on their own: module downloads and git dependencies of package managers (REFERENCE §9). */
export const RUNS_GIT = ["git", "go", "npm", "npx", "pnpm", "yarn", "pip", "pip3", "pipenv", "poetry", "uv", "bundle", "bundler", "composer", "cargo", "bower"] as const;

const CONFIG_FLAGS = { "--global": "bool", "--system": "bool", "--add": "bool", "--replace-all": "bool" } as const;

function gitConfig(argv: readonly string[]): Piece[] | string {
  const args = argv.slice(2);
  if (args[0] === "set") args.shift(); // git ≥ 2.46: `git config set [--global] <key> <value>`
  const split = splitFlags(args, CONFIG_FLAGS);
  if (typeof split === "string") return split;
  if (!split.flags.has("--global") && !split.flags.has("--system")) {
    return "without --global it writes the repository's own .git/config, which a variable would widen to every repository";
  }
  if (split.rest.length !== 2) return "it does not set one key to one value";
  const [key, value] = split.rest;
  return [{ kind: "git", key, value }];
}

export const git: Tool = {
  name: "git",
  readers: RUNS_GIT,
  environment: [/^GIT_CONFIG_(?:COUNT|KEY_\d+|VALUE_\d+)$/],
  stores: [
    {
      id: "git-config",
      match: (a) => a[0] === "git" && a[1] === "config",
      writes: "~/.gitconfig",
      fileFree: gitConfig,
      docs: "git-config(1) ENVIRONMENT: GIT_CONFIG_COUNT, GIT_CONFIG_KEY_<n>, GIT_CONFIG_VALUE_<n> (git 2.31)",
    },
    {
      id: "git-clone-url",
      match: (a) => a[0] === "git" && (a[1] === "clone" || (a[1] === "remote" && (a[2] === "add" || a[2] === "set-url"))),
      writes: "the repository's .git/config (the remote URL)",
      manual: "clone from the URL without the credential and give it with GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=url.<URL with it>.insteadOf GIT_CONFIG_VALUE_0=<URL> on that RUN",
      docs: "git-config(1) url.<base>.insteadOf",
    },
  ],
};

/** The variables for git pieces, numbered in order: GIT_CONFIG_COUNT, then each KEY/VALUE pair. */
export function gitAssignments(pieces: { key: string; value: string }[]): { name: string; value: string }[] {
  const out = [{ name: "GIT_CONFIG_COUNT", value: String(pieces.length) }];
  pieces.forEach((p, i) => out.push({ name: `GIT_CONFIG_KEY_${i}`, value: p.key }, { name: `GIT_CONFIG_VALUE_${i}`, value: p.value }));
  return out;
}
