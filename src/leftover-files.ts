/**
 * Editor and patch leftovers: copies of a file that nobody builds from, so rewriting them helps
 * nobody (Dockerfile.orig, Makefile.bak, build.sh~, an emacs #autosave# or .#lock, a vim swap).
 * One table for the Dockerfile walk and the call-site discovery.
 */
const LEFTOVER_SUFFIXES = [".orig", ".rej", ".bak", ".swp", ".swo", ".tmp", "~"];

export function isLeftoverName(basename: string): boolean {
  const lower = basename.toLowerCase();
  return (
    LEFTOVER_SUFFIXES.some((s) => lower.endsWith(s)) ||
    (basename.length > 2 && basename.startsWith("#") && basename.endsWith("#")) ||
    basename.startsWith(".#")
  );
}
