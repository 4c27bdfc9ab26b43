/**
 * The build commands that supply each secret a rewritten Dockerfile now mounts
 * (REFERENCE §4). Commands are meant to run in the build context folder, so `src=` paths are
 * relative to it, like the COPY sources they replace.
 */
import type { Secret } from "../types.js";

export interface BuildTarget {
  /** The Dockerfile, relative to the build context. */
  dockerfile: string;
  secrets: Secret[];
}

export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `--secret` values for the secrets a build needs. */
export function secretFlags(secrets: Secret[]): string[] {
  return secrets
    .filter((s) => s.usage === "build" && !s.unfixed)
    .map((s) => (s.source.type === "env" ? `id=${s.id},env=${s.source.name}` : `id=${s.id},src=${s.source.path}`));
}

export function dockerBuildCommand(target: BuildTarget): string {
  const parts = ["docker", "build"];
  if (target.dockerfile !== "Dockerfile") parts.push("-f", shellQuote(target.dockerfile));
  for (const flag of secretFlags(target.secrets)) parts.push("--secret", shellQuote(flag));
  parts.push(".");
  return parts.join(" ");
}
