/**
 * Which files of a layer the auditor reads for token formats. Reading is the costly part of an
 * audit (a distro layer holds tens of thousands of small files, and the listing alone is
 * streamed anyway), and most of those files are packaged code, docs and public material where a
 * token-like string is a test vector or a key fingerprint, not a leak. So content is read only
 * for regular files of 1 byte to 64 KiB, outside the folders a package manager owns, whose name
 * does not say binary or public material. Public keys and certificates are skipped: findSecretValues
 * only reports private-key blocks, and a certificate is meant to be public.
 *
 * Pure: a decision from the path and size alone, before any byte is read.
 */
export const MAX_CONTENT_BYTES = 64 * 1024;

/** Folders whose files come from packages (their tokens are test data or docs). */
const PACKAGE_FOLDERS = [
  "usr/lib/", "usr/lib32/", "usr/lib64/", "usr/libexec/", "usr/share/", "usr/include/", "usr/src/",
  "lib/", "lib32/", "lib64/", "var/lib/dpkg/", "var/lib/apt/", "var/lib/rpm/", "var/cache/",
  "etc/ssl/certs/", "etc/pki/", "usr/local/share/", "usr/local/include/", "proc/", "sys/",
];

/** Path segments that hold installed dependencies, not the project's own files. */
const DEPENDENCY_SEGMENT = /(?:^|\/)(?:node_modules|site-packages|dist-packages|vendor|\.git)\//;

/** Names that say binary, compressed, media or public material. */
const SKIPPED_EXTENSION =
  /\.(?:so(?:\.\d+)*|a|o|dll|exe|bin|wasm|class|jar|war|pyc|pyo|gz|tgz|bz2|xz|zst|zip|7z|rar|png|jpe?g|gif|ico|webp|svg|pdf|mo|ttf|otf|woff2?|eot|mp[34]|pub|crt|cer|der|p7b|csr|gpg|asc|sig|map|lock)$/i;

export function wantsContent(path: string, size: number): boolean {
  if (size === 0 || size > MAX_CONTENT_BYTES) return false;
  if (PACKAGE_FOLDERS.some((f) => path.startsWith(f))) return false;
  if (DEPENDENCY_SEGMENT.test(path)) return false;
  return !SKIPPED_EXTENSION.test(path);
}

/** A NUL in the first 8 KiB: not text. */
export function looksBinary(content: Uint8Array): boolean {
  return content.subarray(0, 8192).includes(0);
}
