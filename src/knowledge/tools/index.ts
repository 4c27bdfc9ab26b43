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
import { cargo, npm, pip, poetry, yarn } from "./package-registries.js";
import type { StoringCommand, Tool } from "./types.js";

export type { Piece, StoringCommand, Tool } from "./types.js";

export const TOOLS: readonly Tool[] = [git, composer, bundler, aws, nuget, yarn, cargo, poetry, pip, npm, huggingface, gcloud, registryLogin, otherLogins];

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
