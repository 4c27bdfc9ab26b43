/**
 * The build commands that supply each secret a rewritten Dockerfile now mounts
 * (REFERENCE §4). Commands are meant to run in the build context folder, so `src=` paths are
 * relative to it, like the COPY sources they replace.
 */
import type { Secret } from "../types.js";
import { hasUnsafeText } from "./escape.js";

export interface BuildTarget {
  /** The Dockerfile, relative to the build context. */
  dockerfile: string;
  secrets: Secret[];
}

/**
 * One shell word. A word with a character a terminal or a line reader would act on (a control
 * character, a line break, a bidi control) is written `$'…'` with escapes (bash, zsh, ksh,
 * busybox and POSIX 2024 sh read it), so the printed command stays one line and shows the name.
 */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./:=,@%+-]+$/.test(word)) return word;
  if (!hasUnsafeText(word)) return `'${word.replace(/'/g, `'\\''`)}'`;
  let out = "";
  for (const ch of word) {
    if (ch === "\\" || ch === "'") out += `\\${ch}`;
    else if (hasUnsafeText(ch)) for (const byte of UTF8.encode(ch)) out += `\\${byte.toString(8).padStart(3, "0")}`;
    else out += ch;
  }
  return `$'${out}'`;
}

const UTF8 = new TextEncoder();

/** `--secret` values for the secrets a build needs (an ssh key forwarded from the agent needs none). */
export function secretFlags(secrets: Secret[]): string[] {
  return secrets
    .filter((s) => s.usage === "build" && !s.unfixed && !s.onbuild && !s.ssh)
    .map((s) => (s.source.type === "env" ? `id=${s.id},env=${s.source.name}` : `id=${s.id},src=${s.source.path}`));
}

/** `--ssh` values: the agent ids the RUNs' `--mount=type=ssh` use (REFERENCE §2), once each. */
export function sshForwards(secrets: Secret[]): string[] {
  return [...new Set(secrets.filter((s) => s.usage === "build" && !s.unfixed && !s.onbuild).flatMap((s) => s.ssh ?? []))];
}

export function dockerBuildCommand(target: BuildTarget): string {
  const parts = ["docker", "build"];
  if (target.dockerfile !== "Dockerfile") parts.push("-f", shellQuote(target.dockerfile));
  for (const flag of secretFlags(target.secrets)) parts.push("--secret", shellQuote(flag));
  for (const id of sshForwards(target.secrets)) parts.push("--ssh", shellQuote(id));
  parts.push(".");
  return parts.join(" ");
}
