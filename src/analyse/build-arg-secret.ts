/**
 * Rule `build-arg-secret`: a build still passes a secret through `--build-arg` (scripts,
 * Makefiles, CI files), compose `build.args`, build-push-action `build-args` or bake `args`.
 * A build argument is recorded in the image history and in provenance attestations: the
 * secret reaches them even when the Dockerfile no longer declares it.
 *
 * Unlike the other rules it is about a call-site file, not a Dockerfile. It reuses the
 * call-site rewriters (src/callsites): what they would migrate for one secret argument is
 * where that argument is passed; what they leave for a person is reported as manual. Each
 * finding's range is the argument as written on its line (`--build-arg NPM_TOKEN=…`,
 * `NPM_TOKEN: ${NPM_TOKEN}`, `NPM_TOKEN = "…"`). Messages come from a table, by id.
 */
import { rewriteCallSites } from "../callsites/index.js";
import type { Migration } from "../callsites/types.js";
import type { Finding } from "../types.js";

export const BUILD_ARG_SECRET = "build-arg-secret" as const;

/** The rule's messages, by id (ESLint's `meta.messages`). */
export const MESSAGES = {
  passesSecret:
    "build argument {name} passes a secret to {dockerfile}; a build argument is recorded in the image history: pass it as a secret (--secret id={id},env={name}); unbake --write migrates it",
  passesSecretManual: "build argument {name} passes a secret to {dockerfile}; unbake cannot migrate it: {reason}",
  passesMountedSecret:
    "build argument {name} goes to {dockerfile}, which takes {name} as a secret mount: the argument reaches no step and the secret is not supplied; pass it as a secret (--secret id={id},env={name}); unbake --write migrates it",
} as const;

export type MessageId = keyof typeof MESSAGES;

export function message(id: MessageId, data: Record<string, string>): string {
  return MESSAGES[id].replace(/\{(\w+)\}/g, (m, k: string) => data[k] ?? m);
}

/** Where an argument is written on its line: [start, end) in the line, or null when the name is not on it. */
export function argumentRange(line: string, name: string): [number, number] | null {
  const word = new RegExp(`(?<![A-Za-z0-9_])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![A-Za-z0-9_])`, "g");
  const at: number[] = [];
  for (let m = word.exec(line); m !== null; m = word.exec(line)) at.push(m.index);
  if (at.length === 0) return null;
  // `--build-arg NAME…`, `--build-arg=NAME…`, also quoted: from the flag to the end of its word.
  const flag = new RegExp(`--build-arg(?:[ \\t]+|=)["']?(?=${name}(?![A-Za-z0-9_]))`).exec(line);
  if (flag !== null) {
    const valueStart = flag.index + flag[0].length - (/["']$/.test(flag[0]) ? 1 : 0);
    return [flag.index, wordEnd(line, valueStart)];
  }
  // `NAME: value` (YAML), `NAME = value` (HCL), `- NAME=value`, `NAME=value` (a build-args line): to the end of the value.
  const start = at.find((i) => /^\s*[:=]/.test(line.slice(i + name.length))) ?? at[0];
  const rest = line.slice(start + name.length);
  if (/^\s*(:\s|=\s|:$|\s+=)/.test(rest)) {
    const body = line.slice(start).replace(/\s+#.*$/, "").replace(/[\s,]+$/, "");
    return [start, start + body.length];
  }
  return [start, wordEnd(line, start)];
}

/** The end of a shell-like word starting at `from`: the first blank outside quotes. */
function wordEnd(line: string, from: number): number {
  let quote: string | null = null;
  let i = from;
  for (; i < line.length; i++) {
    const c = line[i];
    if (quote !== null) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"') i++;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "\\") i++;
    else if (c === " " || c === "\t") break;
  }
  return Math.min(i, line.length);
}

/**
 * The findings of one call-site file: each secret argument a migration removed from a
 * Dockerfile, where this file still passes it. `show` names a Dockerfile in messages.
 */
export function buildArgSecretFindings(
  file: string,
  text: string,
  migrations: Migration[],
  repoRoot: string,
  show: (dockerfile: string) => string,
): Finding[] {
  const lines = text.split("\n");
  const seen = new Set<string>();
  const out: Finding[] = [];
  const add = (lineNo: number, name: string, status: Finding["status"], msg: string, secretId: string) => {
    const lineText = (lines[lineNo - 1] ?? "").replace(/\r$/, "");
    const range = argumentRange(lineText, name);
    if (range === null) return;
    const key = `${lineNo}:${range[0]}:${name}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ rule: BUILD_ARG_SECRET, line: lineNo, column: range[0] + 1, endLine: lineNo, endColumn: range[1] + 1, message: msg, status, secretId });
  };
  for (const m of migrations) {
    for (const arg of m.args) {
      const edit = rewriteCallSites(file, text, [{ ...m, args: [arg], files: [] }], repoRoot);
      if (!edit) continue;
      const data = { name: arg.name, id: arg.id, dockerfile: show(m.dockerfile) };
      for (const c of edit.changes) add(c.line, arg.name, "fixed", message(arg.mounted ? "passesMountedSecret" : "passesSecret", data), arg.id);
      for (const x of edit.manual) add(x.line, arg.name, "manual", message("passesSecretManual", { ...data, reason: x.reason }), arg.id);
    }
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}
