/**
 * The text of a `--mount=type=secret,…` flag. `type=secret` comes first: an option placed
 * before `type=` is parsed against the default bind type (REFERENCE §1).
 */
import type { MountSpec, PlannedSecret } from "../analyse/plan.js";

/**
 * `required`: the build fails when the secret is not supplied. Written `required=true`: the bare
 * key is BuildKit's too, but buildah 1.28 (Debian 12) panics on an option without `=`.
 */
export function secretMountFlag(id: string, spec: MountSpec, required = false): string {
  const fields = ["type=secret", `id=${id}`];
  if (spec.env) fields.push(`env=${spec.env}`);
  if (spec.target) fields.push(`target=${spec.target}`);
  if (spec.uid !== undefined) fields.push(`uid=${spec.uid}`);
  if (spec.gid !== undefined) fields.push(`gid=${spec.gid}`);
  if (spec.mode !== undefined) fields.push(`mode=${spec.mode}`);
  if (required) fields.push("required=true");
  // The value is CSV: a field holding a comma or quote must be quoted.
  return "--mount=" + fields.map((f) => (/[",\s]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(",");
}

/**
 * A file a COPY/ADD named was needed: that build failed without it, so a forgotten `--secret` must
 * fail too (an optional mount is silently absent, and a tool falls back, e.g. npm to the public
 * registry). A variable was not (an unset ARG was empty), nor a file only a copy of the whole
 * context brought in (`COPY . .` built without it).
 */
export function mountIsRequired(secret: Pick<PlannedSecret, "source" | "removals">): boolean {
  return secret.source.type === "file" && secret.removals.some((r) => r.kind === "source");
}

/** For --mount-style file: give the command its variable back from the mounted file. */
export function exportFromSecretFile(id: string, variable: string): string {
  return `export ${variable}="$(cat /run/secrets/${id})" && `;
}

/**
 * `--mount=type=ssh` (the default agent id): BuildKit sets SSH_AUTH_SOCK for it (REFERENCE §2).
 * uid/gid/mode give the socket to a user other than root.
 */
export function sshMountFlag(spec: MountSpec): string {
  const fields = ["type=ssh"];
  if (spec.uid !== undefined) fields.push(`uid=${spec.uid}`);
  if (spec.gid !== undefined) fields.push(`gid=${spec.gid}`);
  if (spec.mode !== undefined) fields.push(`mode=${spec.mode}`);
  return "--mount=" + fields.join(",");
}

/**
 * The ARG's default for a build that does not supply the secret (src/analyse/arg-defaults.ts): the
 * env form then sets the variable to "", the file form exports "". `:-` gives the default to both.
 */
export function defaultFallback(variable: string, value: string): string {
  return `export ${variable}="\${${variable}:-${value}}" && `;
}
