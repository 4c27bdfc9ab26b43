/**
 * Source files whose name says what they are, and it is no credential: copied under a
 * credential's name (dockle's test copies Dockerfile.base to /credentials.json), they are still
 * a Dockerfile or a document, so the destination's name does not make them a secret. One row per
 * family; only families no tool reads credentials from.
 */
export interface NeverCredentialRow {
  /** Matched against the source's base name. */
  name: RegExp;
  example: string;
  why: string;
}

export const NEVER_CREDENTIAL_FILES: readonly NeverCredentialRow[] = [
  { name: /^(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$/i, example: "Dockerfile.base", why: "a build file: instructions, not credentials" },
  { name: /^[\w.-]+\.(?:Dockerfile|Containerfile)$/i, example: "api.Dockerfile", why: "a build file named by its service" },
  { name: /^(?:README|LICENSE|LICENCE|CHANGELOG|NOTICE|AUTHORS|CONTRIBUTING)(?:\.[\w-]+)?$/i, example: "README.md", why: "project documentation" },
  { name: /^[\w.-]+\.(?:md|markdown|rst|adoc)$/i, example: "notes.md", why: "a document" },
];

/** Is the source (a context path) one of the families above? */
export function isNeverCredential(source: string): boolean {
  const base = source.replace(/\/+$/, "").split("/").pop() ?? "";
  return NEVER_CREDENTIAL_FILES.some((row) => row.name.test(base));
}
