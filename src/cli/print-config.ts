/**
 * `--print-config <file>`: the configuration that applies to a file and the files it comes
 * from, nearest first (ESLint's --print-config), so the nearest-wins rule is never a surprise.
 * Exit 0, or 2 when a configuration file has errors (printed as the batch prints them).
 */
import { dirname, resolve } from "node:path";
import { escapeText, safeJson } from "../emit/escape.js";
import { displayPath } from "./display-path.js";
import { describeConfigError, printedConfig, type ConfigChoice } from "./project-config.js";
import { withDirs } from "./safe-file.js";

export function printConfig(
  file: string,
  choice: Omit<ConfigChoice, "roots">,
  io: { stdout: { write(s: string): unknown }; stderr: { write(s: string): unknown }; cwd: string },
): number {
  const abs = resolve(io.cwd, file);
  const show = (p: string) => displayPath(p, io.cwd);
  // The file named and its folder are the given paths; the search goes up from there.
  const r = printedConfig(abs, { ...choice, roots: withDirs(undefined, [dirname(abs)], [abs]) }, show);
  for (const w of r.warnings) io.stderr.write(`${escapeText(describeConfigError({ ...w, message: `warning: ${w.message}` }, show))}\n`);
  for (const e of r.errors) io.stderr.write(`${escapeText(describeConfigError(e, show))}\n`);
  io.stdout.write(safeJson(r.text));
  return r.errors.length > 0 ? 2 : 0;
}
