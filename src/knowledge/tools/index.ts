/**
 * The tool catalogue: every tool's row, and the views the rules read from it. A tool is added
 * here with its own file and a fixture (test/knowledge.test.ts checks each row has one).
 */
import { aws } from "./aws.js";
import { bundler } from "./bundler.js";
import { composer } from "./composer.js";
import { git } from "./git.js";
import { huggingface } from "./huggingface.js";
import { gcloud, otherLogins, registryLogin } from "./no-file-free-form.js";
import { nuget } from "./nuget.js";
import { ENVIRONMENT_READERS } from "./environment-readers.js";
import { cargo, npm, pip, poetry, yarn } from "./package-registries.js";
import type { StoringCommand, Tool } from "./types.js";

export type { Piece, StoringCommand, Tool } from "./types.js";

export const TOOLS: readonly Tool[] = [
  ...[git, composer, bundler, aws, nuget, yarn, cargo, poetry, pip, npm, huggingface, gcloud, registryLogin, otherLogins],
  ...ENVIRONMENT_READERS,
];

export interface StoringRow {
  tool: Tool;
  row: StoringCommand;
}

/** The catalogue row of a command that stores a credential in a file, if it is one (argv[0]: the program's basename). */
export function storingCommand(argv: readonly string[]): StoringRow | null {
  if (argv.length === 0) return null;
  for (const tool of TOOLS) for (const row of tool.stores) if (row.match(argv)) return { tool, row };
  return null;
}

/** VITE_/REACT_APP_ names are read by the bundler, not by a CLI (VITE_FOO is not FOO). */
const BUNDLER_PREFIX = /^(?:VITE_|REACT_APP_)/i;

/**
 * The programs that read this variable from their environment without the RUN naming it
 * (e.g. NPM_TOKEN ← npm, npx, pnpm, yarn); [] if none. Case-sensitive, as environment variables
 * are on Linux, except patterns written with the `i` flag (npm matches npm_config_* in any case).
 */
export function implicitEnvReaders(name: string): string[] {
  const trimmed = name.trim();
  if (BUNDLER_PREFIX.test(trimmed)) return [];
  const out = new Set<string>();
  for (const tool of TOOLS) {
    if (!tool.environment?.some((v) => (typeof v === "string" ? v === trimmed : v.test(trimmed)))) continue;
    for (const p of tool.environmentReaders ?? tool.readers) out.add(p);
  }
  return [...out];
}

/** A tool that fills `${…}` references of a file with this basename from its environment. */
export interface ExpandingFile {
  tool: Tool;
  /** The variables the file's text refers to. */
  names: Set<string>;
}

/** The variables a build-context file refers to, for the tool that expands them; null when no tool reads such a file. */
export function expandingFile(basename: string, text: string): ExpandingFile | null {
  for (const tool of TOOLS) {
    for (const e of tool.expandsIn ?? []) {
      if (!e.file.test(basename)) continue;
      const names = new Set<string>();
      for (const m of text.matchAll(new RegExp(e.reference.source, "g"))) names.add(m[1]);
      return { tool, names };
    }
  }
  return null;
}
