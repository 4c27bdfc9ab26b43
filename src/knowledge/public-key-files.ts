/**
 * Files that only ever hold public keys: what a build writes into them is public by nature, so a
 * secret-named variable whose every use is a write into one of them carries no secret (README
 * "Public keys"). One row per file, matched on the basename.
 */

export interface PublicKeyFileRow {
  pattern: RegExp;
  /** A path the row must match (checked by test/public-key-writes.test.ts). */
  example: string;
  why: string;
}

export const PUBLIC_KEY_FILES: readonly PublicKeyFileRow[] = [
  { pattern: /^authorized_keys2?$/, example: "/root/.ssh/authorized_keys", why: "sshd's list of public keys allowed to log in" },
  { pattern: /^(?:known_hosts2?|ssh_known_hosts2?)$/, example: "~/.ssh/known_hosts", why: "host public keys (ssh-keyscan output)" },
  { pattern: /\.pub$/, example: "/root/.ssh/id_rsa.pub", why: "ssh-keygen's public half" },
];

/** Is this path (as written: `~/.ssh/authorized_keys`, `"$HOME/.ssh/known_hosts"`) a public-key file? */
export function isPublicKeyFile(path: string): boolean {
  const base = path.replace(/["']/g, "").split("/").pop() ?? "";
  return PUBLIC_KEY_FILES.some((r) => r.pattern.test(base));
}
