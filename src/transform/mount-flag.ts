/**
 * The text of a `--mount=type=secret,…` flag. `type=secret` comes first: an option placed
 * before `type=` is parsed against the default bind type (REFERENCE §1).
 */
import type { MountSpec } from "../analyse/plan.js";

export function secretMountFlag(id: string, spec: MountSpec): string {
  const fields = ["type=secret", `id=${id}`];
  if (spec.env) fields.push(`env=${spec.env}`);
  if (spec.target) fields.push(`target=${spec.target}`);
  if (spec.uid !== undefined) fields.push(`uid=${spec.uid}`);
  if (spec.gid !== undefined) fields.push(`gid=${spec.gid}`);
  if (spec.mode !== undefined) fields.push(`mode=${spec.mode}`);
  // The value is CSV: a field holding a comma or quote must be quoted.
  return "--mount=" + fields.map((f) => (/[",\s]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(",");
}

/** For --mount-style file: give the command its variable back from the mounted file. */
export function exportFromSecretFile(id: string, variable: string): string {
  return `export ${variable}="$(cat /run/secrets/${id})" && `;
}
